/**
 * Error alerts of the public summary and the migratory-patterns page. The
 * API's 400 messages start with the query parameter's name ("year: 2031 has
 * not started yet."), which readers of the page never see, so the alert
 * starts with the field's label instead and ends with a link to the default
 * view.
 */
import { ApiError } from '../account/api';
import { showErrorAlert } from '../account/form-feedback';
import { createElement } from '../plans/dom';

/** Labels of the query parameters that the two pages send, as the page's fields name them. */
const parameterLabels: Record<string, string> = {
  year: 'Year',
  from: 'First quarter',
  to: 'Last quarter',
  'from to to': 'Period',
};

/** Sentences of the page's own for API error codes whose message would talk about query parameters. */
const messagesByCode: Record<string, string> = {
  whole_years_only:
    'This address asks for a period of quarters, but the public summary shows only whole calendar years that have ended.',
};

/** Rewrites a leading "parameter: " of an API message as the field's label. Other messages are returned unchanged. */
export function describeApiMessage(message: string): string {
  const match = /^([a-zA-Z]+(?: to [a-zA-Z]+)?): (.+)$/s.exec(message);
  const label = match ? parameterLabels[match[1]!] : undefined;
  if (!match || !label) return message;
  return `${label}: ${match[2]}`;
}

/** Shows the error in the container, followed by a link to the page's default view. */
export function showPageError(
  container: HTMLElement,
  error: unknown,
  defaultView: { href: string; text: string },
): void {
  const readableError =
    error instanceof ApiError
      ? new ApiError(
          error.status,
          error.code,
          messagesByCode[error.code] ?? describeApiMessage(error.message),
          error.fields,
          error.requestId,
        )
      : error;
  showErrorAlert(container, readableError);
  container.append(
    createElement('p', {}, [
      createElement('a', { className: 'usa-link', text: defaultView.text, attributes: { href: defaultView.href } }),
    ]),
  );
}
