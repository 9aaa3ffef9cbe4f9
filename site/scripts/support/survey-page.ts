/**
 * The satisfaction survey: one question (1 to 5) and an optional comment.
 * The single-use token comes from the URL fragment and works without signing in.
 */
import { callApi } from '../account/api';
import { clearFormErrors, showErrorAlert, showFieldProblems, showFormError } from '../account/form-feedback';
import { reloadOnNewToken, takeTokenFromFragment } from '../account/link-token';

function find<T extends HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

export async function startSurveyPage(): Promise<void> {
  const status = find('[data-survey-status]');
  const alert = find('[data-survey-alert]');
  const form = find<HTMLFormElement>('[data-survey-form]');
  const submit = find<HTMLButtonElement>('[data-survey-submit]');
  reloadOnNewToken();
  const token = takeTokenFromFragment();
  if (!token) {
    find('[data-missing-token]').hidden = false;
    return;
  }

  status.textContent = 'Opening the survey…';
  try {
    const survey = await callApi<{ ticketId: number; subject: string }>('POST', '/api/support/survey', { token });
    status.textContent = '';
    find('[data-survey-about]').textContent = `About ticket #${survey.ticketId}: ${survey.subject}`;
    form.hidden = false;
  } catch (error) {
    status.textContent = '';
    showErrorAlert(alert, error);
    return;
  }

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    clearFormErrors(form);
    const data = new FormData(form);
    const rating = Number(data.get('rating'));
    if (!rating) {
      showFieldProblems(form, [{ field: 'rating', message: 'Choose a rating from 1 to 5.' }]);
      return;
    }
    const comment = String(data.get('comment') ?? '').trim();
    sending = true;
    submit.disabled = true;
    try {
      await callApi('POST', '/api/support/survey/answer', { token, rating, ...(comment ? { comment } : {}) });
      form.hidden = true;
      find('[data-survey-done]').hidden = false;
      find('[data-page-heading]').focus();
    } catch (error) {
      showFormError(form, error);
    } finally {
      sending = false;
      submit.disabled = false;
    }
  });
}
