/**
 * The registration cancellation page, opened from the link in a registration
 * confirmation (`#token=…`). Opening the link changes nothing: the visitor
 * presses the button to cancel, so a mail scanner that opens links cannot
 * cancel a registration.
 */
import { callApi } from '../account/api';
import { showErrorAlert, showStatus } from '../account/form-feedback';
import { reloadOnNewToken, takeTokenFromFragment } from '../account/link-token';
import { findRequired } from '../plans/dom';

interface CancellationResponse {
  message: string;
  event: { slug: string; title: string };
}

export function startCancelPage(): void {
  reloadOnNewToken();
  const token = takeTokenFromFragment();
  if (!token) {
    findRequired<HTMLElement>('[data-missing-token]').hidden = false;
    return;
  }

  const section = findRequired<HTMLElement>('[data-cancel-section]');
  const button = findRequired<HTMLButtonElement>('[data-cancel-button]');
  section.hidden = false;
  button.addEventListener('click', () => void cancel(token, section, button));
}

async function cancel(token: string, section: HTMLElement, button: HTMLButtonElement): Promise<void> {
  if (button.getAttribute('aria-disabled') === 'true') return;
  const heading = findRequired<HTMLElement>('[data-page-heading]');
  const status = findRequired<HTMLElement>('[data-page-status]');
  const alert = findRequired<HTMLElement>('[data-page-alert]');
  alert.replaceChildren();
  button.setAttribute('aria-disabled', 'true');

  try {
    const result = await callApi<CancellationResponse>('POST', '/api/registrations/cancel', { token });
    section.hidden = true;
    heading.textContent = 'Your registration is cancelled';
    showStatus(status, result.message);
    showEventLink(result.event);
    heading.focus();
  } catch (error) {
    showErrorAlert(alert, error);
    findRequired<HTMLElement>('[data-events-link]').hidden = false;
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

function showEventLink(event: CancellationResponse['event']): void {
  const paragraph = findRequired<HTMLElement>('[data-events-link]');
  const link = paragraph.querySelector<HTMLAnchorElement>('a');
  if (link && /^[a-z0-9-]+$/.test(event.slug)) {
    link.href = `/events/${event.slug}/`;
    link.textContent = `Back to the page of "${event.title}"`;
  }
  paragraph.hidden = false;
}
