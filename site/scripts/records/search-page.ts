/**
 * The records search page, /records/. The search is sent in a POST body and
 * the results exist only in this page. Nothing typed goes into the address,
 * the history or the browser's form memory. Leaving the page, such as by
 * signing out, clears the form and the results.
 */
import { callApi } from '../account/api';
import { checkRequiredFields, clearFormErrors, showFormError, showStatus } from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import {
  connectPurposeFields,
  fillPurposeFields,
  readPurposeFields,
  readStoredPurpose,
  storePurpose,
} from './record-purpose';
import { formatCalendarDate, formatName, recordPath, requireRecordsAccessOnPage } from './record-format';
import type { SearchResponse, SearchResult } from './record-types';
import { showRecordsLinks } from './search-links';

const searchFields = ['firstName', 'lastName', 'birthDate', 'sex', 'state', 'msixId', 'stateStudentId'] as const;

export async function startSearchPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session || !requireRecordsAccessOnPage(session)) return;
  showRecordsLinks(session.person);

  const form = findRequired<HTMLFormElement>('[data-search-form]');
  const status = findRequired<HTMLElement>('[data-search-status]');
  const results = findRequired<HTMLElement>('[data-search-results]');
  connectPurposeFields(form);
  fillPurposeFields(form, readStoredPurpose());

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void runSearch(form, status, results);
  });
  findRequired<HTMLButtonElement>('[data-search-clear]').addEventListener('click', () => {
    clearSearch(form, status, results);
    form.querySelector<HTMLInputElement>('[name="firstName"]')?.focus();
  });

  // The page may be kept in the back-forward cache; clear what was typed and found before it is.
  window.addEventListener('pagehide', () => clearSearch(form, status, results));
}

async function runSearch(form: HTMLFormElement, status: HTMLElement, results: HTMLElement): Promise<void> {
  clearFormErrors(form);
  if (!checkRequiredFields(form)) return;

  const purpose = readPurposeFields(form);
  const body: Record<string, string> = { ...purpose };
  const data = new FormData(form);
  for (const field of searchFields) {
    const value = String(data.get(field) ?? '').trim();
    if (value) body[field] = value;
  }

  showStatus(status, 'Searching…', 'info');
  let response: SearchResponse;
  try {
    response = await callApi<SearchResponse>('POST', '/api/records/search', body);
  } catch (error) {
    status.replaceChildren();
    showFormError(form, error);
    return;
  }

  storePurpose(purpose);
  status.replaceChildren();
  renderResults(results, response);
  findRequired<HTMLElement>('#results-heading').focus();
}

function renderResults(section: HTMLElement, response: SearchResponse): void {
  const summary = findRequired<HTMLElement>('[data-search-summary]', section);
  const rows = findRequired<HTMLElement>('[data-search-rows]', section);
  const table = findRequired<HTMLElement>('table', section);

  summary.textContent = describeTotal(response);
  rows.replaceChildren(...response.results.map(renderRow));
  table.hidden = response.results.length === 0;
  section.hidden = false;
}

function describeTotal(response: SearchResponse): string {
  if (response.total === 0) {
    return 'No child matches. Check the spelling and the birth date, try one last name only, or search by MSIX ID or state student ID.';
  }
  const shown = response.results.length;
  const count = response.total === 1 ? '1 child matches' : `${response.total} children match`;
  const broad = response.tooBroad
    ? ' The search matched too many records to rank them all: add a first name, birth date or state.'
    : '';
  const limited = shown < response.total ? ` The closest ${shown} are shown.` : '';
  return `${count}, closest match first.${limited}${broad}`;
}

function renderRow(result: SearchResult): HTMLTableRowElement {
  const link = createElement('a', {
    className: 'usa-link',
    text: formatName(result),
    attributes: { href: recordPath(result.msixId) },
  });
  const reasons = createElement(
    'ul',
    { className: 'records-results__reasons' },
    result.reasons.map((reason) => createElement('li', { text: reason })),
  );
  return createElement('tr', {}, [
    createElement('th', { attributes: { scope: 'row' } }, [link]),
    createElement('td', { text: formatCalendarDate(result.birthDate) }),
    createElement('td', { text: result.sex }),
    createElement('td', { text: result.states.join(', ') }),
    createElement('td', { text: result.msixId }),
    createElement('td', {}, [createElement('span', { text: `${result.score} of 100` }), reasons]),
  ]);
}

function clearSearch(form: HTMLFormElement, status: HTMLElement, results: HTMLElement): void {
  const purpose = readPurposeFields(form);
  form.reset();
  fillPurposeFields(form, purpose.purpose ? purpose : undefined);
  clearFormErrors(form);
  status.replaceChildren();
  findRequired<HTMLElement>('[data-search-rows]', results).replaceChildren();
  results.hidden = true;
}
