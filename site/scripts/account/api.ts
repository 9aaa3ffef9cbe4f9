/**
 * JSON calls from the site's pages to /api. Errors come back as
 * ApiError with the server's message, which is written for the person using
 * the page. A 401 sign_in_required or a 403 rules_of_behavior_required also
 * sends the browser to the sign-in or Rules of Behavior page.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; requestId?: unknown; fields?: unknown };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Sends one request and returns the parsed JSON body, or throws ApiError. */
export async function callApi<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The server could not be reached. Check your internet connection and try again.',
    );
  }

  const parsed = await readJson(response);
  if (response.ok) return parsed as T;

  const error = toApiError(response.status, parsed);
  followErrorRedirect(error);
  throw error;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function toApiError(status: number, parsed: unknown): ApiError {
  const error = (parsed as ErrorBody | undefined)?.error;
  if (!error || typeof error.message !== 'string') {
    return new ApiError(
      status,
      'unexpected_response',
      `The server answered with an unexpected error (HTTP ${status}). Try again in a few minutes; if it keeps happening, contact the help desk.`,
    );
  }

  const fields = Array.isArray(error.fields) ? (error.fields as unknown[]).filter(isFieldProblem) : [];
  return new ApiError(
    status,
    typeof error.code === 'string' ? error.code : 'error',
    error.message,
    fields,
    typeof error.requestId === 'string' ? error.requestId : undefined,
  );
}

function isFieldProblem(value: unknown): value is FieldProblem {
  const problem = value as FieldProblem | undefined;
  return typeof problem?.field === 'string' && typeof problem.message === 'string';
}

function followErrorRedirect(error: ApiError): void {
  if (error.status === 401 && error.code === 'sign_in_required') goToSignIn();
  if (error.status === 403 && error.code === 'rules_of_behavior_required') goToRulesOfBehavior();
}

/** Returns the current page's path and query, without the fragment, for a `next` parameter. */
export function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}

export function goToSignIn(next = currentPath()): void {
  window.location.replace(`/sign-in/?next=${encodeURIComponent(next)}`);
}

export function goToRulesOfBehavior(next = currentPath()): void {
  window.location.replace(`/rules-of-behavior/?next=${encodeURIComponent(next)}`);
}

/**
 * Returns the `next` query parameter when it is a path on this site, or the
 * fallback. Addresses of other sites, protocol-relative "//host" forms and
 * backslash tricks are rejected, so the parameter cannot send anyone away.
 */
export function readNextPath(fallback: string): string {
  const next = new URLSearchParams(window.location.search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;

  const target = new URL(next, window.location.origin);
  if (target.origin !== window.location.origin) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}
