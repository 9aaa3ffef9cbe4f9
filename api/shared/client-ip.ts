import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address of the client that opened the connection. Requests made with
 * app.request() in tests have no socket and report "unknown".
 */
// NOTE: behind a reverse proxy every request shows the proxy's address, so per-IP throttling counts all clients together.
export function getClientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
