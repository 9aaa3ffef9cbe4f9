/**
 * The table of every route between states on the migratory-patterns page:
 * column headers are buttons that sort the rows (the sorted column carries
 * aria-sort), and a text filter keeps the routes into or out of one state.
 * Sorting and the number of routes currentUpdate are announced in role="status"
 * regions. Also builds the page's plain tables.
 */
import type { FlowsResponse } from '../../../api/dashboard/contract';
import { stateNames, type StateCode } from '../../../api/shared/states';
import { showStatus } from '../account/form-feedback';
import { createElement } from '../plans/dom';
import { formatNumber } from '../../../api/dashboard/format';

type Route = FlowsResponse['flows'][number];
type Direction = 'ascending' | 'descending';
type SortKey = 'from' | 'to' | 'children';

interface Column {
  key: SortKey;
  label: string;
  /** The direction of the first click on this header: names A to Z, children highest first. */
  firstDirection: Direction;
  directionWords: Record<Direction, string>;
}

const columns: Column[] = [
  {
    key: 'from',
    label: 'From',
    firstDirection: 'ascending',
    directionWords: { ascending: 'A to Z', descending: 'Z to A' },
  },
  {
    key: 'to',
    label: 'To',
    firstDirection: 'ascending',
    directionWords: { ascending: 'A to Z', descending: 'Z to A' },
  },
  {
    key: 'children',
    label: 'Children',
    firstDirection: 'descending',
    directionWords: { ascending: 'fewest first', descending: 'most first' },
  },
];

export interface RoutesTableElements {
  table: HTMLTableElement;
  filter: HTMLInputElement;
  count: HTMLElement;
  status: HTMLElement;
}

/** The routes of one year; `ownState` is a coordinator's state, whose routes are the only ones listed. */
export interface RoutesTableUpdate {
  routes: Route[];
  year: number;
  ownState?: StateCode;
}

/**
 * Shows the routes sorted by children, most first. Returns a function that
 * replaces the routes (after a change of year) and keeps the sort and filter.
 */
export function startRoutesTable(elements: RoutesTableElements): (update: RoutesTableUpdate) => void {
  const sort: { key: SortKey; direction: Direction } = { key: 'children', direction: 'descending' };
  let currentUpdate: RoutesTableUpdate = { routes: [], year: 0 };
  const head = createElement('thead', {}, [createElement('tr', {}, columns.map(renderHeaderCell))]);
  const body = createElement('tbody');
  for (const part of elements.table.querySelectorAll('thead, tbody')) part.remove();
  elements.table.append(head, body);

  const draw = () => {
    const visibleRoutes = sortRoutes(
      filterRoutes(currentUpdate.routes, elements.filter.value),
      sort.key,
      sort.direction,
    );
    body.replaceChildren(...visibleRoutes.map(renderRouteRow));
    for (const cell of head.querySelectorAll<HTMLTableCellElement>('th')) {
      if (cell.dataset.sortKey === sort.key) cell.setAttribute('aria-sort', sort.direction);
      else cell.removeAttribute('aria-sort');
    }
    elements.count.textContent = describeCount(visibleRoutes.length, currentUpdate, elements.filter.value.trim());
  };

  head.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-sort-key]');
    const column = columns.find((candidate) => candidate.key === button?.dataset.sortKey);
    if (!column) return;
    if (column.key === sort.key) sort.direction = sort.direction === 'ascending' ? 'descending' : 'ascending';
    else sort.direction = column.firstDirection;
    sort.key = column.key;
    draw();
    showStatus(
      elements.status,
      `Routes sorted by ${column.label.toLowerCase()}, ${column.directionWords[sort.direction]}.`,
      'info',
    );
  });
  elements.filter.addEventListener('input', draw);

  return (next) => {
    currentUpdate = next;
    draw();
  };
}

function renderHeaderCell(column: Column): HTMLTableCellElement {
  const button = createElement(
    'button',
    { className: 'sort-button', attributes: { type: 'button', 'data-sort-key': column.key } },
    [column.label, createElement('span', { className: 'sort-button__icon', attributes: { 'aria-hidden': 'true' } })],
  );
  const classes = column.key === 'children' ? 'dash-number' : '';
  return createElement('th', { className: classes, attributes: { scope: 'col', 'data-sort-key': column.key } }, [
    button,
  ]);
}

function renderRouteRow(route: Route): HTMLTableRowElement {
  return createElement('tr', { attributes: { 'data-route': `${route.from}-${route.to}` } }, [
    createElement('th', { text: route.fromName, attributes: { scope: 'row', 'data-column': 'from' } }),
    createElement('td', { text: route.toName, attributes: { 'data-column': 'to' } }),
    createElement('td', {
      className: 'dash-number',
      text: formatNumber(route.children, 'count'),
      attributes: { 'data-column': 'children' },
    }),
  ]);
}

/** Keeps the routes whose origin or destination matches the text: a whole USPS code, or part of a state's name. */
export function filterRoutes(routes: readonly Route[], text: string): Route[] {
  const query = text.trim().toLowerCase();
  if (!query) return [...routes];
  const matches = (code: string, name: string) => code.toLowerCase() === query || name.toLowerCase().includes(query);
  return routes.filter((route) => matches(route.from, route.fromName) || matches(route.to, route.toName));
}

/** Sorts the routes in place. Ties put the busiest first, then order by the origin's and destination's names. */
function sortRoutes(routes: Route[], key: SortKey, direction: Direction): Route[] {
  const factor = direction === 'ascending' ? 1 : -1;
  return routes.sort((a, b) => {
    let order = 0;
    if (key === 'children') order = a.children - b.children;
    if (key === 'from') order = a.fromName.localeCompare(b.fromName);
    if (key === 'to') order = a.toName.localeCompare(b.toName);
    if (order !== 0) return order * factor;
    return b.children - a.children || a.fromName.localeCompare(b.fromName) || a.toName.localeCompare(b.toName);
  });
}

/** Finds the states whose USPS code is the text, or whose name contains it, ignoring case. */
export function findStates(text: string): StateCode[] {
  const query = text.trim().toLowerCase();
  if (!query) return [];
  return (Object.keys(stateNames) as StateCode[]).filter(
    (code) => code.toLowerCase() === query || stateNames[code].toLowerCase().includes(query),
  );
}

function describeCount(visibleCount: number, currentUpdate: RoutesTableUpdate, filter: string): string {
  const total = currentUpdate.routes.length;
  const routeWord = (count: number) => (count === 1 ? 'route' : 'routes');
  if (total === 0) return `No routes between states in ${currentUpdate.year}.`;
  if (!filter) return `${formatNumber(total, 'count')} ${routeWord(total)}.`;
  if (visibleCount > 0) {
    return `Showing ${formatNumber(visibleCount, 'count')} of ${formatNumber(total, 'count')} ${routeWord(total)}, those matching “${filter}”.`;
  }

  const states = findStates(filter);
  if (states.length === 0) return `No state matches “${filter}”. Type a state's name or its two-letter code.`;
  const names = states.length === 1 ? stateNames[states[0]!] : `a state matching “${filter}”`;
  // A coordinator's table lists only the routes of their own state, so "no routes into or out of Wyoming" would claim too much.
  if (currentUpdate.ownState && !states.includes(currentUpdate.ownState)) {
    return `No routes between ${stateNames[currentUpdate.ownState]} and ${names} in ${currentUpdate.year}.`;
  }
  return `No routes into or out of ${names} in ${currentUpdate.year}.`;
}

/** Fills a plain table: a header row, then one row per item, with the cell in `rowHeaderColumn` as the row's header. */
export function fillTable(
  table: HTMLTableElement,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { numericColumns: readonly number[]; rowHeaderColumn?: number },
): void {
  const { numericColumns, rowHeaderColumn = 0 } = options;
  const isNumeric = (index: number) => numericColumns.includes(index);
  const head = createElement('thead', {}, [
    createElement(
      'tr',
      {},
      headers.map((label, index) =>
        createElement('th', {
          text: label,
          className: isNumeric(index) ? 'dash-number' : '',
          attributes: { scope: 'col' },
        }),
      ),
    ),
  ]);
  const body = createElement(
    'tbody',
    {},
    rows.map((cells) =>
      createElement(
        'tr',
        {},
        cells.map((text, index) =>
          index === rowHeaderColumn
            ? createElement('th', { text, attributes: { scope: 'row' } })
            : createElement('td', { text, className: isNumeric(index) ? 'dash-number' : '' }),
        ),
      ),
    ),
  );
  for (const part of table.querySelectorAll('thead, tbody')) part.remove();
  table.append(head, body);
}
