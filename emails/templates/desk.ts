/**
 * Mail of the support desk to requesters and followers: the acknowledgement
 * of a new ticket, agents' public replies, the visitor's address
 * confirmation, the satisfaction survey, and the notice to an assignee that
 * the requester replied. Subjects carry the ticket token so that replies find
 * their ticket. Every text that a person typed is escaped in the HTML part by
 * the block renderer.
 */
import { paragraph, render, type Block, type RenderedMessage } from './blocks';

const signature = 'MSIX Assist help desk';

const replyHint = 'Reply to this email to add to your ticket. Keep the ticket number in the subject.';

export interface TicketFacts {
  /** The subject with its token, such as "[Ticket #12] Cannot sign in". */
  subject: string;
  /** The ticket page, such as https://assist.example.gov/support/ticket/?id=12. */
  link: string;
}

export function renderTicketAcknowledgement(options: {
  recipientName: string;
  ticketId: number;
  ticket: TicketFacts;
  bodyText: string;
  hasAccount: boolean;
  /** A phone call logged by an agent: the text is the agent's summary of the call. */
  phoneCall: boolean;
}): RenderedMessage {
  const { recipientName, ticketId, ticket, bodyText, hasAccount, phoneCall } = options;
  const blocks: Block[] = [
    paragraph(`Hello ${recipientName},`),
    paragraph(
      phoneCall
        ? `Thank you for calling the help desk. We logged your call as ticket #${ticketId} and will answer by email.`
        : `We received your request and opened ticket #${ticketId}. An agent will answer by email.`,
    ),
    paragraph(phoneCall ? 'Our note of your call:' : 'You wrote:'),
    quote(bodyText),
    paragraph(replyHint),
  ];
  if (hasAccount)
    blocks.push(paragraph('You can also follow the ticket on the site:'), { kind: 'link', href: ticket.link });
  blocks.push(paragraph(signature));
  return render(ticket.subject, blocks);
}

export function renderAgentReply(options: {
  recipientName: string;
  agentName: string;
  ticket: TicketFacts;
  bodyText: string;
  /** Names of the files attached to the reply; the mail names them but does not carry them. */
  fileNames?: string[];
  solved: boolean;
  hasAccount: boolean;
}): RenderedMessage {
  const { recipientName, agentName, ticket, bodyText, solved, hasAccount } = options;
  const fileNames = options.fileNames ?? [];
  const blocks: Block[] = [paragraph(`Hello ${recipientName},`), paragraph(`${agentName} replied:`), quote(bodyText)];
  if (fileNames.length > 0) {
    blocks.push(
      paragraph(
        hasAccount
          ? 'Files attached to this reply, which you can download from the ticket page on the site:'
          : 'Files attached to this reply. They are kept on the site; reply to this email if you need them sent another way:',
      ),
      { kind: 'list', items: fileNames },
    );
  }
  if (solved) {
    blocks.push(paragraph('We marked this ticket solved. If you still need help, reply to this email and it reopens.'));
  } else {
    blocks.push(paragraph(replyHint));
  }
  if (hasAccount)
    blocks.push(paragraph('Read the whole conversation on the site:'), { kind: 'link', href: ticket.link });
  blocks.push(paragraph(signature));
  return render(ticket.subject, blocks);
}

export function renderVisitorConfirmation(options: {
  recipientName: string;
  subject: string;
  link: string;
  hoursValid: number;
}): RenderedMessage {
  const { recipientName, subject, link, hoursValid } = options;
  return render('Confirm your email address to open your help desk ticket', [
    paragraph(`Hello ${recipientName},`),
    paragraph(`Someone, probably you, asked the MSIX Assist help desk for help: "${subject}".`),
    paragraph(`To open the ticket, confirm your email address within ${hoursValid} hours:`),
    { kind: 'link', href: link, label: 'Confirm my address and open the ticket' },
    paragraph('If you did not ask for help, ignore this email and nothing is opened.'),
    paragraph(signature),
  ]);
}

export function renderSurveyInvitation(options: {
  recipientName: string;
  ticketId: number;
  ticket: TicketFacts;
  link: string;
}): RenderedMessage {
  const { recipientName, ticketId, ticket, link } = options;
  return render(`How did we do? ${ticket.subject}`, [
    paragraph(`Hello ${recipientName},`),
    paragraph(`Ticket #${ticketId} is solved. How satisfied are you with the help you received?`),
    paragraph('One question and an optional comment. The link works once and needs no sign-in:'),
    { kind: 'link', href: link, label: 'Rate the help you received' },
    paragraph(signature),
  ]);
}

/** Maximum characters of a requester's reply quoted in the notice to the assignee. */
export const assigneeExcerptLength = 500;

/**
 * Renders the notice to a ticket's assignee that the requester or a follower
 * replied. It quotes at most the first 500 characters of the reply and links
 * the ticket in the agents' console.
 */
export function renderAssigneeReplyNotice(options: {
  recipientName: string;
  authorName: string;
  ticketId: number;
  /** The subject of the notice, with the ticket token, such as "[Ticket #12] New reply: Cannot sign in". */
  subject: string;
  bodyText: string;
  /** The ticket in the agents' console, such as https://assist.example.gov/desk/ticket/?id=12. */
  link: string;
}): RenderedMessage {
  const { recipientName, authorName, ticketId, subject, bodyText, link } = options;
  const cut = bodyText.length > assigneeExcerptLength;
  const excerpt = cut ? `${bodyText.slice(0, assigneeExcerptLength).trimEnd()}…` : bodyText;
  return render(subject, [
    paragraph(`Hello ${recipientName},`),
    paragraph(`${authorName} replied on ticket #${ticketId}, which is assigned to you:`),
    quote(excerpt),
    paragraph(cut ? 'The reply is longer. Read all of it and answer in the help desk:' : 'Answer in the help desk:'),
    { kind: 'link', href: link },
    paragraph('The help desk sends this message automatically; replies to it are not read.'),
    paragraph(signature),
  ]);
}

/** Splits the person's own text into lines, so the HTML part keeps its line breaks. */
function quote(text: string): Block {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return paragraph(...lines);
}
