/**
 * The flow map: the U.S. tile map with a curved arrow from each origin state's
 * tile to each destination state's tile for the busiest routes, the stroke
 * width growing with the number of children. The picture is one image
 * (role="img") whose aria-label names the busiest routes; the tables on the
 * page hold every route.
 */
import type { FlowsResponse } from '../../../api/dashboard/contract';
import type { StateCode } from '../../../api/shared/states';
import { mapColumns, mapRows, tilePositions } from '../plans/tile-map';
import { formatNumber } from '../../../api/dashboard/format';

type Route = FlowsResponse['flows'][number];

const svgNamespace = 'http://www.w3.org/2000/svg';
const cell = 60;
const tileSize = 50;
/** Routes drawn on the map. With more arrows, they cross so often that none can be followed. */
export const mappedRouteCount = 15;
const minStroke = 1.5;
const maxStroke = 10;
/** How far from the tiles' centers an arrow starts and stops, so it leaves the state codes clear. */
const arrowGap = 16;

function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function centerOf(state: StateCode): { x: number; y: number } | undefined {
  const position = tilePositions[state];
  if (!position) return undefined;
  return { x: position[0] * cell + cell / 2, y: position[1] * cell + cell / 2 };
}

/** Draws the map of the busiest routes. The tile of `ownState` (a coordinator's state) gets a heavier outline. */
export function renderFlowMap(flows: FlowsResponse, ownState?: StateCode): SVGSVGElement {
  const routes = flows.flows.slice(0, mappedRouteCount);
  const svg = svgElement('svg', {
    viewBox: `0 0 ${mapColumns * cell} ${mapRows * cell}`,
    role: 'img',
    'aria-label': summarizeFlowMap(flows, routes),
    class: 'flow-map__svg',
  });
  svg.append(renderArrowMarker());

  const mapped = new Set(routes.flatMap((route) => [route.from, route.to]));
  const codes = svgElement('g', { class: 'flow-map__codes' });
  for (const [state, position] of Object.entries(tilePositions) as [StateCode, readonly [number, number]][]) {
    const x = position[0] * cell + (cell - tileSize) / 2;
    const y = position[1] * cell + (cell - tileSize) / 2;
    const classes = ['flow-tile'];
    if (mapped.has(state)) classes.push('flow-tile--mapped');
    if (state === ownState) classes.push('flow-tile--own');
    svg.append(
      svgElement('rect', {
        x,
        y,
        width: tileSize,
        height: tileSize,
        rx: 4,
        class: classes.join(' '),
        'data-tile': state,
      }),
    );
    codes.append(
      svgElement(
        'text',
        { x: x + tileSize / 2, y: y + tileSize / 2 + 5, 'text-anchor': 'middle', class: 'flow-tile__code' },
        state,
      ),
    );
  }

  const busiest = routes[0]?.children ?? 0;
  // The thinnest arrows go first, so the busiest routes stay on top where they cross.
  for (const route of [...routes].reverse()) {
    const path = describeArrow(route);
    if (!path) continue;
    const share = busiest > 0 ? Math.sqrt(route.children / busiest) : 0;
    svg.append(
      svgElement('path', {
        d: path,
        class: 'flow-map__route',
        'stroke-width': (minStroke + (maxStroke - minStroke) * share).toFixed(1),
        'marker-end': 'url(#flow-arrow)',
        'data-route': `${route.from}-${route.to}`,
      }),
    );
  }
  // The state codes go over the arrows, with a white outline, so every code stays readable.
  svg.append(codes);
  return svg;
}

function renderArrowMarker(): SVGDefsElement {
  const defs = svgElement('defs', {});
  const marker = svgElement('marker', {
    id: 'flow-arrow',
    viewBox: '0 0 10 10',
    refX: 6,
    refY: 5,
    markerWidth: 14,
    markerHeight: 14,
    markerUnits: 'userSpaceOnUse',
    orient: 'auto',
  });
  marker.append(svgElement('path', { d: 'M0 0 L10 5 L0 10 Z', class: 'flow-map__arrowhead' }));
  defs.append(marker);
  return defs;
}

/**
 * Describes the arrow's path: a quadratic curve bending to the left of the direction of travel, so the
 * two directions of one pair of states bend apart instead of overlapping.
 */
function describeArrow(route: Route): string | undefined {
  const start = centerOf(route.from);
  const end = centerOf(route.to);
  if (!start || !end) return undefined;
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return undefined;

  const control = { x: (start.x + end.x) / 2 + dy * 0.25, y: (start.y + end.y) / 2 - dx * 0.25 };
  const tail = moveToward(start, control, arrowGap);
  const tip = moveToward(end, control, arrowGap);
  const point = (value: { x: number; y: number }) => `${value.x.toFixed(1)} ${value.y.toFixed(1)}`;
  return `M${point(tail)} Q${point(control)} ${point(tip)}`;
}

function moveToward(
  from: { x: number; y: number },
  to: { x: number; y: number },
  distance: number,
): { x: number; y: number } {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  if (length === 0) return from;
  return { x: from.x + ((to.x - from.x) / length) * distance, y: from.y + ((to.y - from.y) / length) * distance };
}

function describeRoute(route: Route): string {
  return `${route.fromName} to ${route.toName}, ${formatNumber(route.children, 'count')} ${route.children === 1 ? 'child' : 'children'}`;
}

/** Writes the map's aria-label: what it shows and its three busiest routes. */
export function summarizeFlowMap(flows: FlowsResponse, routes: readonly Route[]): string {
  if (routes.length === 0) return `Map of the states. No child moved from one state to another in ${flows.year}.`;
  const scope = routes.length === 1 ? 'the only route' : `the ${routes.length} busiest routes`;
  const named = routes.slice(0, 3).map(describeRoute).join('; ');
  return (
    `Map of the states with arrows for ${scope} between states in ${flows.year}, thicker for more children. ` +
    `Busiest: ${named}. The tables below list every route.`
  );
}
