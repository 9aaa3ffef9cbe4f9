/**
 * The console's agents page at /desk/agents/: every agent and admin with
 * their availability for round-robin, open tickets and cap. Admins change a
 * cap with the form below the table. Agents see the table only.
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
import { roleLabels } from '../account/labels';
import { openGatedPage, type SessionPerson } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { maxOpenTicketCap, minOpenTicketCap } from '../../../api/desk/console/caps';
import { plural } from '../../lib/plural';
import { formatShort, labelOf } from './labels';
import type { StaffMember } from './types';

interface Page {
  actor: SessionPerson;
  status: HTMLElement;
  alert: HTMLElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  form: HTMLFormElement;
  agentSelect: HTMLSelectElement;
  capInput: HTMLInputElement;
  agents: StaffMember[];
}

export async function startAgentsPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['agent', 'admin'], audience: 'help desk agents and admins' });
  if (!session) return;

  const page: Page = {
    actor: session.person,
    status: findRequired('[data-agents-status]'),
    alert: findRequired('[data-agents-alert]'),
    rows: findRequired('[data-agent-rows]'),
    count: findRequired('[data-agents-count]'),
    form: findRequired('[data-cap-form]'),
    agentSelect: findRequired('#cap-agent'),
    capInput: findRequired('#cap-value'),
    agents: [],
  };

  const admin = page.actor.role === 'admin';
  findRequired<HTMLElement>('[data-cap-section]').hidden = !admin;
  findRequired<HTMLElement>('[data-caps-readonly]').hidden = admin;
  if (admin) startCapForm(page);

  await loadAgents(page);
}

async function loadAgents(page: Page): Promise<void> {
  try {
    const { agents } = await callApi<{ agents: StaffMember[] }>('GET', '/api/desk/agents');
    page.agents = agents;
    renderAgents(page);
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function renderAgents(page: Page): void {
  const available = page.agents.filter((agent) => agent.available).length;
  page.count.textContent = `${plural(page.agents.length, 'agent')}, ${available} available for round-robin.`;

  page.rows.replaceChildren(
    ...page.agents.map((agent) =>
      createElement('tr', {}, [
        createElement('th', {
          text: `${agent.name}${agent.id === page.actor.id ? ' (me)' : ''}`,
          attributes: { scope: 'row' },
        }),
        createElement('td', { text: labelOf(roleLabels, agent.role) }),
        createElement('td', {}, [describeAvailability(agent)]),
        createElement('td', { text: String(agent.openTickets) }),
        createElement('td', { text: String(agent.openTicketCap) }),
        createElement('td', { text: agent.lastAssignedAt ? formatShort(agent.lastAssignedAt) : 'Never' }),
      ]),
    ),
  );

  const chosen = page.agentSelect.value;
  page.agentSelect.replaceChildren(
    createElement('option', { text: '- Choose an agent -', attributes: { value: '' } }),
    ...page.agents.map((agent) =>
      createElement('option', {
        text: `${agent.name}, cap ${agent.openTicketCap}`,
        attributes: { value: String(agent.id) },
      }),
    ),
  );
  page.agentSelect.value = page.agents.some((agent) => String(agent.id) === chosen) ? chosen : '';
}

/** "Available", "Available, at cap" (round-robin skips them) or "Not available". */
function describeAvailability(agent: StaffMember): Node {
  if (!agent.available) return document.createTextNode('Not available');
  if (agent.openTickets < agent.openTicketCap) return document.createTextNode('Available');
  return createElement('span', {}, [
    'Available, ',
    createElement('span', { className: 'desk-badge desk-badge--soon', text: 'at cap' }),
  ]);
}

function startCapForm(page: Page): void {
  // Choosing an agent fills in their current cap, so the admin edits it rather than retyping it.
  page.agentSelect.addEventListener('change', () => {
    const agent = page.agents.find((entry) => String(entry.id) === page.agentSelect.value);
    if (agent) page.capInput.value = String(agent.openTicketCap);
  });

  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!checkRequiredFields(page.form)) return;
    const raw = page.capInput.value.trim();
    const cap = Number(raw);
    if (!/^\d{1,4}$/.test(raw) || cap < minOpenTicketCap || cap > maxOpenTicketCap) {
      showFieldProblems(page.form, [
        {
          field: 'openTicketCap',
          message: `Enter a whole number from ${minOpenTicketCap} to ${maxOpenTicketCap} as the cap.`,
        },
      ]);
      return;
    }
    const agentId = Number(page.agentSelect.value);
    void whileSubmitting(page.form, async () => {
      try {
        const updated = await callApi<StaffMember>('PATCH', `/api/desk/agents/${agentId}`, { openTicketCap: cap });
        clearFormErrors(page.form);
        await loadAgents(page);
        showStatus(page.status, `${updated.name} can now hold ${updated.openTicketCap} open tickets from round-robin.`);
      } catch (error) {
        showFormError(page.form, error);
      }
    });
  });
}
