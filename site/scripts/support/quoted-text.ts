/**
 * Splits an email reply into the new text and the earlier message it quotes,
 * so the conversation pages can show the quote collapsed. The stored text is
 * never changed: this only decides how it is displayed.
 */

export interface SplitMessage {
  /** The text the sender wrote, with trailing blank lines removed. */
  reply: string;
  /** The quoted earlier message with its "On … wrote:" line, or an empty string when there is none. */
  quoted: string;
}

const quoteLine = /^\s*>/;
/** The attribution line mail programs put above a quote, such as "On Fri, Dec 4, 2026, Help desk wrote:". */
const attributionLine = /^\s*On\b.*\bwrote:\s*$/i;

/**
 * Finds a block of "> " lines that runs to the end of the message (blank lines
 * allowed), together with the attribution line just above it. Quotes inside
 * the reply, followed by more of the sender's own text, stay where they are.
 */
export function splitQuotedText(text: string): SplitMessage {
  const lines = text.split(/\r?\n/);
  let start = lines.length;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index]!;
    if (quoteLine.test(line)) start = index;
    else if (line.trim() !== '') break;
  }
  if (start === lines.length) return { reply: text, quoted: '' };

  let attribution = start - 1;
  while (attribution >= 0 && lines[attribution]!.trim() === '') attribution -= 1;
  if (attribution >= 0 && attributionLine.test(lines[attribution]!)) start = attribution;

  const reply = lines.slice(0, start).join('\n').trimEnd();
  // A message that is nothing but a quote is shown whole, because hiding all of it would leave an empty message.
  if (reply.trim() === '') return { reply: text, quoted: '' };
  return { reply, quoted: lines.slice(start).join('\n').trimEnd() };
}

/**
 * Builds the body of one message: the reply as a paragraph, then the quote,
 * if any, inside a closed "Show quoted text" disclosure. `bodyClass` styles both texts.
 */
export function renderMessageBody(text: string, bodyClass: string): HTMLElement[] {
  const { reply, quoted } = splitQuotedText(text);
  const body = document.createElement('p');
  body.className = bodyClass;
  body.textContent = reply;
  if (quoted === '') return [body];

  const details = document.createElement('details');
  details.className = 'message-quote';
  const summary = document.createElement('summary');
  summary.textContent = 'Show quoted text';
  const quote = document.createElement('p');
  quote.className = `${bodyClass} message-quote__text`;
  quote.textContent = quoted;
  details.append(summary, quote);
  details.addEventListener('toggle', () => {
    summary.textContent = details.open ? 'Hide quoted text' : 'Show quoted text';
  });
  return [body, details];
}
