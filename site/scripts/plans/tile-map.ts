/**
 * The roll-up's U.S. map: one square tile per state, the District of
 * Columbia and Puerto Rico on a 12 by 8 grid, each in about its geographic
 * place. A tile's fill pattern shows the status of the state's current plan
 * (see MapPatterns.astro and the legend), and its label box shows the USPS
 * code. The picture is one image (role="img") whose aria-label summarizes
 * the map; the table below it is the accessible equivalent, so the tiles'
 * links serve pointer users only and stay out of the Tab order.
 */
import type { StateCode } from '../../../api/shared/states';
import { describeState } from '../account/labels';
import { statusLabels } from './labels';
import type { MilestoneStatus, RollupState } from './types';

/** [column, row] of each tile, counted from 0 at the top left. */
export const tilePositions: Record<StateCode, readonly [number, number]> = {
  AK: [0, 0],
  ME: [11, 0],
  WA: [1, 1],
  ID: [2, 1],
  MT: [3, 1],
  ND: [4, 1],
  MN: [5, 1],
  WI: [6, 1],
  MI: [7, 1],
  NY: [9, 1],
  VT: [10, 1],
  NH: [11, 1],
  OR: [1, 2],
  NV: [2, 2],
  WY: [3, 2],
  SD: [4, 2],
  IA: [5, 2],
  IL: [6, 2],
  IN: [7, 2],
  OH: [8, 2],
  PA: [9, 2],
  CT: [10, 2],
  MA: [11, 2],
  CA: [1, 3],
  UT: [2, 3],
  CO: [3, 3],
  NE: [4, 3],
  MO: [5, 3],
  KY: [6, 3],
  WV: [7, 3],
  VA: [8, 3],
  MD: [9, 3],
  NJ: [10, 3],
  RI: [11, 3],
  AZ: [2, 4],
  NM: [3, 4],
  KS: [4, 4],
  AR: [5, 4],
  TN: [6, 4],
  NC: [7, 4],
  SC: [8, 4],
  DC: [9, 4],
  DE: [10, 4],
  OK: [4, 5],
  LA: [5, 5],
  MS: [6, 5],
  AL: [7, 5],
  GA: [8, 5],
  HI: [0, 6],
  TX: [4, 6],
  FL: [9, 6],
  PR: [10, 7],
};

export const mapColumns = 12;
export const mapRows = 8;

/** Tile category: the status of the state's current plan, no current plan, or not in the program. */
export type TileCategory = MilestoneStatus | 'no_plan' | 'not_participating';

export const tileCategoryLabels: Record<TileCategory, string> = {
  ...statusLabels,
  no_plan: 'No current plan',
  not_participating: 'Not in the program',
};

/** The order of the legend and of the map's summary. */
export const tileCategories: readonly TileCategory[] = [
  'done',
  'on_track',
  'at_risk',
  'off_track',
  'not_started',
  'no_plan',
  'not_participating',
];

export function categorize(row: RollupState): TileCategory {
  if (row.planId !== null && row.status !== null) return row.status;
  return row.participating ? 'no_plan' : 'not_participating';
}

const svgNamespace = 'http://www.w3.org/2000/svg';
const cell = 60;
const tileSize = 54;

function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * Returns two SVGs of the same size: the picture (role="img"), and on top of
 * it a layer of links, one per tile. Links inside an image are hidden from
 * assistive technology, so the link layer is aria-hidden and out of the Tab
 * order. The table's state links are its accessible equivalent.
 */
export function renderTileMap(rows: RollupState[]): SVGSVGElement[] {
  const viewBox = `0 0 ${mapColumns * cell} ${mapRows * cell}`;
  const picture = svgElement('svg', { viewBox, role: 'img', 'aria-label': summarizeMap(rows), class: 'plan-map__svg' });
  const links = svgElement('svg', { viewBox, 'aria-hidden': 'true', focusable: 'false', class: 'plan-map__links' });
  for (const row of rows) {
    const position = tilePositions[row.state as StateCode];
    if (!position) continue;
    const x = position[0] * cell + (cell - tileSize) / 2;
    const y = position[1] * cell + (cell - tileSize) / 2;
    picture.append(renderTile(row, x, y));
    links.append(renderTileLink(row, x, y));
  }
  return [picture, links];
}

function renderTile(row: RollupState, x: number, y: number): SVGGElement {
  const category = categorize(row);
  const group = svgElement('g', { class: `plan-tile plan-tile--${category}`, 'data-tile': row.state });
  const square = svgElement('rect', {
    x,
    y,
    width: tileSize,
    height: tileSize,
    rx: 4,
    fill: `url(#plan-pattern-${category})`,
    class: 'plan-tile__square',
  });
  const labelBox = svgElement('rect', {
    x: x + 9,
    y: y + 16,
    width: 36,
    height: 22,
    rx: 3,
    class: 'plan-tile__label-box',
  });
  const code = svgElement('text', {
    x: x + tileSize / 2,
    y: y + 32,
    'text-anchor': 'middle',
    class: 'plan-tile__code',
  });
  code.textContent = row.state;
  group.append(square, labelBox, code);
  return group;
}

function renderTileLink(row: RollupState, x: number, y: number): SVGAElement {
  const link = svgElement('a', { href: `/plans/?state=${row.state}`, tabindex: -1, 'data-tile-link': row.state });
  const title = svgElement('title', {});
  title.textContent = describeTile(row, categorize(row));
  const target = svgElement('rect', {
    x,
    y,
    width: tileSize,
    height: tileSize,
    rx: 4,
    fill: 'transparent',
    class: 'plan-tile__target',
  });
  link.append(title, target);
  return link;
}

function describeTile(row: RollupState, category: TileCategory): string {
  const name = describeState(row.state);
  if (row.planId === null) return `${name}: ${tileCategoryLabels[category]}`;
  return `${name}: ${tileCategoryLabels[category]}, ${row.percentComplete ?? 0}% complete`;
}

/** Lists names when a group is small, so the summary stays short enough to listen to. */
const maxNamedStates = 8;

export function summarizeMap(rows: RollupState[]): string {
  const groups = tileCategories.map((category) => {
    const members = rows.filter((row) => categorize(row) === category);
    if (members.length === 0) return undefined;
    const names = members.length <= maxNamedStates ? ` (${members.map((row) => row.name).join(', ')})` : '';
    return `${tileCategoryLabels[category]}: ${members.length}${names}`;
  });
  return (
    'Map of the states, the District of Columbia and Puerto Rico by the status of their current plan. ' +
    `${groups.filter(Boolean).join('. ')}. The table below gives the same information.`
  );
}
