/**
 * PUT requests from the planning pages. callApi in ../account/api.ts sends
 * only GET, POST and PATCH, so sendPut handles a PUT the same way. It returns
 * the parsed JSON body, or throws an ApiError with the server's message and
 * field problems. A 401 sign_in_required or a 403 rules_of_behavior_required
 * also sends the browser to the sign-in or Rules of Behavior page.
 */
import { ApiError, goToRulesOfBehavior, goToSignIn, type FieldProblem } from '../account/api';

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; requestId?: unknown; fields?: unknown };
}

export async function sendPut<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'PUT',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
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

  const parsed = await readJson(response);
  if (response.ok) return parsed as T;

  const error = toApiError(response.status, parsed);
  if (error.status === 401 && error.code === 'sign_in_required') goToSignIn();
  if (error.status === 403 && error.code === 'rules_of_behavior_required') goToRulesOfBehavior();
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
