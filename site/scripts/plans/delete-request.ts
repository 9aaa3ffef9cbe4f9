/**
 * DELETE requests from the plan pages. callApi in ../account/api.ts sends only
 * GET, POST and PATCH, so this sends the DELETE and handles its errors the
 * same way: an ApiError with the server's message, and the sign-in or Rules
 * of Behavior page when the session requires it.
 *
 * NOTE: the request carries an empty JSON object. The API means to accept a
 * DELETE without a body, but Chromium sends no Content-Length on a bodiless
 * DELETE. The Node server then gives the request a body stream, so the API
 * rejects it with 415.
 */
import { ApiError, goToRulesOfBehavior, goToSignIn } from '../account/api';

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; requestId?: unknown };
}

export async function sendDelete(path: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'DELETE',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The server could not be reached. Check your internet connection and try again.',
    );
  }
  if (response.ok) return;

  const error = await readError(response);
  if (error.status === 401 && error.code === 'sign_in_required') goToSignIn();
  if (error.status === 403 && error.code === 'rules_of_behavior_required') goToRulesOfBehavior();
  throw error;
}

async function readError(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }

  const error = body?.error;
  if (!error || typeof error.message !== 'string') {
    return new ApiError(
      response.status,
      'unexpected_response',
      `The server answered with an unexpected error (HTTP ${response.status}). Try again in a few minutes; if it keeps happening, contact the help desk.`,
    );
  }
  return new ApiError(
    response.status,
    typeof error.code === 'string' ? error.code : 'error',
    error.message,
    [],
    typeof error.requestId === 'string' ? error.requestId : undefined,
  );
}
