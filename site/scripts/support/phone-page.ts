/** "Log a phone call": an agent opens a ticket for a caller. One idempotency key per form, so a double submit logs one call. */
import { callApi } from '../account/api';
import { clearFormErrors, showFormError } from '../account/form-feedback';
import { openGatedPage } from '../account/session';

function find<T extends HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

export async function startPhonePage(): Promise<void> {
  const session = await openGatedPage({ roles: ['agent', 'admin'], audience: 'help desk agents and admins' });
  if (!session) return;

  const form = find<HTMLFormElement>('[data-phone-form]');
  const submit = find<HTMLButtonElement>('[data-phone-submit]');
  let idempotencyKey = crypto.randomUUID();
  let sending = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    clearFormErrors(form);
    const data = Object.fromEntries(new FormData(form).entries());
    sending = true;
    submit.disabled = true;
    try {
      const result = await callApi<{ ticketId: number }>('POST', '/api/tickets/phone-calls', {
        ...data,
        idempotencyKey,
      });
      idempotencyKey = crypto.randomUUID();
      form.reset();
      find('[data-phone-done-heading]').textContent = `Ticket #${result.ticketId} is logged`;
      find<HTMLAnchorElement>('[data-phone-done-link]').href = `/desk/ticket/?id=${result.ticketId}`;
      find('[data-phone-done]').hidden = false;
      find('[data-phone-done-heading]').focus();
    } catch (error) {
      showFormError(form, error);
    } finally {
      sending = false;
      submit.disabled = false;
    }
  });
}
