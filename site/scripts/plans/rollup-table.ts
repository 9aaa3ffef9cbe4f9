/**
 * The roll-up table: one row per state, with column headers that are
 * buttons sorting the rows. The sorted column carries aria-sort, and each
 * sort is announced in the page's role="status" region.
 */
import { showStatus } from '../account/form-feedback';
import { createElement } from './dom';
import { formatTimeAsDay, milestoneStatuses, statusLabels } from './labels';
import { renderStatus } from './plan-tree';
import type { MilestoneStatus, RollupState } from './types';

type SortKind = 'text' | 'number' | 'status' | 'presence' | 'date';
type Direction = 'ascending' | 'descending';

interface Column {
  key: string;
  label: string;
  kind: SortKind;
  /** The value sorted on; null sorts last in both directions. */
  sortValue: (row: RollupState) => string | number | null;
  render: (row: RollupState) => Node | string;
}

/** Ascending status order puts the most serious first, matching the roll-up rule. */
const statusRank: Record<MilestoneStatus, number> = {
  off_track: 0,
  at_risk: 1,
  on_track: 2,
  not_started: 3,
  done: 4,
};

const directionWords: Record<SortKind, Record<Direction, string>> = {
  text: { ascending: 'A to Z', descending: 'Z to A' },
  number: { ascending: 'lowest first', descending: 'highest first' },
  status: { ascending: 'most serious first', descending: 'least serious first' },
  presence: { ascending: 'states with a current plan first', descending: 'states without a current plan first' },
  date: { ascending: 'oldest first', descending: 'newest first' },
};

const columns: Column[] = [
  {
    key: 'state',
    label: 'State',
    kind: 'text',
    sortValue: (row) => row.name,
    render: (row) =>
      createElement('a', {
        className: 'usa-link',
        text: `${row.name} (${row.state})`,
        attributes: { href: `/plans/?state=${row.state}` },
      }),
  },
  {
    key: 'plan',
    label: 'Current plan',
    kind: 'presence',
    sortValue: (row) => (row.planId === null ? 1 : 0),
    render: (row) => {
      if (row.planId !== null) return 'Yes';
      return row.participating ? 'No' : 'No (not in the program)';
    },
  },
  {
    key: 'status',
    label: 'Status',
    kind: 'status',
    sortValue: (row) => (row.status === null ? null : statusRank[row.status]),
    render: (row) => (row.status === null ? 'None' : renderStatus({ status: row.status })),
  },
  {
    key: 'percent',
    label: 'Percent complete',
    kind: 'number',
    sortValue: (row) => row.percentComplete,
    render: (row) => (row.percentComplete === null ? 'None' : `${row.percentComplete}%`),
  },
  ...milestoneStatuses.map((status): Column => ({
    key: `milestones-${status}`,
    label: `Milestones ${statusLabels[status].toLowerCase()}`,
    kind: 'number',
    sortValue: (row) => row.milestones[status],
    render: (row) => String(row.milestones[status]),
  })),
  {
    key: 'overdue',
    label: 'Overdue',
    kind: 'number',
    sortValue: (row) => row.overdue,
    render: (row) => String(row.overdue),
  },
  {
    key: 'stale',
    label: 'No update for 90 days',
    kind: 'number',
    sortValue: (row) => row.stale,
    render: (row) => String(row.stale),
  },
  {
    key: 'updated',
    label: 'Last updated',
    kind: 'date',
    sortValue: (row) => row.updatedAt,
    render: (row) => (row.updatedAt === null ? 'None' : formatTimeAsDay(row.updatedAt)),
  },
];

interface SortState {
  key: string;
  direction: Direction;
}

export function startRollupTable(table: HTMLTableElement, rows: RollupState[], status: HTMLElement): void {
  const sort: SortState = { key: 'state', direction: 'ascending' };
  const head = createElement('thead', {}, [createElement('tr', {}, columns.map(renderHeaderCell))]);
  const body = createElement('tbody');
  for (const part of table.querySelectorAll('thead, tbody')) part.remove();
  table.append(head, body);

  const draw = () => {
    const column = columns.find((candidate) => candidate.key === sort.key) ?? columns[0]!;
    body.replaceChildren(...sortRows(rows, column, sort.direction).map(renderRow));
    for (const cell of head.querySelectorAll<HTMLTableCellElement>('th')) {
      const sorted = cell.dataset.sortKey === sort.key;
      if (sorted) cell.setAttribute('aria-sort', sort.direction);
      else cell.removeAttribute('aria-sort');
    }
    return column;
  };

  head.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-sort-key]');
    if (!button) return;
    const key = button.dataset.sortKey ?? 'state';
    sort.direction = key === sort.key && sort.direction === 'ascending' ? 'descending' : 'ascending';
    sort.key = key;
    const column = draw();
    showStatus(
      status,
      `Sorted by ${column.label.toLowerCase()}, ${directionWords[column.kind][sort.direction]}.`,
      'info',
    );
  });
  draw();
}

function renderHeaderCell(column: Column): HTMLTableCellElement {
  const button = createElement(
    'button',
    { className: 'sort-button', attributes: { type: 'button', 'data-sort-key': column.key } },
    [column.label, createElement('span', { className: 'sort-button__icon', attributes: { 'aria-hidden': 'true' } })],
  );
  return createElement('th', { attributes: { scope: 'col', 'data-sort-key': column.key } }, [button]);
}

function renderRow(row: RollupState): HTMLTableRowElement {
  const [first, ...rest] = columns;
  return createElement('tr', {}, [
    first && createElement('th', { attributes: { scope: 'row' } }, [first.render(row)]),
    ...rest.map((column) => createElement('td', { attributes: { 'data-column': column.key } }, [column.render(row)])),
  ]);
}

/** Sorts a copy; empty values go last, and ties keep alphabetical order by state name. */
function sortRows(rows: RollupState[], column: Column, direction: Direction): RollupState[] {
  const factor = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = column.sortValue(a);
    const right = column.sortValue(b);
    if (left === null || right === null) {
      if (left === right) return a.name.localeCompare(b.name);
      return left === null ? 1 : -1;
    }
    const order =
      typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right));
    return order === 0 ? a.name.localeCompare(b.name) : order * factor;
  });
}
