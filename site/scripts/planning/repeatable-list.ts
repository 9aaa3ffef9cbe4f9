/**
 * A list of text inputs that people grow and shrink with "Add" and "Remove"
 * buttons, such as the participant roles of a planning session. The markup
 * is RepeatableList.astro. Each item has its own label ("Role of participant
 * 2"), error element and Remove button. After a removal the labels are
 * renumbered and focus moves to a neighboring input, or to the Add button
 * when the list is empty, so keyboard users keep their place.
 */
import { createElement, createScreenReaderText, findRequired } from '../plans/dom';

export interface ListOptions {
  /** The fieldset with data-repeatable="<name>". */
  root: HTMLElement;
  /** Label of item n, such as "Role of participant 2". */
  itemLabel: (position: number) => string;
  /** Name of item n in the Remove button's screen-reader text and in announcements, such as "participant 2". */
  itemName: (position: number) => string;
  maxItems: number;
  maxLength: number;
  /** Announcement when Add is pressed on a full list, such as "A session lists at most 50 participant roles.". */
  fullMessage: string;
}

export interface RepeatableList {
  /** Every input, in order, blank ones too. */
  inputs: () => HTMLInputElement[];
  /** The non-blank values, trimmed, each with its input so problems can point at it. */
  filled: () => { input: HTMLInputElement; value: string }[];
  /** Replaces the items with one per value, or with one empty item when there are none. */
  setValues: (values: readonly string[]) => void;
}

export function startRepeatableList(options: ListOptions): RepeatableList {
  const { root } = options;
  const name = root.dataset.repeatable ?? 'item';
  const items = findRequired<HTMLOListElement>('[data-list-items]', root);
  const addButton = findRequired<HTMLButtonElement>('[data-list-add]', root);
  const announcer = findRequired<HTMLElement>('[data-list-status]', root);
  let counter = 0;

  const inputs = () => [...items.querySelectorAll<HTMLInputElement>('input')];

  const addItem = (value = ''): HTMLInputElement => {
    counter += 1;
    const id = `${root.id}-${counter}`;
    const input = createElement('input', {
      className: 'usa-input',
      attributes: {
        id,
        name: `${name}-${counter}`,
        type: 'text',
        autocomplete: 'off',
        maxlength: String(options.maxLength),
      },
    });
    input.value = value;
    const remove = createElement('button', {
      className: 'usa-button usa-button--unstyled planning-list__remove',
      attributes: { type: 'button', 'data-list-remove': '' },
    });
    items.append(
      createElement('li', { className: 'usa-form-group planning-list__item' }, [
        createElement('label', { className: 'usa-label', attributes: { for: id } }),
        createElement('span', { className: 'usa-error-message', attributes: { id: `${id}-error`, hidden: '' } }),
        createElement('div', { className: 'planning-list__row' }, [input, remove]),
      ]),
    );
    renumber();
    return input;
  };

  const renumber = () => {
    [...items.children].forEach((item, index) => {
      const label = item.querySelector('label');
      const remove = item.querySelector('[data-list-remove]');
      if (label) label.textContent = options.itemLabel(index + 1);
      remove?.replaceChildren('Remove', createScreenReaderText(` ${options.itemName(index + 1)}`));
    });
  };

  addButton.addEventListener('click', () => {
    if (inputs().length >= options.maxItems) {
      announcer.textContent = options.fullMessage;
      return;
    }
    announcer.textContent = '';
    addItem().focus();
  });

  items.addEventListener('click', (event) => {
    const button = (event.target as Element).closest('[data-list-remove]');
    const item = button?.closest('li');
    if (!item) return;
    const position = [...items.children].indexOf(item) + 1;
    const next = (item.nextElementSibling ?? item.previousElementSibling)?.querySelector('input');
    item.remove();
    renumber();
    announcer.textContent = `Removed ${options.itemName(position)}.`;
    (next ?? addButton).focus();
  });

  return {
    inputs,
    filled: () =>
      inputs()
        .map((input) => ({ input, value: input.value.trim() }))
        .filter((item) => item.value !== ''),
    setValues: (values) => {
      items.replaceChildren();
      announcer.textContent = '';
      if (values.length === 0) addItem();
      for (const value of values) addItem(value);
    },
  };
}
