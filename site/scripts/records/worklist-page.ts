/**
 * The records worklist, /records/worklist/, for data administrators: open
 * near matches shown side by side with linking's reasons, each confirmed or
 * rejected with a comment, and the merge and split requests waiting for a
 * second data administrator. Admins with the grant choose a state or all
 * states; state data administrators see their own state.
 */
import { callApi } from '../account/api';
import { describeState } from '../account/labels';
import {
  clearFormErrors,
  checkRequiredFields,
  showErrorAlert,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { formatCalendarDate, formatName, formatScore, formatYesNo, recordPath } from './record-format';
import {
  element,
  findElement,
  formatTimestamp,
  plural,
  requireDataAdministratorOnPage,
  textareaGroup,
} from './worklist-shared';

interface Identity {
  studentId: number;
  state: string;
  stateStudentId: string;
  msixId: string | null;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  suffix?: string | null;
  sex: string;
  birthDate: string;
  multipleBirth: boolean;
  birthCity?: string | null;
  birthState?: string | null;
  birthCountry?: string | null;
  parent1FirstName?: string | null;
  parent1LastName?: string | null;
  parent2FirstName?: string | null;
  parent2LastName?: string | null;
}

interface FieldReason {
  field: string;
  outcome: 'agree' | 'partial' | 'disagree' | 'missing';
  detail: string;
  weight: number;
}

interface NearMatch {
  id: number;
  score: number;
  reasons: { fields?: FieldReason[]; flags?: string[]; thresholds?: { link: number; nearMatch: number } } | null;
  createdAt: string;
  ageDays: number;
  escalatedAt: string | null;
  studentA: Identity | null;
  studentB: Identity | null;
}

interface ChangeRequest {
  id: number;
  kind: 'merge' | 'split';
  msixId: string;
  otherMsixId: string | null;
  studentId: number | null;
  nearMatchId: number | null;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  escalatedAt: string | null;
  states: string[];
  ownRequest: boolean;
  stateRecords: (Identity & { leaves: boolean })[];
}

interface Worklist {
  state: string;
  nearMatches: NearMatch[];
  changeRequests: ChangeRequest[];
}

const outcomeLabels: Record<FieldReason['outcome'], string> = {
  agree: 'Agrees',
  partial: 'Partly agrees',
  disagree: 'Differs',
  missing: 'Missing',
};

const flagLabels: Record<string, string> = {
  possible_twin: 'Possible twins: both records say multiple birth and the first names differ.',
  first_name_differs: 'The first names differ, so linking does not join these records on its own.',
};

interface WorklistPage {
  isAdmin: boolean;
  state: string;
  status: HTMLElement;
  alert: HTMLElement;
  nearMatches: HTMLElement;
  nearMatchesCount: HTMLElement;
  changeRequests: HTMLElement;
  changeRequestsCount: HTMLElement;
}

export async function startWorklistPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session || !requireDataAdministratorOnPage(session)) return;

  const isAdmin = session.person.role === 'admin';
  const page: WorklistPage = {
    isAdmin,
    state: isAdmin ? 'all' : (session.person.state ?? ''),
    status: findElement('[data-worklist-status]'),
    alert: findElement('[data-worklist-alert]'),
    nearMatches: findElement('[data-near-matches]'),
    nearMatchesCount: findElement('[data-near-matches-count]'),
    changeRequests: findElement('[data-change-requests]'),
    changeRequestsCount: findElement('[data-change-requests-count]'),
  };

  const scopeForm = findElement<HTMLFormElement>('[data-worklist-scope]');
  if (isAdmin) {
    scopeForm.hidden = false;
    scopeForm.addEventListener('submit', (event) => {
      event.preventDefault();
      page.state = new FormData(scopeForm).get('state')?.toString() ?? 'all';
      void loadWorklist(page, true);
    });
  }
  page.nearMatches.addEventListener('submit', (event) => handleDecision(page, event));
  page.changeRequests.addEventListener('submit', (event) => handleDecision(page, event));

  await loadWorklist(page, false);
}

async function loadWorklist(page: WorklistPage, announce: boolean): Promise<void> {
  updateIntro(page);
  let worklist: Worklist;
  try {
    worklist = await callApi<Worklist>('GET', `/api/record-worklist?state=${encodeURIComponent(page.state)}`);
  } catch (error) {
    showErrorAlert(page.alert, error);
    return;
  }
  page.alert.replaceChildren();
  renderNearMatches(page, worklist.nearMatches);
  renderChangeRequests(page, worklist.changeRequests);
  if (announce) {
    showStatus(
      page.status,
      `${plural(worklist.nearMatches.length, 'near match')} and ${plural(worklist.changeRequests.length, 'request')} waiting.`,
      'info',
    );
  }
}

function updateIntro(page: WorklistPage): void {
  const intro = findElement('[data-worklist-intro]');
  intro.textContent =
    page.state === 'all'
      ? 'The worklist of every state. As an admin with data-administrator access, you can decide any item.'
      : `The worklist of ${describeState(page.state)}: items that involve a record ${page.state} reported.`;

  const exportParagraph = findElement<HTMLElement>('[data-export-paragraph]');
  const link = findElement<HTMLAnchorElement>('[data-export-link]');
  exportParagraph.hidden = page.state === 'all';
  link.href = `/api/records/export-ids/${page.state}`;
  link.textContent = `Download the MSIX IDs of ${describeState(page.state)} (CSV with state_student_id and msix_id)`;
}

function renderNearMatches(page: WorklistPage, nearMatches: NearMatch[]): void {
  page.nearMatchesCount.textContent =
    nearMatches.length === 0
      ? 'No near match is waiting.'
      : `${plural(nearMatches.length, 'near match')}, oldest first.`;
  page.nearMatches.replaceChildren(...nearMatches.map(renderNearMatch));
}

function renderNearMatch(nearMatch: NearMatch): HTMLElement {
  const article = element('article', 'worklist-item');
  const headingId = `near-match-${nearMatch.id}-heading`;
  article.setAttribute('aria-labelledby', headingId);
  const heading = element(
    'h3',
    undefined,
    `Near match ${nearMatch.id}: MSIX IDs ${nearMatch.studentA?.msixId ?? '?'} and ${nearMatch.studentB?.msixId ?? '?'}`,
  );
  heading.id = headingId;
  article.append(heading, renderBadges(nearMatch.ageDays, nearMatch.escalatedAt, nearMatch.createdAt));

  const records = [nearMatch.studentA, nearMatch.studentB].filter((student): student is Identity => student !== null);
  article.append(renderComparisonTable(records, `Near match ${nearMatch.id}: the two state records side by side`));
  article.append(renderReasons(nearMatch));
  article.append(
    renderDecisionForm({
      id: `near-match-${nearMatch.id}`,
      path: `/api/record-near-matches/${nearMatch.id}`,
      actions: [
        { action: 'confirm', label: 'Confirm: same child', outline: false },
        { action: 'reject', label: 'Reject: different children', outline: true },
      ],
      commentRequired: true,
      commentLabel: 'Comment (required)',
      commentHint: 'What you compared and why you decided so. It is kept with the decision.',
    }),
  );
  return article;
}

function renderBadges(ageDays: number, escalatedAt: string | null, openedAt: string): HTMLElement {
  const badges = element('p', 'worklist-badges');
  // Spaces between the parts keep them apart when the text is read aloud or copied.
  badges.append(element('span', 'usa-tag', ageDays === 0 ? 'Opened today' : `Open ${plural(ageDays, 'day')}`), ' ');
  if (escalatedAt) badges.append(element('span', 'usa-tag worklist-tag--escalated', 'Escalated'), ' ');
  badges.append(`Waiting since ${formatTimestamp(openedAt)}.`);
  return badges;
}

const comparisonRows: { label: string; value: (student: Identity & { leaves?: boolean }) => string }[] = [
  { label: 'State and state student ID', value: (student) => `${student.state} ${student.stateStudentId}` },
  { label: 'MSIX ID', value: (student) => student.msixId ?? 'Not linked yet' },
  { label: 'Name', value: (student) => formatName(student) },
  { label: 'Birth date', value: (student) => formatCalendarDate(student.birthDate) },
  { label: 'Sex', value: (student) => student.sex },
  { label: 'Multiple birth', value: (student) => formatYesNo(student.multipleBirth) },
  {
    label: 'Birth place',
    value: (student) => [student.birthCity, student.birthState, student.birthCountry].filter(Boolean).join(', '),
  },
  {
    label: 'Parents',
    value: (student) =>
      [
        [student.parent1FirstName, student.parent1LastName],
        [student.parent2FirstName, student.parent2LastName],
      ]
        .map((parts) => parts.filter(Boolean).join(' '))
        .filter(Boolean)
        .join('; '),
  },
];

function renderComparisonTable(records: (Identity & { leaves?: boolean })[], caption: string): HTMLTableElement {
  const table = element('table', 'usa-table usa-table--borderless usa-table--stacked');
  table.append(element('caption', 'usa-sr-only', caption));
  const headRow = element('tr');
  const corner = element('th', undefined, 'Field');
  corner.scope = 'col';
  headRow.append(corner);
  records.forEach((student, index) => {
    const cell = element(
      'th',
      undefined,
      `Record ${index + 1} (${student.state})${student.leaves ? ', leaves the record' : ''}`,
    );
    cell.scope = 'col';
    headRow.append(cell);
  });
  table.append(element('thead'));
  table.tHead?.append(headRow);

  const body = element('tbody');
  for (const row of comparisonRows) {
    const tableRow = element('tr');
    const label = element('th', undefined, row.label);
    label.scope = 'row';
    tableRow.append(label);
    records.forEach((student, index) => {
      const cell = element('td', undefined, row.value(student) || '—');
      cell.dataset.label = `Record ${index + 1}`;
      tableRow.append(cell);
    });
    body.append(tableRow);
  }
  table.append(body);
  return table;
}

function renderReasons(nearMatch: NearMatch): HTMLElement {
  const wrapper = element('div', 'worklist-reasons');
  const thresholds = nearMatch.reasons?.thresholds;
  const strength = `Match strength ${formatScore(nearMatch.score)}`;
  const scoreLine = thresholds
    ? `${strength}. Records are linked automatically at ${formatScore(thresholds.link)} or more, and come to this worklist from ${formatScore(thresholds.nearMatch)}.`
    : `${strength}.`;
  wrapper.append(element('h4', undefined, 'Why linking proposed this pair'), element('p', undefined, scoreLine));
  const list = element('ul');
  for (const field of nearMatch.reasons?.fields ?? []) {
    list.append(element('li', undefined, `${outcomeLabels[field.outcome] ?? field.outcome}: ${field.detail}`));
  }
  for (const flag of nearMatch.reasons?.flags ?? []) {
    list.append(element('li', undefined, flagLabels[flag] ?? flag));
  }
  if (list.childElementCount > 0) wrapper.append(list);
  return wrapper;
}

function renderChangeRequests(page: WorklistPage, requests: ChangeRequest[]): void {
  page.changeRequestsCount.textContent =
    requests.length === 0 ? 'No merge or split is waiting.' : `${plural(requests.length, 'request')}, oldest first.`;
  page.changeRequests.replaceChildren(...requests.map(renderChangeRequest));
}

function renderChangeRequest(request: ChangeRequest): HTMLElement {
  const article = element('article', 'worklist-item');
  const headingId = `change-request-${request.id}-heading`;
  article.setAttribute('aria-labelledby', headingId);
  const title =
    request.kind === 'merge'
      ? `Merge request ${request.id}: MSIX ID ${request.otherMsixId ?? ''} into ${request.msixId}`
      : `Split request ${request.id}: one state record out of MSIX ID ${request.msixId}`;
  const heading = element('h3', undefined, title);
  heading.id = headingId;
  const ageDays = Math.max(0, Math.floor((Date.now() - Date.parse(request.requestedAt)) / 86_400_000));
  article.append(heading, renderBadges(ageDays, request.escalatedAt, request.requestedAt));

  const source = request.nearMatchId ? ` after confirming near match ${request.nearMatchId}` : '';
  article.append(element('p', undefined, `Requested by ${request.requestedBy}${source}. Reason: ${request.reason}`));
  const effect =
    request.kind === 'merge'
      ? `If validated, every state record of ${request.otherMsixId ?? ''} joins ${request.msixId}, and ${request.otherMsixId ?? ''} is retired: it keeps leading to ${request.msixId}.`
      : 'If validated, the record marked "leaves the record" gets a new consolidated record with a new MSIX ID.';
  article.append(element('p', undefined, effect));
  article.append(renderComparisonTable(request.stateRecords, `${title}: the state records involved`));

  const link = element('a', 'usa-link', `Open the consolidated record ${request.msixId}`);
  link.href = recordPath(request.msixId);
  const linkParagraph = element('p');
  linkParagraph.append(link);
  article.append(linkParagraph);

  if (request.ownRequest) {
    article.append(
      element(
        'p',
        'usa-hint',
        'You asked for this change, so another data administrator validates it. You can withdraw it.',
      ),
    );
    article.append(
      renderDecisionForm({
        id: `change-request-${request.id}`,
        path: `/api/record-changes/${request.id}`,
        actions: [{ action: 'decline', label: 'Withdraw the request', outline: true }],
        commentRequired: true,
        commentLabel: 'Why you withdraw it (required)',
      }),
    );
  } else {
    article.append(
      renderDecisionForm({
        id: `change-request-${request.id}`,
        path: `/api/record-changes/${request.id}`,
        actions: [
          { action: 'validate', label: `Validate the ${request.kind}`, outline: false },
          { action: 'decline', label: 'Decline', outline: true },
        ],
        commentRequired: false,
        commentLabel: 'Comment (required to decline)',
        commentHint: 'Say what you checked. Declining needs a comment.',
      }),
    );
  }
  return article;
}

function renderDecisionForm(options: {
  id: string;
  path: string;
  actions: { action: string; label: string; outline: boolean }[];
  commentRequired: boolean;
  commentLabel: string;
  commentHint?: string;
}): HTMLFormElement {
  const form = element('form', 'usa-form usa-form--large');
  form.noValidate = true;
  form.dataset.decisionPath = options.path;
  const alert = element('div');
  alert.dataset.formAlert = '';
  alert.dataset.headingLevel = '3';
  form.append(
    alert,
    textareaGroup({
      id: `${options.id}-comment`,
      name: 'comment',
      label: options.commentLabel,
      ...(options.commentHint ? { hint: options.commentHint } : {}),
      required: options.commentRequired,
      missing: 'Enter a comment: say what you compared and why you decided so.',
    }),
  );
  const buttons = element('ul', 'usa-button-group margin-top-2');
  for (const action of options.actions) {
    const item = element('li', 'usa-button-group__item');
    const button = element('button', action.outline ? 'usa-button usa-button--outline' : 'usa-button', action.label);
    button.type = 'submit';
    button.value = action.action;
    button.name = 'action';
    item.append(button);
    buttons.append(item);
  }
  form.append(buttons);
  return form;
}

function handleDecision(page: WorklistPage, event: SubmitEvent): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.decisionPath) return;
  event.preventDefault();
  const action = event.submitter instanceof HTMLButtonElement ? event.submitter.value : '';
  if (!action) return;

  void whileSubmitting(form, async () => {
    clearFormErrors(form);
    const comment = new FormData(form).get('comment')?.toString().trim() ?? '';
    const textarea = form.querySelector<HTMLTextAreaElement>('textarea[name="comment"]');
    // Declining and the near-match decisions need a comment; validating does not.
    if (textarea) textarea.required = action !== 'validate';
    if (!checkRequiredFields(form)) return;

    try {
      const result = await callApi<{ status?: string }>('POST', `${form.dataset.decisionPath}/${action}`, { comment });
      showStatus(page.status, describeOutcome(action, result.status));
      await loadWorklist(page, false);
      findElement<HTMLElement>(
        action === 'confirm' || action === 'reject' ? '#near-matches-heading' : '#change-requests-heading',
      ).focus();
    } catch (error) {
      showFormError(form, error);
    }
  });
}

function describeOutcome(action: string, status: string | undefined): string {
  if (action === 'confirm' && status === 'validation_pending') {
    return 'Near match confirmed. The merge now waits for a second data administrator; it is listed under merges and splits.';
  }
  if (action === 'confirm') return 'Near match confirmed. The two records were already one consolidated record.';
  if (action === 'reject')
    return 'Near match rejected. The records stay apart and linking will not propose them again.';
  if (action === 'validate') return 'Validated. The change took effect.';
  return 'Declined. Nothing changed in the records.';
}
