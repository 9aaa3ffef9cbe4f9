/**
 * Mail of the records exchange: move notices, merge and split requests
 * waiting for validation, and worklist escalations. Student records are
 * personal data, so these messages carry MSIX IDs, states and dates only,
 * never a student's name, birth date or parents, and never the free-text
 * comments people type (which may name the child). The details are behind
 * the link, after signing in.
 */
import { paragraph, render, type Block, type RenderedMessage } from './blocks';

const signature = 'MSIX Assist, the MSIX technical-assistance portal';

export interface MoveNoticeFacts {
  msixId: string;
  /** Such as "Texas (TX)", or "the MSIX technical-assistance team" when national staff sent it. */
  fromDescription: string;
  toStateName: string;
  toCity: string | null;
  /** YYYY-MM-DD. */
  expectedArrivalDate: string;
}

export function renderMoveNoticeMessage(options: {
  recipientName: string;
  notice: MoveNoticeFacts;
  link: string;
}): RenderedMessage {
  const { recipientName, notice, link } = options;
  const destination = notice.toCity ? `${notice.toCity}, ${notice.toStateName}` : notice.toStateName;
  return render(`Move notice: a migratory child is expected in ${notice.toStateName}`, [
    paragraph(`Hello ${recipientName},`),
    paragraph(
      `${notice.fromDescription} sent a move notice: a child with a consolidated record in MSIX is expected to arrive in ${destination} on or about ${notice.expectedArrivalDate}.`,
    ),
    { kind: 'list', items: [`MSIX ID: ${notice.msixId}`, `Expected arrival: ${notice.expectedArrivalDate}`] },
    paragraph(
      'Sign in to read the notice and its comment, open the child’s consolidated record and acknowledge the notice, so the sending state knows it arrived:',
    ),
    { kind: 'link', href: link },
    paragraph(
      `You receive this message because you are a state coordinator for ${notice.toStateName}. The child’s name and details are not in this email, to keep them private.`,
    ),
    paragraph(signature),
  ]);
}

export interface ChangeRequestFacts {
  kind: 'merge' | 'split';
  /** The record that stays (merge) or that a state record leaves (split). */
  msixId: string;
  /** Merge only: the MSIX ID that is retired when the merge takes effect. */
  otherMsixId: string | null;
  /** Split only: the state whose record leaves. */
  splitState: string | null;
  requesterName: string;
}

export function renderValidationRequest(options: {
  recipientName: string;
  request: ChangeRequestFacts;
  link: string;
}): RenderedMessage {
  const { recipientName, request, link } = options;
  const subject =
    request.kind === 'merge'
      ? `Merge waiting for validation: MSIX ID ${request.otherMsixId ?? ''} into ${request.msixId}`
      : `Split waiting for validation: a ${request.splitState ?? ''} record out of MSIX ID ${request.msixId}`;
  const what =
    request.kind === 'merge'
      ? `${request.requesterName} asked to merge the consolidated record with MSIX ID ${request.otherMsixId ?? ''} into the one with MSIX ID ${request.msixId}. The first ID would be retired and lead to the second.`
      : `${request.requesterName} asked to split the ${request.splitState ?? ''} state record out of the consolidated record with MSIX ID ${request.msixId}. It would get a new consolidated record and a new MSIX ID.`;
  return render(subject, [
    paragraph(`Hello ${recipientName},`),
    paragraph(what),
    paragraph(
      'Nothing changes until a second data administrator, not the requester, validates it. Sign in to compare the records and validate or decline the request:',
    ),
    { kind: 'link', href: link },
    paragraph(
      'You receive this message because you are a data administrator for a state whose records the request touches, or an admin with data-administrator access.',
    ),
    paragraph(signature),
  ]);
}

export interface EscalatedItem {
  /** Such as "Near match" or "Merge request". */
  label: string;
  msixIds: string[];
  /** Day the item was opened, YYYY-MM-DD. */
  openedOn: string;
}

export function renderWorklistEscalation(options: {
  recipientName: string;
  items: EscalatedItem[];
  businessDays: number;
  link: string;
}): RenderedMessage {
  const { recipientName, items, businessDays, link } = options;
  const count = items.length === 1 ? 'One worklist item is' : `${items.length} worklist items are`;
  const blocks: Block[] = [
    paragraph(`Hello ${recipientName},`),
    paragraph(`${count} still open after ${businessDays} business days and now escalated:`),
    {
      kind: 'list',
      items: items.map((item) => `${item.label}, MSIX IDs ${item.msixIds.join(' and ')}, open since ${item.openedOn}`),
    },
    paragraph('Sign in to the records worklist to resolve them:'),
    { kind: 'link', href: link },
    paragraph(
      'You receive this message because you are a data administrator for a state involved, or an admin with data-administrator access. Each item is escalated once.',
    ),
    paragraph(signature),
  ];
  const subjectCount = items.length === 1 ? '1 item' : `${items.length} items`;
  return render(`Records worklist: ${subjectCount} escalated after ${businessDays} business days`, blocks);
}
