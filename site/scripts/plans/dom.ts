/** Small DOM helpers for the plan pages, which build their content from API data. */

type Child = Node | string | null | undefined | false;

interface ElementOptions {
  className?: string;
  text?: string;
  attributes?: Record<string, string>;
}

/** Creates an element with classes, attributes and children; text is always set as text, never parsed as HTML. */
export function createElement<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attributes ?? {})) element.setAttribute(name, value);
  for (const child of children) {
    if (child) element.append(child);
  }
  return element;
}

/** Text for screen readers only, such as the item a button acts on. */
export function createScreenReaderText(text: string): HTMLSpanElement {
  return createElement('span', { className: 'usa-sr-only', text });
}

/** Returns the element matching the selector, or throws naming what the page is missing. */
export function findRequired<T extends Element>(selector: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

const idReferenceAttributes = ['for', 'aria-describedby', 'aria-labelledby', 'aria-controls'];

/**
 * Clones the content of a <template> and prefixes every id in it, and every
 * attribute that refers to one, so several copies can be on the page at once.
 * Error elements keep the "<input id>-error" naming that form-feedback.ts uses.
 */
export function cloneTemplate(templateId: string, prefix: string): DocumentFragment {
  const template = document.getElementById(templateId);
  if (!(template instanceof HTMLTemplateElement)) throw new Error(`The page has no <template id="${templateId}">.`);

  const fragment = template.content.cloneNode(true) as DocumentFragment;
  const renamed = new Map<string, string>();
  for (const element of fragment.querySelectorAll<HTMLElement>('[id]')) {
    const id = `${prefix}-${element.id}`;
    renamed.set(element.id, id);
    element.id = id;
  }
  for (const attribute of idReferenceAttributes) {
    for (const element of fragment.querySelectorAll<HTMLElement>(`[${attribute}]`)) {
      const ids = (element.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean);
      element.setAttribute(attribute, ids.map((id) => renamed.get(id) ?? id).join(' '));
    }
  }
  return fragment;
}
