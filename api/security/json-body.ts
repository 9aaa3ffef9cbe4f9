/**
 * Guards for state-changing API requests: a same-origin Origin header, a JSON
 * content type, a size limit, and JSON parsing that rejects the keys used for
 * prototype pollution. The parsed body is stored in the `body` variable.
 */
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors';

const stateChangingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Largest JSON body the API reads, in bytes. */
export const maxJsonBodyBytes = 64 * 1024;

/** Larger limit for the routes that take a CSV file inside the JSON body (imports of up to 1 MB of CSV text). */
export const maxImportBodyBytes = 1.5 * 1024 * 1024;
const importPaths = [/^\/api\/subscribers\/import$/, /^\/api\/events\/[^/]+\/attendance$/];

/**
 * Routes that stream a file in the request body (records uploads, ticket
 * attachments). The guard checks their Origin only; the route reads the body
 * itself and enforces its own size and type limits.
 */
const rawBodyPaths = [/^\/api\/record-uploads\/files$/, /^\/api\/ticket-attachments$/];

export type JsonBodyVariables = { body: unknown };

export function guardStateChangingRequests(
  allowedOrigins: readonly string[],
): MiddlewareHandler<{ Variables: JsonBodyVariables }> {
  return async (c, next) => {
    if (!stateChangingMethods.has(c.req.method)) return next();

    checkOrigin(c.req.header('origin'), new URL(c.req.url).origin, allowedOrigins);
    if (rawBodyPaths.some((pattern) => pattern.test(c.req.path))) return next();
    const limit = importPaths.some((pattern) => pattern.test(c.req.path)) ? maxImportBodyBytes : maxJsonBodyBytes;
    if (c.req.method === 'DELETE' && !c.req.header('content-type')) {
      // A DELETE needs no body; one that sends a body without a content type is still refused.
      if ((await readLimitedBody(c.req.raw, limit)).trim() !== '') checkContentType(undefined);
      c.set('body', {});
      return next();
    }
    checkContentType(c.req.header('content-type'));
    const text = await readLimitedBody(c.req.raw, limit);
    c.set('body', text.trim() === '' ? {} : parseJsonSafely(text));
    return next();
  };
}

function checkOrigin(origin: string | undefined, ownOrigin: string, allowedOrigins: readonly string[]): void {
  if (!origin) {
    throw new AppError(
      403,
      'origin_required',
      'This request has no Origin header. Send it from the site in a browser, or set Origin to the site address.',
    );
  }
  if (origin !== ownOrigin && !allowedOrigins.includes(origin)) {
    throw new AppError(
      403,
      'origin_rejected',
      `Requests from ${origin} are not accepted. Use the site at its own address.`,
    );
  }
}

function checkContentType(contentType: string | undefined): void {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new AppError(
      415,
      'unsupported_media_type',
      `This API accepts only application/json bodies; the request sent ${mediaType ?? 'no content type'}.`,
    );
  }
}

async function readLimitedBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return '';

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function tooLarge(limit: number): AppError {
  return new AppError(413, 'payload_too_large', `The request body is larger than ${Math.round(limit / 1024)} KB.`);
}

function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (forbiddenKeys.has(key)) throw new ForbiddenKeyError(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKeyError) {
      throw new AppError(400, 'invalid_json', `The key "${error.key}" is not allowed in request bodies.`);
    }
    throw new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}

class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(`forbidden key ${key}`);
  }
}
