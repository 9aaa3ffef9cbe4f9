/**
 * The building blocks of the product's automatic messages: paragraphs, lists
 * and bare links, rendered once as plain text and once as simple HTML with
 * the same content.
 */

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export type Block =
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; items: string[] }
  /** A link on a line of its own: the plain text shows the address, the HTML shows `label` when given. */
  | { kind: 'link'; href: string; label?: string };

/** Maximum characters of a title in a subject line. Longer titles are cut and end with an ellipsis. */
const subjectTitleLength = 80;

export function paragraph(...lines: string[]): Block {
  return { kind: 'paragraph', lines };
}

export function render(subject: string, blocks: Block[]): RenderedMessage {
  return { subject, text: toText(blocks), html: toHtml(blocks) };
}

/** Collapses line breaks and runs of spaces, because subject lines and list items must stay on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function subjectTitle(title: string): string {
  const line = oneLine(title);
  return line.length > subjectTitleLength ? `${line.slice(0, subjectTitleLength - 1).trimEnd()}…` : line;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toText(blocks: Block[]): string {
  return blocks
    .map((block) => {
      if (block.kind === 'link') return block.href;
      if (block.kind === 'list') return block.items.map((item) => `- ${item}`).join('\n');
      return block.lines.join('\n');
    })
    .join('\n\n');
}

function toHtml(blocks: Block[]): string {
  const body = blocks
    .map((block) => {
      if (block.kind === 'link')
        return `<p><a href="${escapeHtml(block.href)}">${escapeHtml(block.label ?? block.href)}</a></p>`;
      if (block.kind === 'list')
        return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
      return `<p>${block.lines.map(escapeHtml).join('<br>')}</p>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5;">${body}</body></html>`;
}
