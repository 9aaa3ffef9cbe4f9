/** Opens a visitor's ticket from the confirmation link, whose token is in the URL fragment. */
import { callApi } from '../account/api';
import { showErrorAlert } from '../account/form-feedback';
import { reloadOnNewToken, takeTokenFromFragment } from '../account/link-token';

function find<T extends HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

export async function startConfirmPage(): Promise<void> {
  const status = find('[data-confirm-status]');
  reloadOnNewToken();
  const token = takeTokenFromFragment();
  if (!token) {
    find('[data-missing-token]').hidden = false;
    return;
  }
  status.textContent = 'Confirming your address…';
  try {
    const result = await callApi<{ ticketId: number; subject: string }>(
      'POST',
      '/api/support/visitor-requests/confirm',
      {
        token,
      },
    );
    status.textContent = '';
    find('[data-confirm-heading]').textContent = `Your address is confirmed and ticket #${result.ticketId} is open`;
    find('[data-confirm-done]').hidden = false;
    find('[data-page-heading]').focus();
  } catch (error) {
    status.textContent = '';
    showErrorAlert(find('[data-confirm-alert]'), error);
  }
}
