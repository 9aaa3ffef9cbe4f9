/** The pure rules of inbound support mail: threading decisions, the loop guard and HTML sanitizing. */
import { describe, expect, test } from 'vitest';
import { findAutomatedMailReason, type MailHeader } from '../api/desk/inbound/loop-guard';
import { sanitizeMailHtml, textFromHtml } from '../api/desk/inbound/sanitize';
import {
  decideThread,
  extractMessageIds,
  type ThreadingInput,
  type ThreadingLookup,
} from '../api/desk/inbound/threading';

/** Ticket 7 (requester ana@) was merged into ticket 9 (requester ana@, follower ben@); ticket 12 belongs to cy@. */
const knownMessageIds = new Map([
  ['<ack-7@desk.example>', 7],
  ['<reply-9@desk.example>', 9],
  ['<ack-12@desk.example>', 12],
  ['<received-12@mail.example>', 12],
]);
const participants = new Map([
  [7, ['ana@state.example.gov']],
  [9, ['ana@state.example.gov', 'ben@state.example.gov']],
  [12, ['cy@district.example.org']],
]);
const mergedInto = new Map([[7, 9]]);

const lookup: ThreadingLookup = {
  ticketIdForMessageId: (messageId) => knownMessageIds.get(messageId) ?? null,
  currentTicketId: (ticketId) => (participants.has(ticketId) ? (mergedInto.get(ticketId) ?? ticketId) : null),
  takesPart: (ticketId, address) => participants.get(ticketId)?.includes(address) ?? false,
};

function mail(overrides: Partial<ThreadingInput>): ThreadingInput {
  return {
    messageId: '<new-message@mail.example>',
    inReplyTo: [],
    references: [],
    subject: 'Question about an MSIX ID',
    senderAddress: 'ana@state.example.gov',
    ...overrides,
  };
}

describe('decideThread', () => {
  test('stored Message-ID is a redelivery', () => {
    const decision = decideThread(mail({ messageId: '<received-12@mail.example>' }), lookup);
    expect(decision).toEqual({ action: 'redelivery', ticketId: 12 });
  });

  test('In-Reply-To of a desk message joins its ticket', () => {
    const decision = decideThread(mail({ inReplyTo: ['<reply-9@desk.example>'] }), lookup);
    expect(decision).toEqual({ action: 'reply', ticketId: 9, matchedBy: 'in_reply_to' });
  });

  test('References chain with an unknown first message joins through a later ID', () => {
    const decision = decideThread(
      mail({
        inReplyTo: ['<someone-else@other.example>'],
        references: ['<never-sent@other.example>', '<reply-9@desk.example>', '<someone-else@other.example>'],
      }),
      lookup,
    );
    expect(decision).toEqual({ action: 'reply', ticketId: 9, matchedBy: 'references' });
  });

  test('merged ticket sends the reply to the ticket it went into', () => {
    const decision = decideThread(mail({ inReplyTo: ['<ack-7@desk.example>'] }), lookup);
    expect(decision).toEqual({ action: 'reply', ticketId: 9, matchedBy: 'in_reply_to' });
  });

  test.each([
    'Re: [Ticket #9] Question',
    'AW: RE: [Ticket #9] Question',
    'RV: Fwd: re: [Ticket #9] Question',
    'Thanks, this fixed it [Ticket #9]',
    'fwd: [ticket #9]',
  ])('subject token in %j joins the ticket', (subject) => {
    const decision = decideThread(mail({ subject }), lookup);
    expect(decision).toEqual({ action: 'reply', ticketId: 9, matchedBy: 'subject_token' });
  });

  test('known In-Reply-To from a non-participant opens a new ticket', () => {
    const decision = decideThread(
      mail({ inReplyTo: ['<ack-12@desk.example>'], senderAddress: 'ana@state.example.gov' }),
      lookup,
    );
    expect(decision).toEqual({ action: 'new_ticket', foreignTicketId: 12 });
  });

  test('subject token from a non-participant opens a new ticket', () => {
    const decision = decideThread(
      mail({ subject: 'Re: [Ticket #12] Access', senderAddress: 'ben@state.example.gov' }),
      lookup,
    );
    expect(decision).toEqual({ action: 'new_ticket', foreignTicketId: 12 });
  });

  test('token of a ticket that does not exist opens a new ticket', () => {
    const decision = decideThread(mail({ subject: 'Re: [Ticket #404] Access' }), lookup);
    expect(decision).toEqual({ action: 'new_ticket', foreignTicketId: null });
  });

  test('later candidate is tried when the first one refuses the sender', () => {
    const decision = decideThread(
      mail({
        inReplyTo: ['<ack-12@desk.example>'],
        subject: 'Re: [Ticket #9] Question',
        senderAddress: 'ben@state.example.gov',
      }),
      lookup,
    );
    expect(decision).toEqual({ action: 'reply', ticketId: 9, matchedBy: 'subject_token' });
  });

  test('message without any reference opens a new ticket', () => {
    expect(decideThread(mail({ messageId: null }), lookup)).toEqual({ action: 'new_ticket', foreignTicketId: null });
  });
});

describe('extractMessageIds', () => {
  test('finds every bracketed ID once, in order', () => {
    expect(extractMessageIds('<a@x> (comment) <b@y>\r\n\t<a@x>')).toEqual(['<a@x>', '<b@y>']);
  });

  test('accepts one bare ID with an @', () => {
    expect(extractMessageIds('bare-id@mail.example')).toEqual(['<bare-id@mail.example>']);
  });

  test('ignores text that is no ID', () => {
    expect(extractMessageIds('your message of Friday')).toEqual([]);
    expect(extractMessageIds(undefined)).toEqual([]);
  });
});

describe('findAutomatedMailReason', () => {
  const header = (name: string, value: string): MailHeader => ({ name, value });

  test.each([
    [[header('auto-submitted', 'auto-replied')], 'auto_submitted'],
    [[header('auto-submitted', 'Auto-Generated; owner-email="x@y.example"')], 'auto_submitted'],
    [[header('precedence', 'bulk')], 'precedence'],
    [[header('precedence', 'Junk')], 'precedence'],
    [[header('precedence', 'list')], 'precedence'],
    [[header('return-path', '<>')], 'empty_return_path'],
    [[header('x-autoreply', 'yes')], 'autoreply_header'],
    [[header('x-autorespond', 'Out of office')], 'autoreply_header'],
    [[header('list-id', 'MEP coordinators <mep.lists.example.org>')], 'mailing_list'],
    [[header('content-type', 'multipart/report; report-type=delivery-status; boundary="b1"')], 'delivery_report'],
  ] as const)('%j counts as %s', (headers, reason) => {
    expect(findAutomatedMailReason(headers)).toBe(reason);
  });

  test('empty envelope sender counts as automatic', () => {
    expect(findAutomatedMailReason([], '')).toBe('empty_return_path');
  });

  test('mail a person wrote is not automatic', () => {
    const headers = [
      header('auto-submitted', 'no'),
      header('precedence', 'first-class'),
      header('return-path', '<ana@state.example.gov>'),
    ];
    expect(findAutomatedMailReason(headers, 'ana@state.example.gov')).toBeNull();
  });
});

describe('sanitizeMailHtml', () => {
  const dirty =
    '<p onclick="steal()">Hello <b>there</b></p><script>alert(1)</script><style>p{color:red}</style>' +
    '<a href="javascript:alert(2)">bad link</a> <a href="https://msix.example.gov/help" style="color:red">good link</a>' +
    '<a href="mailto:help@example.gov">mail us</a><img src="https://tracker.example/pixel.gif"><iframe src="https://x.example"></iframe>';
  const clean = sanitizeMailHtml(dirty) ?? '';

  test('removes scripts, styles, images and frames', () => {
    expect(clean).not.toMatch(/<script|<style|<img|<iframe|alert\(1\)|color:red/);
  });

  test('removes event attributes and javascript links', () => {
    expect(clean).not.toContain('onclick');
    expect(clean).not.toContain('javascript:');
  });

  test('keeps formatting and http, https and mailto links', () => {
    expect(clean).toContain('<b>there</b>');
    expect(clean).toContain('href="https://msix.example.gov/help"');
    expect(clean).toContain('href="mailto:help@example.gov"');
    expect(clean).toContain('rel="noopener noreferrer nofollow"');
  });

  test('returns null when nothing is left', () => {
    expect(sanitizeMailHtml('<script>alert(1)</script><img src="x">')).toBeNull();
  });
});

describe('textFromHtml', () => {
  test('keeps line structure and decodes entities', () => {
    expect(textFromHtml('<p>First &amp; second</p><p>a&lt;b&gt; &#233;t&#xE9;<br>next</p>')).toBe(
      'First & second\na<b> été\nnext',
    );
  });
});
