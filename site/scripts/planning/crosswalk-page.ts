/**
 * The MDE data-source crosswalk page, /plans/crosswalk/?state=XX. It shows
 * how complete the state's crosswalk is, the data-quality note and every MDE
 * by upload file. People who may edit get inputs; "Save changes" sends only
 * the rows that changed, with PUT /api/crosswalk/:state. The filter
 * (&show=undocumented) keeps the MDEs that have no saved collection status.
 */
import { ApiError, callApi, type FieldProblem } from '../account/api';
import {
  clearFormErrors,
  showErrorAlert,
  showFieldProblems,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { plural } from '../../lib/plural';
import {
  describeInput,
  isEditableField,
  markRow,
  readRow,
  renderCrosswalkTables,
  type CrosswalkRow,
  type CrosswalkTable,
} from './crosswalk-table';
import { chooseState, describeStateName, startStateChooser } from './state-choice';
import type { Completeness, CrosswalkView } from './types';

interface PageElements {
  heading: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  content: HTMLElement;
  csvLink: HTMLAnchorElement;
  counts: HTMLElement;
  rule: HTMLElement;
  dataQuality: HTMLElement;
  editIntro: HTMLElement;
  filter: HTMLInputElement;
  mdeCount: HTMLElement;
  form: HTMLFormElement;
  files: HTMLElement;
  saveBar: HTMLElement;
  unsaved: HTMLElement;
}

interface CrosswalkPage {
  state: string;
  view: CrosswalkView;
  table: CrosswalkTable;
  elements: PageElements;
  unsavedCount: number;
}

const filterParam = 'show';
const filterValue = 'undocumented';

export async function startCrosswalkPage(): Promise<void> {
  const signedIn = await openGatedPage();
  if (!signedIn) return;

  const elements = findElements();
  const state = chooseState(signedIn.person);
  startStateChooser(signedIn.person, state, elements.status);
  if (!state) {
    showStatus(elements.status, 'Choose a state to see its crosswalk.', 'info');
    return;
  }

  let view: CrosswalkView;
  try {
    view = await callApi<CrosswalkView>('GET', `/api/crosswalk/${encodeURIComponent(state)}`);
  } catch (error) {
    showErrorAlert(elements.alert, error);
    return;
  }

  elements.filter.checked = new URLSearchParams(window.location.search).get(filterParam) === filterValue;
  const page: CrosswalkPage = { state, view, table: { rows: [], files: [] }, elements, unsavedCount: 0 };
  renderPage(page);
  startFilter(page);
  if (view.canEdit) startEditing(page);
  elements.content.hidden = false;
}

function findElements(): PageElements {
  return {
    heading: findRequired('[data-crosswalk-heading]'),
    status: findRequired('[data-crosswalk-status]'),
    alert: findRequired('[data-crosswalk-alert]'),
    content: findRequired('[data-crosswalk]'),
    csvLink: findRequired('[data-csv-link]'),
    counts: findRequired('[data-completeness-counts]'),
    rule: findRequired('[data-completeness-rule]'),
    dataQuality: findRequired('[data-data-quality]'),
    editIntro: findRequired('[data-edit-intro]'),
    filter: findRequired('[data-undocumented-filter]'),
    mdeCount: findRequired('[data-mde-count]'),
    form: findRequired('[data-crosswalk-form]'),
    files: findRequired('[data-crosswalk-files]'),
    saveBar: findRequired('[data-save-bar]'),
    unsaved: findRequired('[data-unsaved]'),
  };
}

function renderPage(page: CrosswalkPage): void {
  const { elements, view } = page;
  const name = view.stateName || describeStateName(page.state);
  elements.heading.textContent = `${name} MDE data-source crosswalk`;
  document.title = `${name} MDE data-source crosswalk | MSIX Assist`;
  const query = `?state=${encodeURIComponent(page.state)}`;
  findRequired<HTMLAnchorElement>('[data-page-link="plan"]').href = `/plans/${query}`;
  findRequired<HTMLAnchorElement>('[data-page-link="sessions"]').href = `/plans/sessions/${query}`;
  elements.csvLink.href = `/api/crosswalk/${encodeURIComponent(page.state)}/export`;
  elements.editIntro.hidden = !view.canEdit;
  elements.saveBar.hidden = !view.canEdit;
  elements.dataQuality.textContent = view.dataQuality.message;
  if (view.dataQuality.link) {
    const link = document.createElement('a');
    link.className = 'usa-link';
    link.href = view.dataQuality.link;
    link.textContent = 'See the data-quality reports';
    elements.dataQuality.append(' ', link, '.');
  }
  elements.rule.textContent = view.completenessRule;

  renderCompleteness(elements, view.completeness);
  page.table = renderCrosswalkTables(elements.files, view.entries, view.canEdit);
  applyFilter(page);
  updateUnsaved(page);
}

function renderCompleteness(elements: PageElements, completeness: Completeness): void {
  setFigure('documented', `${completeness.percentDocumented}%`);
  setFigureLabel(
    'documented',
    `of the MDEs are documented: ${completeness.documented} of ${completeness.total} have a collection status`,
  );
  if (completeness.percentCollected === null) {
    setFigure('collected', 'None');
    setFigureLabel('collected', 'to collect: every MDE is marked not applicable');
  } else {
    setFigure('collected', `${completeness.percentCollected}%`);
    setFigureLabel('collected', 'collected, out of the MDEs that apply to the state');
  }

  const counts: [string, number][] = [
    ['Documented', completeness.documented],
    ['Not yet documented', completeness.undocumented],
    ['Collected', completeness.collected],
    ['Partly collected', completeness.partly],
    ['Not collected', completeness.notCollected],
    ['Not applicable', completeness.notApplicable],
  ];
  elements.counts.replaceChildren(
    ...counts.map(([label, count]) =>
      createElement('div', { className: 'plan-counts__item', attributes: { 'data-count': label } }, [
        createElement('dt', { text: label }),
        createElement('dd', { text: String(count) }),
      ]),
    ),
  );
}

function setFigure(name: string, text: string): void {
  findRequired(`[data-figure="${name}"]`).textContent = text;
}

function setFigureLabel(name: string, text: string): void {
  findRequired(`[data-figure-label="${name}"]`).textContent = text;
}

function startFilter(page: CrosswalkPage): void {
  page.elements.filter.addEventListener('change', () => {
    applyFilter(page);
    const url = new URL(window.location.href);
    if (page.elements.filter.checked) url.searchParams.set(filterParam, filterValue);
    else url.searchParams.delete(filterParam);
    window.history.replaceState(window.history.state, '', url);
    showStatus(page.elements.status, page.elements.mdeCount.textContent ?? '', 'info');
  });
}

/** Hides the MDEs that have a saved collection status when the filter is on, and files left with none. */
function applyFilter(page: CrosswalkPage): void {
  const onlyUndocumented = page.elements.filter.checked;
  let visibleCount = 0;
  for (const file of page.table.files) {
    let visibleInFile = 0;
    for (const row of file.rows) {
      const hide = onlyUndocumented && row.entry.collectionStatus !== null;
      row.row.hidden = hide;
      if (!hide) visibleInFile += 1;
    }
    file.element.hidden = visibleInFile === 0;
    visibleCount += visibleInFile;
  }

  const total = page.table.rows.length;
  const count = page.elements.mdeCount;
  if (!onlyUndocumented) count.textContent = `Showing all ${total} MDEs.`;
  else if (visibleCount === 0) count.textContent = `Every one of the ${total} MDEs is documented.`;
  else count.textContent = `Showing ${visibleCount} of ${total} MDEs: those not yet documented.`;
}

function startEditing(page: CrosswalkPage): void {
  const { form } = page.elements;
  const onEdit = (event: Event) => {
    const row = findRow(page, event.target);
    if (!row) return;
    markRow(row);
    updateUnsaved(page);
  };
  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, () => save(page));
  });
  // While changes are unsaved, leaving the page makes the browser show its "Leave site?" prompt.
  window.addEventListener('beforeunload', (event) => {
    if (page.unsavedCount === 0) return;
    event.preventDefault();
    event.returnValue = '';
  });
}

function findRow(page: CrosswalkPage, target: EventTarget | null): CrosswalkRow | undefined {
  const tableRow = target instanceof Element ? target.closest('tr') : null;
  return tableRow ? page.table.rows.find((row) => row.row === tableRow) : undefined;
}

function updateUnsaved(page: CrosswalkPage): void {
  const count = page.table.rows.filter((row) => !row.marker.hidden).length;
  if (count === page.unsavedCount && page.elements.unsaved.textContent) return;
  page.unsavedCount = count;
  page.elements.unsaved.textContent =
    count === 0
      ? 'No unsaved changes.'
      : `${plural(count, 'MDE has', 'MDEs have')} unsaved changes. Select Save changes to keep them.`;
}

async function save(page: CrosswalkPage): Promise<void> {
  const { elements } = page;
  clearFormErrors(elements.form);
  showStatus(elements.status, '');
  const changedRows = page.table.rows.filter((row) => markRow(row));
  if (changedRows.length === 0) {
    showStatus(elements.status, 'Nothing to save: no MDE has changed.', 'info');
    return;
  }

  const before = page.view.completeness;
  try {
    const view = await callApi<CrosswalkView>('PUT', `/api/crosswalk/${encodeURIComponent(page.state)}`, {
      entries: changedRows.map(readRow),
    });
    page.view = view;
    renderPage(page);
    showStatus(elements.status, describeSaved(view.changed ?? changedRows.length, before, view.completeness));
  } catch (error) {
    showSaveError(page, error, changedRows);
  }
}

function describeSaved(changed: number, before: Completeness, after: Completeness): string {
  const saved =
    changed === 0
      ? 'Saved: the values were already stored, so nothing changed.'
      : `Saved ${plural(changed, 'changed MDE')}.`;
  const collected = (completeness: Completeness) =>
    completeness.percentCollected === null ? 'none to collect' : `${completeness.percentCollected}% collected`;
  return `${saved} The crosswalk is now ${after.percentDocumented}% documented and ${collected(after)} (before: ${before.percentDocumented}% documented and ${collected(before)}).`;
}

/**
 * Shows the API's problems on the inputs they concern. The API names a field
 * such as "entries.3.notes" by the position of the row in the request, so the
 * position is looked up in the rows that were sent.
 */
function showSaveError(page: CrosswalkPage, error: unknown, sentRows: CrosswalkRow[]): void {
  const form = page.elements.form;
  if (!(error instanceof ApiError) || error.fields.length === 0) {
    showFormError(form, error);
    return;
  }
  const problems: FieldProblem[] = [];
  for (const problem of error.fields) {
    const [, index, field] = problem.field.split('.');
    const row = sentRows[Number(index)];
    const input = row && field && isEditableField(field) ? row.inputs[field] : undefined;
    if (!row || !input || !field || !isEditableField(field)) {
      showFormError(form, error);
      return;
    }
    problems.push({ field: input.name, message: `${describeInput(row, field)} ${problem.message}` });
  }
  showFieldProblems(form, problems);
}
