/**
 * The console's campaigns page, for admins. It shows the list of campaigns,
 * a panel for one campaign and the form that creates a draft. The panel shows
 * the campaign's facts and delivery counts, and offers preview, test,
 * schedule, send, pause, resume and cancel, with a confirmation step before
 * sending and cancelling. The open campaign's id is kept in the address as
 * `?campaign=`, so a reload shows it again.
 *
 * The preview shows the plain-text part on the page. The HTML part is offered
 * as a file to download: it relies on inline styles, which the site's
 * Content-Security-Policy blocks, and the policy allows no frame that could
 * hold it (frames fall back to default-src 'self', which excludes blob: and
 * data: URLs, and every response forbids framing).
 */
import { callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFieldProblems,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import type { Audience, Campaign, CampaignPreview } from './campaign-types';
import {
  allowedActions,
  describeAudience,
  renderCampaignRow,
  renderCounts,
  renderFacts,
  type CampaignAction,
  type IssueTitles,
} from './campaign-view';
import { checkValues } from './profile-form';

interface CampaignsPage {
  status: HTMLElement;
  alert: HTMLElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  listHeading: HTMLElement;
  panel: HTMLElement;
  panelAlert: HTMLElement;
  schedule: HTMLFormElement;
  confirm: HTMLElement;
  preview: HTMLElement;
  create: HTMLFormElement;
  campaign: Campaign | undefined;
  /** The action that the open confirmation panel is for. */
  pendingAction: 'send' | 'cancel' | undefined;
  /** The object URL of the downloadable HTML preview, revoked when replaced. */
  previewUrl: string | undefined;
  issueTitle: IssueTitles;
}

export async function startCampaignsPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin'], audience: 'admins' });
  if (!session) return;

  const page: CampaignsPage = {
    status: findRequired('[data-campaigns-status]'),
    alert: findRequired('[data-campaigns-alert]'),
    rows: findRequired('[data-campaign-rows]'),
    count: findRequired('[data-campaigns-count]'),
    listHeading: findRequired('#campaigns-heading'),
    panel: findRequired('[data-campaign-panel]'),
    panelAlert: findRequired('[data-campaign-alert]'),
    schedule: findRequired('[data-schedule-form]'),
    confirm: findRequired('[data-confirm-panel]'),
    preview: findRequired('[data-preview-panel]'),
    create: findRequired('[data-create-form]'),
    campaign: undefined,
    pendingAction: undefined,
    previewUrl: undefined,
    issueTitle: readIssueTitles(),
  };

  page.rows.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-campaign-id]');
    if (button) void openCampaign(page, Number(button.dataset.campaignId));
  });
  for (const button of page.panel.querySelectorAll<HTMLButtonElement>('[data-campaign-actions] [data-action]')) {
    button.addEventListener('click', () => void runAction(page, button.dataset.action as CampaignAction));
  }
  for (const button of page.panel.querySelectorAll<HTMLButtonElement>('[data-subpanel-close]')) {
    button.addEventListener('click', () => closeSubpanels(page, true));
  }
  findRequired('[data-campaign-close]').addEventListener('click', () => closeCampaign(page));
  findRequired('[data-confirm-yes]').addEventListener('click', () => void confirmAction(page));
  page.panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && hasOpenSubpanel(page)) closeSubpanels(page, true);
  });
  page.schedule.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(page.schedule, () => scheduleCampaign(page));
  });
  startCreateForm(page);

  await loadList(page);
  const requested = Number(new URLSearchParams(window.location.search).get('campaign'));
  if (Number.isSafeInteger(requested) && requested > 0) await openCampaign(page, requested);
}

/** Reads the issue titles from the create form's issue choices, which the build wrote from content/newsletters. */
function readIssueTitles(): IssueTitles {
  const titles = new Map<string, string>();
  for (const option of findRequired<HTMLSelectElement>('#create-issue').options) {
    if (option.value) titles.set(option.value, option.text);
  }
  return (slug) => titles.get(slug) ?? slug;
}

async function loadList(page: CampaignsPage): Promise<void> {
  try {
    const { campaigns } = await callApi<{ campaigns: Campaign[] }>('GET', '/api/campaigns');
    page.rows.replaceChildren(...campaigns.map((campaign) => renderCampaignRow(campaign, page.issueTitle)));
    page.count.textContent =
      campaigns.length === 0
        ? 'No campaign yet.'
        : campaigns.length === 1
          ? '1 campaign, newest first.'
          : `${campaigns.length} campaigns, newest first.`;
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

async function openCampaign(page: CampaignsPage, id: number): Promise<void> {
  page.alert.replaceChildren();
  try {
    const { campaign } = await callApi<{ campaign: Campaign }>('GET', `/api/campaigns/${id}`);
    closeSubpanels(page, false);
    showCampaign(page, campaign);
    writeOpenCampaign(campaign.id);
    findRequired<HTMLElement>('#campaign-heading').focus();
  } catch (error) {
    showErrorAlert(page.alert, error);
    writeOpenCampaign(undefined);
  }
}

function showCampaign(page: CampaignsPage, campaign: Campaign): void {
  page.campaign = campaign;
  page.panel.hidden = false;
  page.panelAlert.replaceChildren();
  findRequired<HTMLElement>('[data-campaign-title]').textContent = campaign.subject;
  findRequired<HTMLElement>('[data-campaign-facts]').replaceChildren(...renderFacts(campaign, page.issueTitle));
  findRequired<HTMLElement>('[data-campaign-counts]').replaceChildren(...renderCounts(campaign.stats));
  findRequired<HTMLElement>('[data-campaign-missed]').hidden = campaign.status !== 'missed';

  const allowed = allowedActions(campaign);
  for (const button of page.panel.querySelectorAll<HTMLButtonElement>('[data-campaign-actions] [data-action]')) {
    const item = button.closest('li') ?? button;
    item.hidden = !allowed.includes(button.dataset.action as CampaignAction);
  }
}

function closeCampaign(page: CampaignsPage): void {
  const id = page.campaign?.id;
  closeSubpanels(page, false);
  page.panel.hidden = true;
  page.campaign = undefined;
  writeOpenCampaign(undefined);
  const row = page.rows.querySelector<HTMLButtonElement>(`button[data-campaign-id="${id}"]`);
  (row ?? page.listHeading).focus();
}

function writeOpenCampaign(id: number | undefined): void {
  const url = new URL(window.location.href);
  if (id === undefined) url.searchParams.delete('campaign');
  else url.searchParams.set('campaign', String(id));
  window.history.replaceState(window.history.state, '', url);
}

function hasOpenSubpanel(page: CampaignsPage): boolean {
  return !page.schedule.hidden || !page.confirm.hidden || !page.preview.hidden;
}

/** Hides the schedule form, the confirmation and the preview. With `returnFocus`, focus goes back to the campaign's heading. */
function closeSubpanels(page: CampaignsPage, returnFocus: boolean): void {
  page.schedule.hidden = true;
  page.confirm.hidden = true;
  page.preview.hidden = true;
  page.pendingAction = undefined;
  clearFormErrors(page.schedule);
  if (returnFocus) findRequired<HTMLElement>('#campaign-heading').focus();
}

async function runAction(page: CampaignsPage, action: CampaignAction): Promise<void> {
  const campaign = page.campaign;
  if (!campaign) return;
  page.panelAlert.replaceChildren();
  showStatus(page.status, '');

  switch (action) {
    case 'preview':
      await showPreview(page, campaign);
      return;
    case 'schedule':
      openSchedule(page, campaign);
      return;
    case 'send':
    case 'cancel':
      await askToConfirm(page, campaign, action);
      return;
    case 'refresh':
      await refreshCampaign(page, campaign.id, 'The figures are up to date.');
      return;
    case 'test':
      await postAction(page, campaign, 'test', {});
      return;
    case 'pause':
    case 'resume':
      await postAction(page, campaign, action, {});
  }
}

const doneMessages: Record<'test' | 'schedule' | 'send' | 'pause' | 'resume' | 'cancel', string> = {
  test: 'A test message is on its way to your own address.',
  schedule: 'The campaign is scheduled.',
  send: 'Sending has started. Refresh the figures to follow the deliveries.',
  pause: 'The campaign is paused. Messages already handed to the mail server still go out.',
  resume: 'Sending has resumed.',
  cancel: 'The campaign is cancelled. Messages already sent stay sent; the others will not go out.',
};

async function postAction(
  page: CampaignsPage,
  campaign: Campaign,
  action: keyof typeof doneMessages,
  body: Record<string, unknown>,
): Promise<boolean> {
  try {
    const result = await callApi<{ campaign?: Campaign; test?: { to: string } }>(
      'POST',
      `/api/campaigns/${campaign.id}/${action}`,
      body,
    );
    if (result.campaign) showCampaign(page, result.campaign);
    showStatus(page.status, describeDone(action, result));
    void loadList(page);
    return true;
  } catch (error) {
    showErrorAlert(page.panelAlert, error);
    return false;
  }
}

function describeDone(
  action: keyof typeof doneMessages,
  result: { campaign?: Campaign; test?: { to: string } },
): string {
  if (result.test) return `A test message is on its way to ${result.test.to}.`;
  if (action === 'send' && result.campaign?.status === 'finished') {
    const { total } = result.campaign.stats;
    return total === 0
      ? 'Nothing was sent: no confirmed subscriber matches the audience, so the campaign finished at once.'
      : `Nothing was sent: all ${total} recipients are on the suppression list, so the campaign finished at once.`;
  }
  return doneMessages[action];
}

async function refreshCampaign(page: CampaignsPage, id: number, message: string | undefined): Promise<void> {
  try {
    const { campaign } = await callApi<{ campaign: Campaign }>('GET', `/api/campaigns/${id}`);
    showCampaign(page, campaign);
    if (message) showStatus(page.status, message, 'info');
  } catch (error) {
    showErrorAlert(page.panelAlert, error);
  }
}

function describeFacts(facts: [string, string][]): HTMLElement[] {
  return facts.flatMap(([term, value]) => [createElement('dt', { text: term }), createElement('dd', { text: value })]);
}

async function showPreview(page: CampaignsPage, campaign: Campaign): Promise<void> {
  try {
    const preview = await callApi<CampaignPreview>('GET', `/api/campaigns/${campaign.id}/preview`);
    closeSubpanels(page, false);
    const sendable = preview.recipients - preview.suppressedRecipients;
    const facts: [string, string][] = [
      ['Subject', preview.subject],
      [
        'Recipients now',
        `${sendable} of ${preview.recipients} matching subscribers; ${preview.suppressedRecipients} on the suppression list get nothing`,
      ],
      ['Unsubscribe', 'Every message has its own one-click unsubscribe link, in the footer and in the headers'],
    ];
    findRequired<HTMLElement>('[data-preview-facts]').replaceChildren(...describeFacts(facts));
    findRequired<HTMLElement>('[data-preview-headers]').replaceChildren(
      ...describeFacts(Object.entries(preview.headersSample)),
    );
    findRequired<HTMLElement>('[data-preview-text]').textContent = preview.text;

    if (page.previewUrl) URL.revokeObjectURL(page.previewUrl);
    page.previewUrl = URL.createObjectURL(new Blob([preview.html], { type: 'text/html;charset=utf-8' }));
    const link = findRequired<HTMLAnchorElement>('[data-preview-html]');
    link.href = page.previewUrl;
    link.download = `campaign-${campaign.id}-preview.html`;

    page.preview.hidden = false;
    findRequired<HTMLElement>('#preview-heading').focus();
  } catch (error) {
    showErrorAlert(page.panelAlert, error);
  }
}

function openSchedule(page: CampaignsPage, campaign: Campaign): void {
  closeSubpanels(page, false);
  const input = findRequired<HTMLInputElement>('#schedule-at');
  input.value = campaign.scheduledAt ? toLocalInputValue(new Date(campaign.scheduledAt)) : '';
  input.min = toLocalInputValue(new Date());
  page.schedule.hidden = false;
  findRequired<HTMLElement>('#schedule-heading').focus();
}

/** Formats a time for a datetime-local input, in the browser's time zone: YYYY-MM-DDTHH:MM. */
function toLocalInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function scheduleCampaign(page: CampaignsPage): Promise<void> {
  const campaign = page.campaign;
  if (!campaign) return;
  clearFormErrors(page.schedule);
  if (!checkRequiredFields(page.schedule)) return;

  const value = findRequired<HTMLInputElement>('#schedule-at').value;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    showFieldProblems(page.schedule, [
      { field: 'scheduledAt', message: 'Send at is not a valid date and time. Enter one such as 01/20/2027 09:30 AM.' },
    ]);
    return;
  }
  try {
    const result = await callApi<{ campaign: Campaign }>('POST', `/api/campaigns/${campaign.id}/schedule`, {
      scheduledAt: time.toISOString(),
    });
    closeSubpanels(page, false);
    showCampaign(page, result.campaign);
    showStatus(page.status, doneMessages.schedule);
    findRequired<HTMLElement>('#campaign-heading').focus();
    void loadList(page);
  } catch (error) {
    showFormError(page.schedule, error);
  }
}

async function askToConfirm(page: CampaignsPage, campaign: Campaign, action: 'send' | 'cancel'): Promise<void> {
  closeSubpanels(page, false);
  const title = findRequired<HTMLElement>('[data-confirm-title]');
  const text = findRequired<HTMLElement>('[data-confirm-text]');
  const yes = findRequired<HTMLButtonElement>('[data-confirm-yes]');
  findRequired<HTMLElement>('[data-confirm-alert]').replaceChildren();

  if (action === 'send') {
    title.textContent = 'Send this campaign now?';
    text.textContent = `"${campaign.subject}" goes out at once to: ${describeAudience(campaign).toLowerCase()}. Addresses on the suppression list are skipped. You can pause or cancel while it sends, but messages already sent cannot be called back.`;
    yes.textContent = 'Send now';
    yes.className = 'usa-button';
  } else {
    title.textContent = 'Cancel this campaign?';
    text.textContent =
      'Messages already sent stay sent, and no other message of this campaign will go out. A cancelled campaign cannot be restarted: to send the issue later, create a new campaign.';
    yes.textContent = 'Cancel the campaign';
    yes.className = 'usa-button usa-button--secondary';
  }
  page.pendingAction = action;
  page.confirm.hidden = false;
  findRequired<HTMLElement>('#confirm-heading').focus();
}

async function confirmAction(page: CampaignsPage): Promise<void> {
  const campaign = page.campaign;
  const action = page.pendingAction;
  const yes = findRequired<HTMLButtonElement>('[data-confirm-yes]');
  if (!campaign || !action || yes.getAttribute('aria-disabled') === 'true') return;

  yes.setAttribute('aria-disabled', 'true');
  const alertBefore = page.panelAlert;
  page.panelAlert = findRequired('[data-confirm-alert]');
  try {
    const done = await postAction(page, campaign, action, {});
    if (done) closeSubpanels(page, true);
  } finally {
    page.panelAlert = alertBefore;
    yes.removeAttribute('aria-disabled');
  }
}

function startCreateForm(page: CampaignsPage): void {
  const statesSummary = findRequired<HTMLElement>('[data-state-count]');
  page.create.addEventListener('change', () => {
    const checked = new FormData(page.create).getAll('states').length;
    statesSummary.textContent = checked === 0 ? '(all states)' : `(${checked} checked)`;
  });
  statesSummary.textContent = '(all states)';

  page.create.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(page.create, () => createCampaign(page));
  });
}

async function createCampaign(page: CampaignsPage): Promise<void> {
  clearFormErrors(page.create);
  showStatus(page.status, '');
  if (!checkRequiredFields(page.create)) return;

  const data = new FormData(page.create);
  const audience: Audience = {
    states: data.getAll('states').map(String),
    roles: data.getAll('roles').map(String),
    topics: data.getAll('topics').map(String),
  };
  const subject = String(data.get('subject') ?? '').trim();
  try {
    const { campaign } = await callApi<{ campaign: Campaign }>('POST', '/api/campaigns', {
      newsletterSlug: String(data.get('newsletterSlug') ?? ''),
      ...(subject ? { subject } : {}),
      audience,
    });
    page.create.reset();
    for (const name of ['states', 'roles', 'topics']) checkValues(page.create, name, []);
    findRequired<HTMLElement>('[data-state-count]').textContent = '(all states)';
    await loadList(page);
    closeSubpanels(page, false);
    showCampaign(page, campaign);
    writeOpenCampaign(campaign.id);
    showStatus(page.status, 'The draft is created. Preview it and send a test before you send it.');
    findRequired<HTMLElement>('#campaign-heading').focus();
  } catch (error) {
    showFormError(page.create, error);
  }
}
