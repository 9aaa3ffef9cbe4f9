/**
 * The dashboard's U.S. tile map: one square per state, the District of
 * Columbia and Puerto Rico, placed by the tile positions of the plans
 * roll-up map, shaded by a value in up to five classes with a legend. States
 * without a value are hatched and drawn with a dashed border. The picture is
 * one image (role="img"); the page's table is the accessible equivalent, so
 * the tile links serve pointer users only, in an aria-hidden layer out of
 * the Tab order. Styles: site/components/dashboard/DashboardStyles.astro.
 */
import type { StateCode } from '../../../api/shared/states';
import { stateNames } from '../account/labels';
import { mapColumns, mapRows, tilePositions } from '../plans/tile-map';
import { createSvgElement } from './charts';

/** A state's value on the map. */
export interface MapValue {
  state: StateCode;
  /** The figure that picks the shade; null draws the tile hatched as "no data". */
  value: number | null;
  /** The figure as people read it, such as "1,204" or "+12.5%", shown in the tile's tooltip. */
  valueText: string;
}

/** Options of `renderValueMap`. */
export interface ValueMapOptions {
  /** One entry per state to draw; states left out are not drawn. */
  values: MapValue[];
  /** Formats a value for the legend's ranges. */
  formatValue: (value: number) => string;
  /** The sentence that describes the map; it becomes the image's aria-label. */
  summary: string;
  /** Title above the legend, such as "Searches, Jan–Mar 2026 to Oct–Dec 2026". */
  legendTitle: string;
  /** Link target of each tile; defaults to the state's dashboard page. */
  linkFor?: (state: StateCode) => string;
}

/** One shade of the legend: the smallest and largest value drawn in it. */
export interface MapClass {
  low: number;
  high: number;
}

/** Fills of the five classes, light to dark, USWDS tokens blue-10, blue-30, blue-50, blue-60v, blue-warm-80v. */
const classFills = ['#d9e8f6', '#73b3e7', '#2378c3', '#005ea2', '#162e51'] as const;

const cell = 60;
const tileSize = 54;
let mapCount = 0;

/** Returns the path of a state's dashboard page, such as /dashboard/states/tx/. */
export function statePagePath(state: StateCode): string {
  return `/dashboard/states/${state.toLowerCase()}/`;
}

/**
 * Splits values into at most `count` classes with about as many states in
 * each (quantiles), and returns each class's smallest and largest value,
 * lowest first. Equal values always share a class, so fewer distinct values
 * give fewer classes.
 */
export function classifyValues(values: number[], count = 5): MapClass[] {
  const sorted = [...values].sort((left, right) => left - right);
  if (sorted.length === 0) return [];
  const classes: MapClass[] = [];
  let start = 0;
  for (let index = 1; index <= count && start < sorted.length; index += 1) {
    let end = Math.max(start, Math.ceil((sorted.length * index) / count) - 1);
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]) end += 1;
    classes.push({ low: sorted[start]!, high: sorted[end]! });
    start = end + 1;
  }
  return classes;
}

/**
 * Returns the index of the class that contains a value, or -1 when none does.
 * Classes are contiguous: each runs from its smallest value up to, not
 * including, the next class's smallest, and the last up to its largest.
 */
export function classIndexOf(value: number, classes: MapClass[]): number {
  return classes.findIndex((band, index) => {
    const next = classes[index + 1];
    return value >= band.low && (next === undefined ? value <= band.high : value < next.low);
  });
}

/**
 * Labels a legend class so the classes leave no gap between them: "30 to
 * under 49", then "49 to under 130", and the last "130 to 223".
 */
export function describeMapClass(classes: MapClass[], index: number, formatValue: (value: number) => string): string {
  const band = classes[index]!;
  const next = classes[index + 1];
  if (next !== undefined) return `${formatValue(band.low)} to under ${formatValue(next.low)}`;
  return band.low === band.high ? formatValue(band.low) : `${formatValue(band.low)} to ${formatValue(band.high)}`;
}

/**
 * Draws the map and its legend. Returns a container element holding the
 * picture, the link layer on top of it and the legend below.
 */
export function renderValueMap(options: ValueMapOptions): HTMLDivElement {
  mapCount += 1;
  const hatchId = `dashboard-map-hatch-${mapCount}`;
  const classes = classifyValues(options.values.flatMap((entry) => (entry.value === null ? [] : [entry.value])));
  const linkFor = options.linkFor ?? statePagePath;
  const viewBox = `0 0 ${mapColumns * cell} ${mapRows * cell}`;

  const picture = createSvgElement('svg', {
    viewBox,
    role: 'img',
    'aria-label': options.summary,
    class: 'dashboard-map__svg',
    focusable: 'false',
  });
  picture.append(createHatchDefinition(hatchId));
  const links = createSvgElement('svg', {
    viewBox,
    'aria-hidden': 'true',
    focusable: 'false',
    class: 'dashboard-map__links',
  });

  for (const entry of options.values) {
    const position = tilePositions[entry.state];
    if (!position) continue;
    const x = position[0] * cell + (cell - tileSize) / 2;
    const y = position[1] * cell + (cell - tileSize) / 2;
    const classIndex = entry.value === null ? -1 : classIndexOf(entry.value, classes);
    picture.append(renderTile(entry, x, y, classIndex, hatchId));
    links.append(renderTileLink(entry, x, y, linkFor(entry.state)));
  }

  const frame = document.createElement('div');
  frame.className = 'dashboard-map__frame';
  frame.append(picture, links);

  const container = document.createElement('div');
  container.className = 'dashboard-map';
  container.append(
    frame,
    renderLegend(
      options,
      classes,
      hatchId,
      options.values.some((entry) => entry.value === null),
    ),
  );
  return container;
}

function createHatchDefinition(id: string): SVGDefsElement {
  const definitions = createSvgElement('defs');
  const pattern = createSvgElement('pattern', { id, width: 8, height: 8, patternUnits: 'userSpaceOnUse' });
  pattern.append(
    createSvgElement('rect', { width: 8, height: 8, fill: '#ffffff' }),
    createSvgElement('path', { d: 'M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6', stroke: '#71767a', 'stroke-width': 1.5 }),
  );
  definitions.append(pattern);
  return definitions;
}

function renderTile(entry: MapValue, x: number, y: number, classIndex: number, hatchId: string): SVGGElement {
  const group = createSvgElement('g', {
    class: classIndex < 0 ? 'dashboard-map__tile dashboard-map__tile--no-data' : 'dashboard-map__tile',
    'data-tile': entry.state,
    'data-class': classIndex < 0 ? 'none' : classIndex + 1,
  });
  group.append(
    createSvgElement('rect', {
      x,
      y,
      width: tileSize,
      height: tileSize,
      rx: 4,
      fill: classIndex < 0 ? `url(#${hatchId})` : classFills[classIndex]!,
      class: 'dashboard-map__square',
    }),
    createSvgElement('rect', { x: x + 9, y: y + 16, width: 36, height: 22, rx: 3, class: 'dashboard-map__label-box' }),
  );
  const code = createSvgElement('text', {
    x: x + tileSize / 2,
    y: y + 32,
    'text-anchor': 'middle',
    class: 'dashboard-map__code',
  });
  code.textContent = entry.state;
  group.append(code);
  return group;
}

function renderTileLink(entry: MapValue, x: number, y: number, href: string): SVGAElement {
  const link = createSvgElement('a', { href, tabindex: -1, 'data-tile-link': entry.state });
  const title = createSvgElement('title');
  title.textContent = `${stateNames[entry.state] ?? entry.state}: ${entry.valueText}`;
  link.append(
    title,
    createSvgElement('rect', {
      x,
      y,
      width: tileSize,
      height: tileSize,
      rx: 4,
      fill: 'transparent',
      class: 'dashboard-map__target',
    }),
  );
  return link;
}

function renderSwatch(fill: string, dashed: boolean): SVGSVGElement {
  const swatch = createSvgElement('svg', {
    viewBox: '0 0 20 20',
    width: 20,
    height: 20,
    'aria-hidden': 'true',
    focusable: 'false',
  });
  const attributes: Record<string, string | number> = {
    x: 1,
    y: 1,
    width: 18,
    height: 18,
    rx: 2,
    fill,
    stroke: '#1b1b1b',
  };
  if (dashed) attributes['stroke-dasharray'] = '3 2';
  swatch.append(createSvgElement('rect', attributes));
  return swatch;
}

function renderLegend(
  options: ValueMapOptions,
  classes: MapClass[],
  hatchId: string,
  hasMissing: boolean,
): HTMLDivElement {
  const legend = document.createElement('div');
  legend.className = 'dashboard-map__legend';
  const title = document.createElement('p');
  title.className = 'dashboard-map__legend-title';
  title.textContent = options.legendTitle;
  const list = document.createElement('ul');
  list.className = 'dashboard-map__legend-list';

  classes.forEach((_band, index) => {
    const item = document.createElement('li');
    const text = describeMapClass(classes, index, options.formatValue);
    item.append(renderSwatch(classFills[index]!, false), document.createTextNode(text));
    list.append(item);
  });
  if (hasMissing) {
    const item = document.createElement('li');
    const swatch = renderSwatch(`url(#${hatchId}-legend)`, true);
    const definitions = createHatchDefinition(`${hatchId}-legend`);
    swatch.prepend(definitions);
    item.append(swatch, document.createTextNode('No data'));
    list.append(item);
  }
  legend.append(title, list);
  return legend;
}
