/**
 * The newsletter email, rendered from the same Markdown body as the issue's
 * web page (content/newsletters/<slug>.mdx): email-safe HTML and a plain-text
 * part.
 *
 * The HTML lays the message out with tables and styles every element inline,
 * with explicit text and background colors on every element, so it depends
 * neither on <style> support nor on a mail program's own dark-mode colors
 * for contrast. The `color-scheme` meta tags declare that the message sets
 * its own colors.
 *
 * The Markdown converter covers what newsletters use: headings, paragraphs,
 * ordered and unordered lists (nested by indentation), bold, italic, inline
 * code, links, GFM tables, block quotes, fenced code and horizontal rules.
 * MDX components, HTML tags and `{…}` expressions are rejected with the line
 * number, because they have no email rendering.
 */
import type { RenderedMessage } from './accounts';

export interface NewsletterIssue {
  /** File name under content/newsletters/ without .mdx; also the web page's address. */
  slug: string;
  title: string;
  /** One or two sentences, shown as the preheader that mail programs list after the subject. */
  summary: string;
  /** Publication date, YYYY-MM-DD. */
  date: string;
  /** The Markdown body after the front matter. */
  body: string;
}

export interface NewsletterSettings {
  /** Public address of the site without a trailing slash; relative links are made absolute against it. */
  siteUrl: string;
  /** The program's postal address, printed in every footer. */
  postalAddress: string;
}

/** The links that differ for each recipient. */
export interface RecipientLinks {
  /** The one-click unsubscribe page of this recipient. */
  unsubscribeUrl: string;
  /** The page where this recipient changes topics, state and role. */
  preferencesUrl: string;
}

/**
 * A rendered issue whose footer still contains placeholders for the
 * recipient's links. A campaign stores this once; fillRecipientLinks makes each message.
 */
export interface NewsletterTemplate {
  subject: string;
  html: string;
  text: string;
}

/** Error for Markdown the email renderer cannot convert. `line` counts from the first line of the body. */
export class NewsletterRenderError extends Error {
  override name = 'NewsletterRenderError';

  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line} of the body: ${message}`);
  }
}

/**
 * Placeholders for the recipient's links. They are built around U+E000, a
 * private-use character that is removed from the content before rendering,
 * so no text of the issue can contain a placeholder.
 */
const placeholderMark = '\uE000';
const unsubscribePlaceholder = `${placeholderMark}unsubscribe-url${placeholderMark}`;
const preferencesPlaceholder = `${placeholderMark}preferences-url${placeholderMark}`;

/** Characters per line of the plain-text part; RFC 5322 recommends lines of at most 78. */
const textWidth = 76;

const colors = {
  page: '#f0f0f0',
  card: '#ffffff',
  text: '#1b1b1b',
  muted: '#3d4551',
  heading: '#162e51',
  banner: '#162e51',
  bannerText: '#ffffff',
  link: '#005ea2',
  rule: '#dfe1e2',
  codeBackground: '#f0f0f0',
};

const fontFamily = 'Arial, Helvetica, sans-serif';
const textStyle = `font-family:${fontFamily};font-size:16px;line-height:1.5;color:${colors.text};`;
const linkStyle = `color:${colors.link};text-decoration:underline;`;

export function newsletterArchiveUrl(siteUrl: string, slug: string): string {
  return `${siteUrl}/newsletters/${slug}/`;
}

/** Renders the issue with placeholders for the recipient's links. Throws NewsletterRenderError for unsupported Markdown. */
export function renderNewsletter(
  issue: NewsletterIssue,
  subject: string,
  settings: NewsletterSettings,
): NewsletterTemplate {
  const archiveUrl = newsletterArchiveUrl(settings.siteUrl, issue.slug);
  const blocks = parseBlocks(toLines(stripPlaceholderMark(issue.body)));
  const context: RenderContext = { siteUrl: settings.siteUrl, archiveUrl };
  const facts = {
    subject: stripPlaceholderMark(subject),
    title: stripPlaceholderMark(issue.title),
    summary: stripPlaceholderMark(issue.summary),
    dateLabel: formatIssueDate(issue.date),
    archiveUrl,
    postalAddress: stripPlaceholderMark(settings.postalAddress),
  };

  return {
    subject: facts.subject,
    html: renderHtmlDocument(facts, blocks.map((block) => blockToHtml(block, context)).join('\n')),
    text: renderTextDocument(facts, blocks.map((block) => blockToText(block, context)).join('\n\n')),
  };
}

/** Puts one recipient's links into a rendered issue. */
export function fillRecipientLinks(template: NewsletterTemplate, links: RecipientLinks): RenderedMessage {
  return {
    subject: template.subject,
    html: template.html
      .replaceAll(unsubscribePlaceholder, escapeHtml(links.unsubscribeUrl))
      .replaceAll(preferencesPlaceholder, escapeHtml(links.preferencesUrl)),
    text: template.text
      .replaceAll(unsubscribePlaceholder, links.unsubscribeUrl)
      .replaceAll(preferencesPlaceholder, links.preferencesUrl),
  };
}

function stripPlaceholderMark(text: string): string {
  return text.replaceAll(placeholderMark, '');
}

// ---------------------------------------------------------------------------
// Document frame: banner, title, content and footer.

interface DocumentFacts {
  subject: string;
  title: string;
  summary: string;
  dateLabel: string;
  archiveUrl: string;
  postalAddress: string;
}

function renderHtmlDocument(facts: DocumentFacts, contentHtml: string): string {
  const archive = escapeHtml(facts.archiveUrl);
  const footerStyle = `font-family:${fontFamily};font-size:14px;line-height:1.5;color:${colors.muted};margin:0 0 12px;`;
  const footerLink = `color:${colors.link};text-decoration:underline;`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(facts.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:${colors.page};color:${colors.text};">
<div style="display:none;max-height:0;overflow:hidden;font-size:1px;line-height:1px;color:${colors.page};">${escapeHtml(facts.summary)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background-color:${colors.page};">
<tr>
<td align="center" style="padding:24px 12px;background-color:${colors.page};">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:${colors.card};border:1px solid ${colors.rule};">
<tr>
<td style="padding:16px 24px;background-color:${colors.banner};color:${colors.bannerText};font-family:${fontFamily};font-size:16px;line-height:1.4;font-weight:bold;">MSIX Assist newsletter<br><span style="font-weight:normal;font-size:14px;color:${colors.bannerText};">${escapeHtml(facts.dateLabel)}</span></td>
</tr>
<tr>
<td style="padding:24px;background-color:${colors.card};color:${colors.text};font-family:${fontFamily};font-size:16px;line-height:1.5;">
<p style="font-family:${fontFamily};font-size:14px;line-height:1.5;color:${colors.text};margin:0 0 16px;"><a href="${archive}" style="${linkStyle}">Read this issue on the web</a></p>
<h1 style="font-family:${fontFamily};font-size:26px;line-height:1.25;color:${colors.heading};margin:0 0 16px;">${escapeHtml(facts.title)}</h1>
${contentHtml}
</td>
</tr>
<tr>
<td style="padding:20px 24px;background-color:${colors.card};border-top:1px solid ${colors.rule};color:${colors.muted};">
<p style="${footerStyle}">You receive the MSIX Assist newsletter because you subscribed to it.</p>
<p style="${footerStyle}"><a href="${unsubscribePlaceholder}" style="${footerLink}">Unsubscribe</a> &middot; <a href="${preferencesPlaceholder}" style="${footerLink}">Change your topics, state or role</a> &middot; <a href="${archive}" style="${footerLink}">Read this issue on the web</a></p>
<p style="${footerStyle}margin:0;">MSIX technical-assistance program<br>${escapeHtml(facts.postalAddress)}</p>
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;
}

function renderTextDocument(facts: DocumentFacts, contentText: string): string {
  return [
    `MSIX Assist newsletter, ${facts.dateLabel}`,
    `Read this issue on the web: ${facts.archiveUrl}`,
    '',
    underline(facts.title, '='),
    '',
    contentText,
    '',
    '-- ',
    'You receive the MSIX Assist newsletter because you subscribed to it.',
    `Unsubscribe: ${unsubscribePlaceholder}`,
    `Change your topics, state or role: ${preferencesPlaceholder}`,
    `Read this issue on the web: ${facts.archiveUrl}`,
    '',
    'MSIX technical-assistance program',
    facts.postalAddress,
    '',
  ].join('\n');
}

function formatIssueDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(parsed);
}

// ---------------------------------------------------------------------------
// Markdown blocks.

type Inline =
  | { kind: 'text'; value: string }
  | { kind: 'code'; value: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'emphasis'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] }
  | { kind: 'break' };

type Alignment = 'left' | 'center' | 'right' | null;

type Block =
  | { kind: 'heading'; level: number; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'table'; alignments: Alignment[]; header: Inline[][]; rows: Inline[][][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' };

interface Line {
  text: string;
  /** 1-based line number in the body, for error messages. */
  number: number;
}

const headingPattern = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const fencePattern = /^ {0,3}(`{3,}|~{3,})/;
const rulePattern = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const quotePattern = /^ {0,3}> ?/;
const listMarkerPattern = /^( *)([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const tableSeparatorPattern = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const mdxStatementPattern = /^(import|export)\s/;

function toLines(body: string): Line[] {
  return body.split(/\r\n|\r|\n/).map((text, index) => ({ text: text.replace(/\t/g, '    '), number: index + 1 }));
}

function isBlank(line: Line | undefined): boolean {
  return line === undefined || line.text.trim() === '';
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function parseBlocks(lines: Line[]): Block[] {
  const blocks: Block[] = [];
  let index = 0;

  while (index < lines.length) {
    const line = lines[index]!;
    if (isBlank(line)) {
      index += 1;
      continue;
    }
    rejectMdxSyntax(line);

    const fence = fencePattern.exec(line.text);
    if (fence) {
      index = parseFencedCode(lines, index, fence[1]!, blocks);
      continue;
    }

    const heading = headingPattern.exec(line.text);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, content: parseInline(heading[2] ?? '', line.number) });
      index += 1;
      continue;
    }

    if (rulePattern.test(line.text)) {
      blocks.push({ kind: 'rule' });
      index += 1;
      continue;
    }

    if (isTableStart(lines, index)) {
      index = parseTable(lines, index, blocks);
      continue;
    }

    if (quotePattern.test(line.text)) {
      const quoted: Line[] = [];
      while (index < lines.length && quotePattern.test(lines[index]!.text)) {
        quoted.push({ text: lines[index]!.text.replace(quotePattern, ''), number: lines[index]!.number });
        index += 1;
      }
      blocks.push({ kind: 'quote', blocks: parseBlocks(quoted) });
      continue;
    }

    if (listMarkerPattern.test(line.text) && indentOf(line.text) <= 3) {
      index = parseList(lines, index, blocks);
      continue;
    }

    index = parseParagraph(lines, index, blocks);
  }
  return blocks;
}

/** MDX reads `import`/`export` lines, tags and `{…}` as code, which an email cannot run. */
function rejectMdxSyntax(line: Line): void {
  const trimmed = line.text.trim();
  if (mdxStatementPattern.test(trimmed)) {
    throw new NewsletterRenderError(
      line.number,
      `"${trimmed.slice(0, 40)}" is an MDX import or export, which email cannot render; remove it from the newsletter.`,
    );
  }
}

function parseFencedCode(lines: Line[], start: number, fence: string, blocks: Block[]): number {
  const code: string[] = [];
  let index = start + 1;
  while (index < lines.length && !lines[index]!.text.trimStart().startsWith(fence)) {
    code.push(lines[index]!.text);
    index += 1;
  }
  blocks.push({ kind: 'code', text: code.join('\n') });
  return index + 1;
}

function isTableStart(lines: Line[], index: number): boolean {
  const header = lines[index];
  const separator = lines[index + 1];
  return (
    header !== undefined &&
    separator !== undefined &&
    header.text.includes('|') &&
    separator.text.includes('-') &&
    tableSeparatorPattern.test(separator.text)
  );
}

function parseTable(lines: Line[], start: number, blocks: Block[]): number {
  const headerLine = lines[start]!;
  const alignments = splitTableRow(lines[start + 1]!.text).map((cell): Alignment => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    if (left && right) return 'center';
    if (right) return 'right';
    if (left) return 'left';
    return null;
  });
  const header = splitTableRow(headerLine.text).map((cell) => parseInline(cell, headerLine.number));

  const rows: Inline[][][] = [];
  let index = start + 2;
  while (index < lines.length && !isBlank(lines[index]) && lines[index]!.text.includes('|')) {
    const line = lines[index]!;
    rejectMdxSyntax(line);
    const cells = splitTableRow(line.text).map((cell) => parseInline(cell, line.number));
    // GFM: a row with fewer cells gets empty ones, and extra cells are dropped.
    rows.push(header.map((_, column) => cells[column] ?? []));
    index += 1;
  }
  blocks.push({ kind: 'table', alignments, header, rows });
  return index;
}

/** Splits a table row on pipes that are neither escaped nor inside a code span. */
function splitTableRow(text: string): string[] {
  let row = text.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);

  const cells: string[] = [];
  let current = '';
  let inCode = false;
  for (let index = 0; index < row.length; index += 1) {
    const character = row[index]!;
    if (character === '\\' && row[index + 1] === '|') {
      current += '|';
      index += 1;
    } else if (character === '`') {
      inCode = !inCode;
      current += character;
    } else if (character === '|' && !inCode) {
      cells.push(current.trim());
      current = '';
    } else {
      current += character;
    }
  }
  cells.push(current.trim());
  return cells;
}

/**
 * Parses a list and its items. A line belongs to the current item when it is
 * indented past the item's marker, or when it continues the item's paragraph
 * directly (a "lazy" line). Items may hold paragraphs and nested lists.
 */
function parseList(lines: Line[], start: number, blocks: Block[]): number {
  const first = listMarkerPattern.exec(lines[start]!.text)!;
  const ordered = /\d/.test(first[2]!);
  const baseIndent = first[1]!.length;
  const items: Block[][] = [];
  let index = start;

  while (index < lines.length) {
    const match = listMarkerPattern.exec(lines[index]!.text);
    if (!match || match[1]!.length !== baseIndent || /\d/.test(match[2]!) !== ordered) break;

    const contentIndent = baseIndent + match[2]!.length + Math.max(1, Math.min(match[3]!.length, 4));
    const itemLines: Line[] = [{ text: match[4] ?? '', number: lines[index]!.number }];
    index += 1;

    let previousBlank = false;
    while (index < lines.length) {
      const line = lines[index]!;
      if (isBlank(line)) {
        previousBlank = true;
        itemLines.push({ text: '', number: line.number });
        index += 1;
        continue;
      }
      const indent = indentOf(line.text);
      if (indent > baseIndent) {
        itemLines.push({ text: line.text.slice(Math.min(indent, contentIndent)), number: line.number });
      } else if (!previousBlank && !startsBlock(line.text)) {
        itemLines.push({ text: line.text.trimStart(), number: line.number });
      } else {
        break;
      }
      previousBlank = false;
      index += 1;
    }

    items.push(parseBlocks(itemLines));
    // A blank line between items keeps the list going; anything else at the base indent ends it.
    while (index < lines.length && isBlank(lines[index]) && isListContinuation(lines, index, baseIndent, ordered)) {
      index += 1;
    }
  }

  const firstNumber = Number.parseInt(first[2]!, 10);
  blocks.push({ kind: 'list', ordered, start: ordered ? firstNumber : 1, items });
  return index;
}

function isListContinuation(lines: Line[], index: number, baseIndent: number, ordered: boolean): boolean {
  let next = index;
  while (next < lines.length && isBlank(lines[next])) next += 1;
  const match = next < lines.length ? listMarkerPattern.exec(lines[next]!.text) : null;
  return match !== null && match[1]!.length === baseIndent && /\d/.test(match[2]!) === ordered;
}

function startsBlock(text: string): boolean {
  return (
    headingPattern.test(text) ||
    fencePattern.test(text) ||
    rulePattern.test(text) ||
    quotePattern.test(text) ||
    (listMarkerPattern.test(text) && indentOf(text) <= 3)
  );
}

function parseParagraph(lines: Line[], start: number, blocks: Block[]): number {
  const paragraph: string[] = [];
  let index = start;
  while (index < lines.length && !isBlank(lines[index])) {
    const line = lines[index]!;
    if (index > start && (startsBlock(line.text) || isTableStart(lines, index))) break;
    rejectMdxSyntax(line);
    paragraph.push(line.text.trim() === line.text ? line.text : line.text.trimStart());
    index += 1;
  }
  blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join('\n'), lines[start]!.number) });
  return index;
}

// ---------------------------------------------------------------------------
// Markdown inlines.

const escapablePunctuation = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/**
 * Parses bold, italic, code spans, links and line breaks. Delimiters that do
 * not close are kept as text, as CommonMark does. `_` emphasis only opens and
 * closes at word boundaries, so names like snake_case stay as they are.
 */
function parseInline(source: string, lineNumber: number): Inline[] {
  const nodes: Inline[] = [];
  let text = '';
  let index = 0;

  const flushText = () => {
    if (text !== '') nodes.push({ kind: 'text', value: text });
    text = '';
  };

  while (index < source.length) {
    const character = source[index]!;
    const next = source[index + 1];

    if (character === '\\' && next !== undefined && escapablePunctuation.test(next)) {
      text += next;
      index += 2;
      continue;
    }
    if (character === '\\' && next === '\n') {
      flushText();
      nodes.push({ kind: 'break' });
      index += 2;
      continue;
    }
    if (character === '\n') {
      if (text.endsWith('  ')) {
        text = text.trimEnd();
        flushText();
        nodes.push({ kind: 'break' });
      } else {
        text = `${text.trimEnd()} `;
      }
      index += 1;
      continue;
    }

    if (character === '`') {
      const code = readCodeSpan(source, index);
      if (code) {
        flushText();
        nodes.push({ kind: 'code', value: code.value });
        index = code.end;
        continue;
      }
    }

    if (character === '<' && next !== undefined && /[A-Za-z/!]/.test(next)) {
      throw new NewsletterRenderError(
        lineNumber,
        `"${source.slice(index, index + 30).split('\n')[0]}" is an HTML tag or MDX component, which email cannot render; write it in Markdown or escape "<" as "\\<".`,
      );
    }
    if (character === '{') {
      throw new NewsletterRenderError(
        lineNumber,
        `"${source.slice(index, index + 30).split('\n')[0]}" is an MDX expression, which email cannot render; remove it or escape "{" as "\\{".`,
      );
    }

    if (character === '[') {
      const link = readLink(source, index);
      if (link) {
        flushText();
        nodes.push({ kind: 'link', href: link.href, children: parseInline(link.label, lineNumber) });
        index = link.end;
        continue;
      }
    }

    if (character === '*' || character === '_') {
      const emphasis = readEmphasis(source, index, lineNumber);
      if (emphasis) {
        flushText();
        nodes.push(emphasis.node);
        index = emphasis.end;
        continue;
      }
    }

    text += character;
    index += 1;
  }
  flushText();
  return nodes;
}

function readCodeSpan(source: string, start: number): { value: string; end: number } | undefined {
  let ticks = 0;
  while (source[start + ticks] === '`') ticks += 1;
  const fence = '`'.repeat(ticks);

  let search = start + ticks;
  while (search < source.length) {
    const close = source.indexOf(fence, search);
    if (close < 0) return undefined;
    let after = close + ticks;
    if (source[after] !== '`') {
      let value = source.slice(start + ticks, close).replace(/\n/g, ' ');
      if (value.length > 2 && value.startsWith(' ') && value.endsWith(' ') && value.trim() !== '') {
        value = value.slice(1, -1);
      }
      return { value, end: after };
    }
    while (source[after] === '`') after += 1;
    search = after;
  }
  return undefined;
}

/** Reads `[label](destination "optional title")`. Reference-style links are not supported and stay as text. */
function readLink(source: string, start: number): { label: string; href: string; end: number } | undefined {
  let depth = 0;
  let index = start;
  for (; index < source.length; index += 1) {
    const character = source[index];
    if (character === '\\') {
      index += 1;
    } else if (character === '`') {
      const code = readCodeSpan(source, index);
      if (code) index = code.end - 1;
    } else if (character === '[') {
      depth += 1;
    } else if (character === ']') {
      depth -= 1;
      if (depth === 0) break;
    }
  }
  if (depth !== 0 || source[index + 1] !== '(') return undefined;

  const label = source.slice(start + 1, index);
  const destination =
    /^\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+("[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/.exec(
      source.slice(index + 1),
    );
  if (!destination) return undefined;

  const href = destination[1]!.replace(/^<|>$/g, '');
  return { label, href: unescapeMarkdown(href), end: index + 1 + destination[0].length };
}

function readEmphasis(source: string, start: number, lineNumber: number): { node: Inline; end: number } | undefined {
  const marker = source[start]!;
  const strong = source[start + 1] === marker;
  const delimiter = strong ? marker + marker : marker;
  const contentStart = start + delimiter.length;

  const opener = source[contentStart];
  if (opener === undefined || /\s/.test(opener)) return undefined;
  if (marker === '_' && start > 0 && /[\p{L}\p{N}]/u.test(source[start - 1]!)) return undefined;

  let search = contentStart;
  while (search < source.length) {
    const close = findUnescaped(source, delimiter, search);
    if (close < 0) return undefined;
    const before = source[close - 1]!;
    const after = source[close + delimiter.length];
    const closesHere =
      close > contentStart &&
      !/\s/.test(before) &&
      // A single * or _ next to another one belongs to a ** or __ pair.
      (strong || (after !== marker && before !== marker)) &&
      (marker === '*' || after === undefined || !/[\p{L}\p{N}]/u.test(after));
    if (closesHere) {
      const children = parseInline(source.slice(contentStart, close), lineNumber);
      return {
        node: strong ? { kind: 'strong', children } : { kind: 'emphasis', children },
        end: close + delimiter.length,
      };
    }
    search = close + 1;
  }
  return undefined;
}

/** Finds `needle` outside code spans and not after a backslash. */
function findUnescaped(source: string, needle: string, from: number): number {
  for (let index = from; index < source.length; index += 1) {
    const character = source[index];
    if (character === '\\') {
      index += 1;
      continue;
    }
    if (character === '`') {
      const code = readCodeSpan(source, index);
      if (code) {
        index = code.end - 1;
        continue;
      }
    }
    if (source.startsWith(needle, index)) return index;
  }
  return -1;
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, '$1');
}

// ---------------------------------------------------------------------------
// Links.

interface RenderContext {
  siteUrl: string;
  archiveUrl: string;
}

const allowedProtocols = new Set(['http:', 'https:', 'mailto:']);

/**
 * Makes a link absolute: site paths ("/tools/…") against the site address,
 * fragments and relative paths against the issue's web page. Returns
 * undefined for other schemes, such as javascript:, whose link is dropped.
 */
function absoluteUrl(href: string, context: RenderContext): string | undefined {
  const trimmed = href.trim();
  try {
    const url =
      trimmed.startsWith('/') && !trimmed.startsWith('//')
        ? new URL(`${context.siteUrl}${trimmed}`)
        : new URL(trimmed, context.archiveUrl);
    return allowedProtocols.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// HTML output.

function blockToHtml(block: Block, context: RenderContext): string {
  switch (block.kind) {
    case 'heading': {
      // The issue title is the only h1, so Markdown levels 1 and 2 both become h2.
      const level = Math.max(2, block.level);
      const size = level === 2 ? 21 : 18;
      return `<h${level} style="font-family:${fontFamily};font-size:${size}px;line-height:1.3;color:${colors.heading};margin:28px 0 10px;">${inlinesToHtml(block.content, context)}</h${level}>`;
    }
    case 'paragraph':
      return `<p style="${textStyle}margin:0 0 16px;">${inlinesToHtml(block.content, context)}</p>`;
    case 'list':
      return listToHtml(block, context);
    case 'table':
      return tableToHtml(block, context);
    case 'quote':
      return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;margin:0 0 16px;"><tr><td style="border-left:4px solid ${colors.rule};padding:0 0 0 16px;color:${colors.text};background-color:${colors.card};">${block.blocks.map((inner) => blockToHtml(inner, context)).join('\n')}</td></tr></table>`;
    case 'code':
      return `<pre style="font-family:Consolas, Menlo, monospace;font-size:14px;line-height:1.4;color:${colors.text};background-color:${colors.codeBackground};padding:12px;margin:0 0 16px;white-space:pre-wrap;word-wrap:break-word;">${escapeHtml(block.text)}</pre>`;
    case 'rule':
      return `<hr style="border:0;border-top:1px solid ${colors.rule};margin:24px 0;">`;
  }
}

function listToHtml(block: Extract<Block, { kind: 'list' }>, context: RenderContext): string {
  const tag = block.ordered ? 'ol' : 'ul';
  const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
  const items = block.items.map((item) => `<li style="${textStyle}margin:0 0 8px;">${itemToHtml(item, context)}</li>`);
  return `<${tag}${start} style="${textStyle}margin:0 0 16px;padding:0 0 0 28px;">${items.join('')}</${tag}>`;
}

/** Writes a list item of one paragraph without <p>, so list items are not spaced like paragraphs. */
function itemToHtml(blocks: Block[], context: RenderContext): string {
  return blocks
    .map((block, index) => {
      if (block.kind === 'paragraph' && index === 0) return inlinesToHtml(block.content, context);
      if (block.kind === 'list') return listToHtml(block, context).replace('margin:0 0 16px;', 'margin:8px 0 0;');
      return blockToHtml(block, context);
    })
    .join('');
}

function tableToHtml(block: Extract<Block, { kind: 'table' }>, context: RenderContext): string {
  const cellStyle = (column: number, header: boolean) => {
    const align = block.alignments[column] ?? 'left';
    const background = header ? colors.codeBackground : colors.card;
    return `font-family:${fontFamily};font-size:15px;line-height:1.4;color:${colors.text};background-color:${background};border:1px solid ${colors.rule};padding:6px 8px;text-align:${align};vertical-align:top;`;
  };
  const header = block.header
    .map((cell, column) => `<th scope="col" style="${cellStyle(column, true)}">${inlinesToHtml(cell, context)}</th>`)
    .join('');
  const rows = block.rows.map(
    (row) =>
      `<tr>${row.map((cell, column) => `<td style="${cellStyle(column, false)}">${inlinesToHtml(cell, context)}</td>`).join('')}</tr>`,
  );
  return `<table cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;margin:0 0 16px;"><thead><tr>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function inlinesToHtml(nodes: Inline[], context: RenderContext): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
          return escapeHtml(node.value);
        case 'code':
          return `<code style="font-family:Consolas, Menlo, monospace;font-size:0.95em;color:${colors.text};background-color:${colors.codeBackground};padding:0 3px;">${escapeHtml(node.value)}</code>`;
        case 'strong':
          return `<strong style="font-weight:bold;">${inlinesToHtml(node.children, context)}</strong>`;
        case 'emphasis':
          return `<em style="font-style:italic;">${inlinesToHtml(node.children, context)}</em>`;
        case 'break':
          return '<br>';
        case 'link': {
          const href = absoluteUrl(node.href, context);
          const label = inlinesToHtml(node.children, context);
          return href ? `<a href="${escapeHtml(href)}" style="${linkStyle}">${label}</a>` : label;
        }
      }
    })
    .join('');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// ---------------------------------------------------------------------------
// Plain-text output.

function blockToText(block: Block, context: RenderContext): string {
  switch (block.kind) {
    case 'heading':
      return underline(inlinesToText(block.content, context), block.level <= 2 ? '-' : '~');
    case 'paragraph':
      return wrap(inlinesToText(block.content, context), '', '');
    case 'list':
      return listToText(block, context, '');
    case 'table':
      return tableToText(block, context);
    case 'quote':
      return block.blocks
        .map((inner) => blockToText(inner, context))
        .join('\n\n')
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case 'code':
      return block.text
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n');
    case 'rule':
      return '-'.repeat(20);
  }
}

function listToText(block: Extract<Block, { kind: 'list' }>, context: RenderContext, indent: string): string {
  return block.items
    .map((item, position) => {
      const marker = block.ordered ? `${block.start + position}. ` : '- ';
      const continuation = indent + ' '.repeat(marker.length);
      return item
        .map((inner, index) => {
          if (inner.kind === 'list') return listToText(inner, context, continuation);
          const firstPrefix = index === 0 ? indent + marker : continuation;
          if (inner.kind === 'paragraph') return wrap(inlinesToText(inner.content, context), firstPrefix, continuation);
          return prefixLines(blockToText(inner, context), firstPrefix, continuation);
        })
        .join('\n');
    })
    .join('\n');
}

/** Writes each row as "column: value" lines, because columns cannot be aligned in proportional fonts. */
function tableToText(block: Extract<Block, { kind: 'table' }>, context: RenderContext): string {
  const names = block.header.map((cell) => inlinesToText(cell, context));
  return block.rows
    .map((row) =>
      row
        .map((cell, column) => {
          const name = names[column] ?? '';
          const value = inlinesToText(cell, context);
          return wrap(name === '' ? value : `${name}: ${value}`, '', '  ');
        })
        .join('\n'),
    )
    .join('\n\n');
}

function inlinesToText(nodes: Inline[], context: RenderContext): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
        case 'code':
          return node.value;
        case 'strong':
        case 'emphasis':
          return inlinesToText(node.children, context);
        case 'break':
          return '\n';
        case 'link': {
          const label = inlinesToText(node.children, context);
          const href = absoluteUrl(node.href, context);
          if (!href) return label;
          const visibleTarget = href.startsWith('mailto:') ? href.slice('mailto:'.length) : href;
          return label === visibleTarget || label === href ? visibleTarget : `${label} (${visibleTarget})`;
        }
      }
    })
    .join('');
}

function underline(text: string, character: string): string {
  const width = Math.min([...text].length, textWidth);
  return `${text}\n${character.repeat(width)}`;
}

function prefixLines(text: string, firstPrefix: string, restPrefix: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? firstPrefix : restPrefix) + line)
    .join('\n');
}

/** Wraps at textWidth on spaces. Words longer than a line, such as long addresses, stay whole. */
function wrap(text: string, firstPrefix: string, restPrefix: string): string {
  const output: string[] = [];
  for (const hardLine of text.split('\n')) {
    let line = output.length === 0 ? firstPrefix : restPrefix;
    let lineHasWord = false;
    for (const word of hardLine.split(/ +/).filter((part) => part !== '')) {
      if (lineHasWord && [...line].length + 1 + [...word].length > textWidth) {
        output.push(line);
        line = restPrefix + word;
      } else {
        line += lineHasWord ? ` ${word}` : word;
      }
      lineHasWord = true;
    }
    output.push(line);
  }
  return output.join('\n');
}
