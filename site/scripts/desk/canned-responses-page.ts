/**
 * The canned responses page at /desk/canned-responses/: the saved responses
 * with edit and delete, and one form that creates a response or edits the
 * chosen one. The server checks placeholders, so an unknown FAQ slug comes
 * back as an error on the text field.
 */
import { callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { createElement, createScreenReaderText, findRequired } from '../plans/dom';
import type { CannedResponse } from './types';

interface Page {
  status: HTMLElement;
  alert: HTMLElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  form: HTMLFormElement;
  formHeading: HTMLElement;
  cancel: HTMLButtonElement;
  responses: CannedResponse[];
  /** The response being edited; undefined while the form creates a new one. */
  editing: CannedResponse | undefined;
}

export async function startCannedResponsesPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['agent', 'admin'], audience: 'help desk agents and admins' });
  if (!session) return;

  const page: Page = {
    status: findRequired('[data-canned-status]'),
    alert: findRequired('[data-canned-alert]'),
    rows: findRequired('[data-canned-rows]'),
    count: findRequired('[data-canned-count]'),
    form: findRequired('[data-canned-form]'),
    formHeading: findRequired('[data-form-heading]'),
    cancel: findRequired('[data-cancel-edit]'),
    responses: [],
    editing: undefined,
  };

  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!checkRequiredFields(page.form)) return;
    void whileSubmitting(page.form, () => saveResponse(page));
  });
  page.cancel.addEventListener('click', () => stopEditing(page, true));
  page.rows.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button) return;
    const response = page.responses.find((entry) => entry.id === Number(button.dataset.id));
    if (!response) return;
    if (button.dataset.action === 'edit') startEditing(page, response);
    else void deleteResponse(page, response);
  });

  await Promise.all([loadResponses(page), loadFaqs(page)]);
}

async function loadResponses(page: Page): Promise<void> {
  try {
    const { responses } = await callApi<{ responses: CannedResponse[] }>('GET', '/api/desk/canned-responses');
    page.responses = responses;
    page.count.textContent =
      responses.length === 0
        ? 'No canned responses yet. Create the first one with the form below.'
        : `${responses.length} ${responses.length === 1 ? 'response' : 'responses'}.`;
    page.rows.replaceChildren(...responses.map(renderRow));
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function renderRow(response: CannedResponse): HTMLTableRowElement {
  const preview = response.body.length > 160 ? `${response.body.slice(0, 159)}…` : response.body;
  const button = (action: 'edit' | 'delete', label: string) =>
    createElement(
      'button',
      {
        className: 'usa-button usa-button--unstyled margin-right-2',
        attributes: { type: 'button', 'data-action': action, 'data-id': String(response.id) },
      },
      [label, createScreenReaderText(` ${response.title}`)],
    );
  return createElement('tr', {}, [
    createElement('th', { attributes: { scope: 'row' }, text: response.title }),
    createElement('td', { text: preview }),
    createElement('td', {}, [button('edit', 'Edit'), button('delete', 'Delete')]),
  ]);
}

async function loadFaqs(page: Page): Promise<void> {
  try {
    const { faqs } = await callApi<{ faqs: { slug: string; title: string }[] }>('GET', '/api/desk/faqs');
    findRequired('[data-faq-list]').replaceChildren(
      ...faqs.map((faq) =>
        createElement('li', {}, [createElement('code', { text: `{{faq:${faq.slug}}}` }), `: ${faq.title}`]),
      ),
    );
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function field(page: Page, name: 'title' | 'body'): HTMLInputElement | HTMLTextAreaElement {
  const element = page.form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) {
    throw new Error(`The canned response form has no ${name} field.`);
  }
  return element;
}

function startEditing(page: Page, response: CannedResponse): void {
  page.editing = response;
  clearFormErrors(page.form);
  field(page, 'title').value = response.title;
  field(page, 'body').value = response.body;
  page.formHeading.textContent = `Edit "${response.title}"`;
  page.cancel.hidden = false;
  page.formHeading.focus();
}

function stopEditing(page: Page, focusForm: boolean): void {
  page.editing = undefined;
  page.form.reset();
  clearFormErrors(page.form);
  page.formHeading.textContent = 'New canned response';
  page.cancel.hidden = true;
  if (focusForm) page.formHeading.focus();
}

async function saveResponse(page: Page): Promise<void> {
  const body = { title: field(page, 'title').value, body: field(page, 'body').value };
  try {
    const saved = page.editing
      ? await callApi<CannedResponse>('PATCH', `/api/desk/canned-responses/${page.editing.id}`, body)
      : await callApi<CannedResponse>('POST', '/api/desk/canned-responses', body);
    const verb = page.editing ? 'saved' : 'created';
    stopEditing(page, false);
    await loadResponses(page);
    showStatus(page.status, `The canned response "${saved.title}" was ${verb}.`);
  } catch (error) {
    showFormError(page.form, error);
  }
}

async function deleteResponse(page: Page, response: CannedResponse): Promise<void> {
  if (!window.confirm(`Delete the canned response "${response.title}"? Agents can no longer insert it.`)) return;
  try {
    await callApi('DELETE', `/api/desk/canned-responses/${response.id}`);
    if (page.editing?.id === response.id) stopEditing(page, false);
    await loadResponses(page);
    showStatus(page.status, `The canned response "${response.title}" was deleted.`);
    findRequired<HTMLElement>('#list-heading').focus();
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}
