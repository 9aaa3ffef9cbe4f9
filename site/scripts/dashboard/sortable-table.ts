/**
 * A table whose column headers are buttons that sort the rows. The sorted
 * column carries aria-sort, and each sort is announced in a role="status"
 * region. Rows whose sort value is null go last in both directions.
 */
import { showStatus } from '../account/form-feedback';
import { createElement } from '../plans/dom';

export type SortDirection = 'ascending' | 'descending';

/** One column of a sortable table. */
export interface SortableColumn<Row> {
  key: string;
  label: string;
  /** The value sorted on; numbers sort numerically, strings alphabetically; null goes last. */
  sortValue: (row: Row) => string | number | null;
  render: (row: Row) => Node | string;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** Marks this column's cells as the row headers; without such a column, the first column's cells are. */
  rowHeader?: boolean;
  /** Words for each direction in the announcement, such as "highest first". */
  directionWords?: Record<SortDirection, string>;
}

/** Options of `startSortableTable`. */
export interface SortableTableOptions<Row> {
  table: HTMLTableElement;
  columns: SortableColumn<Row>[];
  rows: Row[];
  /** The live region that announces each sort. */
  status: HTMLElement;
  /** The initial order: a column key and direction. Null keeps the rows in the given order. */
  initialSort?: { key: string; direction: SortDirection } | null;
  /** Ties keep this order; defaults to the order of `rows`. */
  tieBreak?: (left: Row, right: Row) => number;
  /** Rows drawn in a <tfoot> after the sorted ones, such as the national figure. */
  footerRows?: Row[];
}

const defaultWords: Record<'text' | 'number', Record<SortDirection, string>> = {
  text: { ascending: 'A to Z', descending: 'Z to A' },
  number: { ascending: 'lowest first', descending: 'highest first' },
};

/**
 * Draws the table's header, body and optional footer, and sorts the body
 * when a column header button is selected (again to reverse the order).
 */
export function startSortableTable<Row>(options: SortableTableOptions<Row>): void {
  const { table, columns, rows, status } = options;
  let sort = options.initialSort ?? null;
  const originalOrder = new Map(rows.map((row, index) => [row, index]));
  const tieBreak =
    options.tieBreak ?? ((left: Row, right: Row) => originalOrder.get(left)! - originalOrder.get(right)!);

  const head = createElement('thead', {}, [createElement('tr', {}, columns.map(renderHeaderCell))]);
  const body = createElement('tbody');
  for (const part of table.querySelectorAll('thead, tbody, tfoot')) part.remove();
  table.append(head, body);
  if (options.footerRows && options.footerRows.length > 0) {
    table.append(
      createElement(
        'tfoot',
        {},
        options.footerRows.map((row) => renderRow(columns, row)),
      ),
    );
  }

  const draw = () => {
    const column = sort ? columns.find((candidate) => candidate.key === sort!.key) : undefined;
    const ordered = column && sort ? sortRows(rows, column, sort.direction, tieBreak) : rows;
    body.replaceChildren(...ordered.map((row) => renderRow(columns, row)));
    for (const cell of head.querySelectorAll<HTMLTableCellElement>('th')) {
      if (sort && cell.dataset.sortKey === sort.key) cell.setAttribute('aria-sort', sort.direction);
      else cell.removeAttribute('aria-sort');
    }
    return column;
  };

  head.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-sort-key]');
    if (!button) return;
    const key = button.dataset.sortKey ?? '';
    const direction: SortDirection = sort?.key === key && sort.direction === 'ascending' ? 'descending' : 'ascending';
    sort = { key, direction };
    const column = draw();
    if (!column) return;
    const words = column.directionWords ?? defaultWords[column.numeric ? 'number' : 'text'];
    showStatus(status, `Sorted by ${column.label.toLowerCase()}, ${words[direction]}.`, 'info');
  });
  draw();
}

function renderHeaderCell<Row>(column: SortableColumn<Row>): HTMLTableCellElement {
  const button = createElement(
    'button',
    { className: 'sort-button', attributes: { type: 'button', 'data-sort-key': column.key } },
    [column.label, createElement('span', { className: 'sort-button__icon', attributes: { 'aria-hidden': 'true' } })],
  );
  return createElement(
    'th',
    {
      className: column.numeric ? 'dashboard-numeric' : undefined,
      attributes: { scope: 'col', 'data-sort-key': column.key },
    },
    [button],
  );
}

function renderRow<Row>(columns: SortableColumn<Row>[], row: Row): HTMLTableRowElement {
  const headerKey = (columns.find((column) => column.rowHeader) ?? columns[0])?.key;
  return createElement(
    'tr',
    {},
    columns.map((column) => {
      const className = column.numeric ? 'dashboard-numeric' : undefined;
      if (column.key === headerKey) {
        return createElement('th', { className, attributes: { scope: 'row', 'data-column': column.key } }, [
          column.render(row),
        ]);
      }
      return createElement('td', { className, attributes: { 'data-column': column.key } }, [column.render(row)]);
    }),
  );
}

function sortRows<Row>(
  rows: Row[],
  column: SortableColumn<Row>,
  direction: SortDirection,
  tieBreak: (left: Row, right: Row) => number,
): Row[] {
  const factor = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((left, right) => {
    const leftValue = column.sortValue(left);
    const rightValue = column.sortValue(right);
    if (leftValue === null || rightValue === null) {
      if (leftValue === rightValue) return tieBreak(left, right);
      return leftValue === null ? 1 : -1;
    }
    const order =
      typeof leftValue === 'number' && typeof rightValue === 'number'
        ? leftValue - rightValue
        : String(leftValue).localeCompare(String(rightValue));
    return order === 0 ? tieBreak(left, right) : order * factor;
  });
}
