/**
 * The text helpers of the ticket pages and record pages: collapsing the
 * quoted earlier message of an email reply, count phrases, and code labels.
 */
import { describe, expect, test } from 'vitest';
import { plural } from '../site/lib/plural';
import { birthDateVerificationLabels, describeCode, termTypeLabels } from '../site/scripts/records/code-labels';
import { splitQuotedText } from '../site/scripts/support/quoted-text';

describe('splitQuotedText', () => {
  test('trailing quote with attribution is split off', () => {
    const text =
      'Thanks, that worked.\n\nOn Fri, Dec 4, 2026, MSIX help desk wrote:\n> We received your request.\n>\n> Ticket 12';
    const split = splitQuotedText(text);
    expect(split.reply).toBe('Thanks, that worked.');
    expect(split.quoted).toBe(
      'On Fri, Dec 4, 2026, MSIX help desk wrote:\n> We received your request.\n>\n> Ticket 12',
    );
  });

  test('quote without attribution is split off', () => {
    const split = splitQuotedText('Yes.\n> Is the file ready?\n\n');
    expect(split.reply).toBe('Yes.');
    expect(split.quoted).toBe('> Is the file ready?');
  });

  test('quote inside the reply stays', () => {
    const text = '> Is the file ready?\nYes, I sent it today.';
    expect(splitQuotedText(text)).toEqual({ reply: text, quoted: '' });
  });

  test('message that is only a quote stays whole', () => {
    const text = '> We received your request.';
    expect(splitQuotedText(text)).toEqual({ reply: text, quoted: '' });
  });

  test('message without a quote stays whole', () => {
    expect(splitQuotedText('Plain text\r\non two lines')).toEqual({ reply: 'Plain text\r\non two lines', quoted: '' });
  });
});

describe('plural', () => {
  test.each([
    [1, 'open ticket', '1 open ticket'],
    [3, 'open ticket', '3 open tickets'],
    [0, 'answer', '0 answers'],
    [9, 'near match', '9 near matches'],
    [1, 'near match', '1 near match'],
    [2, 'box', '2 boxes'],
    [1500, 'student', '1,500 students'],
  ])('%i %s', (count, noun, expected) => {
    expect(plural(count, noun)).toBe(expected);
  });

  test('irregular plural is passed in', () => {
    expect(plural(2, 'child', 'children')).toBe('2 children');
  });
});

describe('describeCode', () => {
  test('known code shows words and code', () => {
    expect(describeCode(birthDateVerificationLabels, '1004')).toBe('Birth certificate (1004)');
    expect(describeCode(termTypeLabels, '0828')).toBe('Semester (0828)');
  });

  test('unknown code is shown as it is', () => {
    expect(describeCode(birthDateVerificationLabels, '4242')).toBe('4242');
  });

  test('missing code is empty', () => {
    expect(describeCode(birthDateVerificationLabels, null)).toBe('');
    expect(describeCode(birthDateVerificationLabels, '')).toBe('');
  });
});
