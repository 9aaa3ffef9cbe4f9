/**
 * Cleans the HTML body of an incoming message before the desk stores it. The
 * allowlist keeps text formatting, lists, quotes, simple tables and links.
 * Everything else (scripts, styles, images, forms, frames, event attributes)
 * is removed, so the stored HTML loads nothing from the sender's servers.
 */
import sanitizeHtml from 'sanitize-html';

const allowedTags = [
  'p',
  'br',
  'div',
  'span',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'strike',
  'del',
  'ins',
  'sub',
  'sup',
  'small',
  'mark',
  'code',
  'pre',
  'kbd',
  'blockquote',
  'q',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'a',
];

const mailHtmlOptions: sanitizeHtml.IOptions = {
  allowedTags,
  // transformTags runs before this filter and sets rel and target itself.
  allowedAttributes: { a: ['href', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Text inside removed elements stays, except where it is code or styling.
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head'],
  transformTags: {
    // A sender's link opens in a new tab and sends no Referer, so the target site learns nothing about the desk.
    a: (tagName, attributes) => {
      const attribs: Record<string, string> = {};
      if (attributes.href)
        Object.assign(attribs, { href: attributes.href, rel: 'noopener noreferrer nofollow', target: '_blank' });
      return { tagName, attribs };
    },
  },
};

/** Returns the HTML with only the allowlisted tags, attributes and link schemes left, or null when nothing is left. */
export function sanitizeMailHtml(html: string): string | null {
  const cleaned = sanitizeHtml(html, mailHtmlOptions).trim();
  return cleaned === '' ? null : cleaned;
}

/**
 * Returns the text of an HTML body without any markup: block ends become
 * line breaks and entities are decoded. Used when a message has no text part
 * and the parser could not derive one.
 */
export function textFromHtml(html: string): string {
  const withBreaks = html.replace(/<\s*(br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/blockquote)\b[^>]*>/gi, '\n');
  const text = sanitizeHtml(withBreaks, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'title', 'head'],
  });
  return decodeEntities(text)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (match, code: string) => fromCodePoint(Number(code), match))
    .replace(/&#x([0-9a-f]+);/gi, (match, code: string) => fromCodePoint(Number.parseInt(code, 16), match))
    .replace(/&amp;/g, '&');
}

/** Returns the character for a numeric entity, or the entity as written when it names no Unicode character. */
function fromCodePoint(code: number, entity: string): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
}
