/**
 * The crosswalk's MDEs as one table per upload file. People who may edit get
 * an input in each cell, named for screen readers by its column header and
 * its row ("Source system for students.csv first_name"), and each row they
 * change is marked Unsaved until it is saved.
 */
import { createElement, createScreenReaderText } from '../plans/dom';
import { collectionStatusLabels, collectionStatuses, describeCollectionStatus, undocumentedLabel } from './labels';
import type { CollectionStatus, CrosswalkEntry, CrosswalkEntryInput } from './types';

type EditableField = 'sourceSystem' | 'owningOffice' | 'collectionStatus' | 'notes';

interface Column {
  field: EditableField | 'description' | 'required';
  header: string;
  /** Maximum length of the field, from the API's limits. */
  maxLength?: number;
}

const columns: readonly Column[] = [
  { field: 'description', header: 'Description' },
  { field: 'required', header: 'Required' },
  { field: 'sourceSystem', header: 'Source system', maxLength: 200 },
  { field: 'owningOffice', header: 'Owning office', maxLength: 200 },
  { field: 'collectionStatus', header: 'Collection status' },
  { field: 'notes', header: 'Notes', maxLength: 2000 },
];

const editableFields: readonly EditableField[] = ['sourceSystem', 'owningOffice', 'collectionStatus', 'notes'];

/** Short description of each upload file, shown under its heading. */
const fileNotes: Record<string, string> = {
  'students.csv': 'Who the child is: names, birth and parents. Every upload has this file.',
  'qualifying_moves.csv': 'The moves that made the child eligible.',
  'enrollments.csv': 'Schools and projects the child enrolled in, with program details.',
  'courses.csv': 'Courses the child took, with grades and credits.',
  'assessments.csv': 'Assessment results.',
};

export interface CrosswalkRow {
  entry: CrosswalkEntry;
  row: HTMLTableRowElement;
  /** The inputs, when the table is editable. */
  inputs: Partial<Record<EditableField, HTMLInputElement | HTMLSelectElement>>;
  marker: HTMLElement;
}

export interface CrosswalkTable {
  rows: CrosswalkRow[];
  /** One block per upload file: its heading, note and table, and the rows in that table. */
  files: { element: HTMLElement; rows: CrosswalkRow[] }[];
}

function slug(file: string): string {
  return file.replace(/\.csv$/, '').replace(/[^A-Za-z0-9_-]/g, '-');
}

function rowNameId(entry: CrosswalkEntry): string {
  return `mde-${slug(entry.file)}-${entry.column}`;
}

/** Renders every file's table into `container`, in the order of the entries (the template's order). */
export function renderCrosswalkTables(
  container: HTMLElement,
  entries: CrosswalkEntry[],
  editable: boolean,
): CrosswalkTable {
  const fileNames = [...new Set(entries.map((entry) => entry.file))];
  const table: CrosswalkTable = { rows: [], files: [] };
  const blocks = fileNames.map((file) => {
    const fileEntries = entries.filter((entry) => entry.file === file);
    const rows = fileEntries.map((entry) => renderRow(entry, editable));
    table.rows.push(...rows);
    const element = renderFile(file, rows);
    table.files.push({ element, rows });
    return element;
  });
  container.replaceChildren(...blocks);
  return table;
}

function renderFile(file: string, rows: CrosswalkRow[]): HTMLElement {
  const id = slug(file);
  const headingId = `crosswalk-${id}-heading`;
  const headerRow = createElement('tr', {}, [
    createElement('th', { text: 'MDE', attributes: { scope: 'col', id: `crosswalk-${id}-mde` } }),
    ...columns.map((column) =>
      createElement('th', { text: column.header, attributes: { scope: 'col', id: `crosswalk-${id}-${column.field}` } }),
    ),
  ]);
  const requiredCount = rows.filter((row) => row.entry.required === 'Yes').length;

  return createElement('div', { className: 'crosswalk-file' }, [
    createElement('h3', { text: file, attributes: { id: headingId } }),
    createElement('p', {
      className: 'crosswalk-file__note',
      text: `${fileNotes[file] ?? ''} ${rows.length} MDEs, ${requiredCount} of them required.`.trim(),
    }),
    createElement(
      'div',
      {
        className: 'usa-table-container--scrollable',
        attributes: { role: 'region', 'aria-labelledby': headingId, tabindex: '0' },
      },
      [
        createElement('table', { className: 'usa-table usa-table--borderless usa-table--compact crosswalk-table' }, [
          createElement('caption', { className: 'usa-sr-only', text: `MDEs of ${file}` }),
          createElement('thead', {}, [headerRow]),
          createElement(
            'tbody',
            {},
            rows.map((row) => row.row),
          ),
        ]),
      ],
    ),
  ]);
}

function renderRow(entry: CrosswalkEntry, editable: boolean): CrosswalkRow {
  const fileId = slug(entry.file);
  const marker = createElement('span', {
    className: 'usa-tag planning-tag planning-tag--changed',
    text: 'Unsaved',
    attributes: { hidden: '' },
  });
  const name = createElement('span', { attributes: { id: rowNameId(entry) } }, [
    createScreenReaderText(`${entry.file} `),
    createElement('code', {}, breakAtUnderscores(entry.column)),
  ]);
  const row = createElement('tr', { attributes: { 'data-mde': `${entry.file} ${entry.column}` } }, [
    createElement('th', { attributes: { scope: 'row' } }, [name, ' ', marker]),
  ]);
  const result: CrosswalkRow = { entry, row, inputs: {}, marker };

  for (const column of columns) {
    const cell = createElement('td');
    const field = column.field;
    if (field === 'description') cell.textContent = entry.description;
    else if (field === 'required') cell.textContent = entry.required;
    else if (!editable) cell.append(...renderValue(field, entry));
    else {
      const labelledBy = `crosswalk-${fileId}-${field} crosswalk-for ${rowNameId(entry)}`;
      const input = field === 'collectionStatus' ? renderStatusSelect(entry) : renderTextInput(entry, field, column);
      input.id = `${rowNameId(entry)}-${field}`;
      input.name = `${entry.file}/${entry.column}/${field}`;
      input.setAttribute('aria-labelledby', labelledBy);
      result.inputs[field] = input;
      cell.append(input);
    }
    row.append(cell);
  }
  return result;
}

/** Lets a long column name such as eligibility_expiration_date wrap after its underscores, and nowhere else. */
function breakAtUnderscores(name: string): (string | HTMLElement)[] {
  return name.split(/(?<=_)/).flatMap((part, index) => (index === 0 ? [part] : [createElement('wbr'), part]));
}

function renderValue(field: EditableField, entry: CrosswalkEntry): Node[] {
  if (field === 'collectionStatus') return [document.createTextNode(describeCollectionStatus(entry.collectionStatus))];
  const value = entry[field];
  if (value) return [document.createTextNode(value)];
  return [createElement('span', { text: '—', attributes: { 'aria-hidden': 'true' } }), createScreenReaderText('None')];
}

function renderTextInput(entry: CrosswalkEntry, field: Exclude<EditableField, 'collectionStatus'>, column: Column) {
  const input = createElement('input', {
    className: `usa-input crosswalk-input crosswalk-input--${field}`,
    attributes: { type: 'text', autocomplete: 'off', maxlength: String(column.maxLength ?? 200) },
  });
  input.value = entry[field];
  return input;
}

function renderStatusSelect(entry: CrosswalkEntry): HTMLSelectElement {
  const select = createElement(
    'select',
    { className: 'usa-select crosswalk-input crosswalk-input--collectionStatus' },
    [
      createElement('option', { text: undocumentedLabel, attributes: { value: '' } }),
      ...collectionStatuses.map((status) =>
        createElement('option', { text: collectionStatusLabels[status], attributes: { value: status } }),
      ),
    ],
  );
  select.value = entry.collectionStatus ?? '';
  return select;
}

/** Reads the row's current values from its inputs. */
export function readRow(row: CrosswalkRow): CrosswalkEntryInput {
  const value = (field: EditableField) => row.inputs[field]?.value.trim() ?? '';
  const status = value('collectionStatus');
  return {
    file: row.entry.file,
    column: row.entry.column,
    sourceSystem: value('sourceSystem'),
    owningOffice: value('owningOffice'),
    collectionStatus: status === '' ? null : (status as CollectionStatus),
    notes: value('notes'),
  };
}

/** True when any of the row's inputs differs from the saved entry; spaces around text do not count. */
export function isRowChanged(row: CrosswalkRow): boolean {
  const current = readRow(row);
  return editableFields.some((field) => current[field] !== row.entry[field]);
}

/** Marks the row Unsaved, or clears the mark, and returns whether it is changed. */
export function markRow(row: CrosswalkRow): boolean {
  const changed = isRowChanged(row);
  row.marker.hidden = !changed;
  row.row.classList.toggle('crosswalk-row--changed', changed);
  return changed;
}

/** Returns the accessible name of one input, such as "Source system for students.csv first_name". */
export function describeInput(row: CrosswalkRow, field: EditableField): string {
  const header = columns.find((column) => column.field === field)?.header ?? field;
  return `${header} for ${row.entry.file} ${row.entry.column}`;
}

export function isEditableField(value: string): value is EditableField {
  return (editableFields as readonly string[]).includes(value);
}
