/**
 * The API's one error family. Services throw an AppError; the error handler
 * in app.ts turns it into `{ "error": { "code", "message", "requestId" } }`
 * with its HTTP status. Anything else becomes a 500 without details.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'No such API route. Check the address against the API documentation.') {
    super(404, 'not_found', message);
  }
}
