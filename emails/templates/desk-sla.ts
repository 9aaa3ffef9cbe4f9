/**
 * The SLA warning sent to a ticket's assignee before a first-response or
 * resolution target is missed. It carries the ticket number, subject,
 * priority and due time, and no message text from the conversation.
 */
import { oneLine, paragraph, render, subjectTitle, type RenderedMessage } from './blocks';

export type SlaClock = 'first_response' | 'resolution';

export interface SlaWarningFacts {
  recipientName: string;
  ticketId: number;
  ticketSubject: string;
  priority: string;
  /** The clocks this message warns about: one, or both when they come due together. */
  clocks: Array<{ clock: SlaClock; dueText: string; breached: boolean }>;
  /** The ticket in the agents' console. */
  link: string;
}

const clockNames: Record<SlaClock, string> = {
  first_response: 'first response',
  resolution: 'resolution',
};

export function renderSlaWarning(facts: SlaWarningFacts): RenderedMessage {
  const breached = facts.clocks.some((entry) => entry.breached);
  const subject = `${breached ? 'SLA missed' : 'SLA due soon'}: Ticket ${facts.ticketId}, ${subjectTitle(facts.ticketSubject)}`;
  const lines = facts.clocks.map((entry) =>
    entry.breached
      ? `The ${clockNames[entry.clock]} target was missed: it was due ${entry.dueText}.`
      : `The ${clockNames[entry.clock]} target is due ${entry.dueText}, within one business hour.`,
  );

  return render(subject, [
    paragraph(`Hello ${facts.recipientName},`),
    paragraph(
      `Ticket ${facts.ticketId}, "${oneLine(facts.ticketSubject)}" (priority ${facts.priority}), is assigned to you.`,
    ),
    paragraph(...lines),
    paragraph('Open the ticket to reply to the requester, or reassign it if someone else should take it:'),
    { kind: 'link', href: facts.link },
    paragraph(
      'You get one message for each due time. The help desk sends this message automatically; replies to it are not read.',
    ),
    paragraph('MSIX Assist, the MSIX technical-assistance portal'),
  ]);
}
