/**
 * The registration form on an event page (EventRegistration.astro). It posts
 * the registration, then shows the server's message in place of the form.
 * From the event's start the form is hidden, because the build may have run
 * before the event started.
 */
import { callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';

interface RegistrationResponse {
  message: string;
}

export function startEventRegistration(now = Date.now()): void {
  const section = document.querySelector<HTMLElement>('[data-registration]');
  const form = section?.querySelector<HTMLFormElement>('[data-registration-form]');
  const open = section?.querySelector<HTMLElement>('[data-registration-open]');
  const closed = section?.querySelector<HTMLElement>('[data-registration-closed]');
  const status = section?.querySelector<HTMLElement>('[data-registration-status]');
  if (!section || !form || !open || !closed || !status) return;

  const start = Date.parse(section.dataset.eventStart ?? '');
  if (Number.isFinite(start) && start <= now) {
    open.hidden = true;
    closed.hidden = false;
    const notice = document.querySelector<HTMLElement>('[data-registration-notice]');
    if (notice) notice.textContent = 'Registration closed when the event started.';
    return;
  }

  const slug = section.dataset.eventSlug ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, () => register(form, slug, { open, status, section }));
  });
}

async function register(
  form: HTMLFormElement,
  slug: string,
  elements: { open: HTMLElement; status: HTMLElement; section: HTMLElement },
): Promise<void> {
  clearFormErrors(form);
  showStatus(elements.status, '');
  if (!checkRequiredFields(form)) return;

  const data = new FormData(form);
  const optional = (name: string) => String(data.get(name) ?? '').trim() || null;
  try {
    const result = await callApi<RegistrationResponse>(
      'POST',
      `/api/events/${encodeURIComponent(slug)}/registrations`,
      {
        name: String(data.get('name') ?? '').trim(),
        email: String(data.get('email') ?? '').trim(),
        state: optional('state'),
        role: optional('role'),
      },
    );
    form.reset();
    elements.open.hidden = true;
    showStatus(elements.status, result.message);
    elements.section.querySelector<HTMLElement>('#register-heading')?.focus();
  } catch (error) {
    showFormError(form, error);
  }
}
