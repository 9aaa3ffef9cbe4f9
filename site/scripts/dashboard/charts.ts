/**
 * The dashboard's charts: SVG built with DOM calls, never from HTML strings,
 * and styled with presentation attributes and the classes in
 * site/components/dashboard/DashboardStyles.astro (no style attributes, for
 * the Content-Security-Policy). Each chart is one image (role="img") whose
 * aria-label is the caller's summary sentence; the table beside it on the
 * page is the accessible equivalent. The viewBox is the width the caller
 * passes, usually the container's width at render time, so text is drawn at
 * its real size, 12 to 13 px, even on a 320 px screen.
 */

const svgNamespace = 'http://www.w3.org/2000/svg';

/** Narrowest drawing width; a narrower container scales the chart down. */
export const minimumChartWidth = 280;

/**
 * Series colors, USWDS tokens, each at least 3:1 against white: blue-60v,
 * gray-cool-60, orange-60v. Series also differ by dash pattern and marker shape,
 * so they do not rest on color alone.
 */
const seriesStyles = [
  { color: '#005ea2', dash: '', marker: 'circle' },
  { color: '#565c65', dash: '6 4', marker: 'square' },
  { color: '#c05600', dash: '2 3', marker: 'diamond' },
] as const;

/**
 * Bar fills, USWDS tokens at least 3:1 against white: blue-60v for values of
 * 0 and up, violet-warm-60v below 0. Neither means good or bad, because for
 * some metrics (such as response times) a decrease is the improvement. The
 * value text and the side of the zero line carry the sign as well.
 */
const barColors = { positive: '#005ea2', negative: '#864381' } as const;

/** One line of a line chart. */
export interface LineSeries {
  /** Name in the legend, such as "Texas" or "National". */
  name: string;
  /** One value per category, null where there is no figure (the line breaks there). */
  values: Array<number | null>;
}

/** Options of `renderLineChart`. */
export interface LineChartOptions {
  /** The x axis: one label per point, such as "Oct–Dec 2026". */
  categories: string[];
  /** Shorter tick labels, such as "Q4 2026"; defaults to `categories`. */
  tickLabels?: string[];
  /** One to three series, drawn in order; the first is the emphasized one. */
  series: LineSeries[];
  /** Title of the y axis, such as "Searches" or "Hours". */
  yAxisTitle: string;
  /** Title of the x axis; defaults to "Quarter". */
  xAxisTitle?: string;
  /** Formats a value for tick labels, such as formatNumber(value, unit) from format.ts. */
  formatValue: (value: number) => string;
  /** The sentence that describes the chart; it becomes the image's aria-label. */
  summary: string;
  /** Drawing width in px (the viewBox width); defaults to 480. */
  width?: number;
  /** Drawing height in px; defaults to 220, or 140 when `compact`. */
  height?: number;
  /** A small chart for a card: fewer ticks, no legend when there is one series. */
  compact?: boolean;
  /** Whether the y axis starts at 0 (counts) rather than near the smallest value; defaults to true. */
  zeroBased?: boolean;
}

/** One bar of a bar chart. */
export interface BarItem {
  /** Label beside the bar, such as "TX" or "Texas". */
  label: string;
  /** Length of the bar; null draws no bar and shows `valueText`. */
  value: number | null;
  /** Text at the bar's end, such as "+12.5%" or "not comparable". */
  valueText: string;
  /** Drawn with a dark outline and bold text, such as the viewer's own state or the nation. */
  highlighted?: boolean;
}

/** Options of `renderBarChart`. */
export interface BarChartOptions {
  /** Bars from top to bottom, in the order given (rank order for rankings). */
  items: BarItem[];
  /** Title of the value axis, such as "Change from the baseline period (%)". */
  valueAxisTitle: string;
  /** Title of the label column, such as "State". */
  labelAxisTitle: string;
  /** Formats a value for tick labels. */
  formatValue: (value: number) => string;
  /** The sentence that describes the chart; it becomes the image's aria-label. */
  summary: string;
  /** Drawing width in px (the viewBox width); defaults to 480. */
  width?: number;
}

/** Creates an SVG element with the given attributes. */
export function createSvgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function createText(text: string, attributes: Record<string, string | number>): SVGTextElement {
  const element = createSvgElement('text', attributes);
  element.textContent = text;
  return element;
}

/** Measures the drawing width for a container: its width in px, at least `minimumChartWidth`, or 480 when not laid out. */
export function chartWidthFor(container: Element): number {
  const width = Math.floor(container.getBoundingClientRect().width);
  if (width <= 0) return 480;
  return Math.max(minimumChartWidth, width);
}

/**
 * Returns about `count` evenly spaced round tick values (steps of 1, 2 or 5
 * times a power of ten) covering `min` to `max`.
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (min === max) {
    if (min === 0) return [0, 1];
    const padding = Math.abs(min) * 0.1;
    return niceTicks(min - padding, max + padding, count);
  }
  const rawStep = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const multiple = rawStep / power;
  let factor = 10;
  if (multiple <= 1) factor = 1;
  else if (multiple <= 2) factor = 2;
  else if (multiple <= 5) factor = 5;
  const step = factor * power;
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let index = 0; first + index * step <= last + step / 2; index += 1) {
    ticks.push(Number((first + index * step).toPrecision(12)));
  }
  return ticks;
}

function createChartSvg(width: number, height: number, summary: string, kind: string): SVGSVGElement {
  return createSvgElement('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': summary,
    class: `dashboard-chart dashboard-chart--${kind}`,
    focusable: 'false',
  });
}

function createMarker(shape: string, x: number, y: number, color: string): SVGElement {
  if (shape === 'square') {
    return createSvgElement('rect', { x: x - 3.5, y: y - 3.5, width: 7, height: 7, fill: color });
  }
  if (shape === 'diamond') {
    return createSvgElement('path', {
      d: `M${x} ${y - 4.5} L${x + 4.5} ${y} L${x} ${y + 4.5} L${x - 4.5} ${y} Z`,
      fill: color,
    });
  }
  return createSvgElement('circle', { cx: x, cy: y, r: 3.5, fill: color });
}

/**
 * Draws a line chart of one metric over quarters, with up to three series
 * (such as a state and the nation). Returns the SVG, to be placed in a
 * container whose table shows the same figures.
 */
export function renderLineChart(options: LineChartOptions): SVGSVGElement {
  const compact = options.compact ?? false;
  const width = Math.max(minimumChartWidth, options.width ?? 480);
  const height = options.height ?? (compact ? 140 : 220);
  const series = options.series.slice(0, seriesStyles.length);
  const showLegend = series.length > 1 || !compact;
  const legendHeight = showLegend ? 22 : 0;
  const tickLabels = options.tickLabels ?? options.categories;

  const present = series.flatMap((line) => line.values.filter((value): value is number => value !== null));
  const zeroBased = options.zeroBased ?? true;
  const low = present.length === 0 ? 0 : Math.min(...present, ...(zeroBased ? [0] : []));
  const high = present.length === 0 ? 1 : Math.max(...present);
  const ticks = niceTicks(low, high, compact ? 2 : 4);
  const yMin = ticks[0]!;
  const yMax = ticks[ticks.length - 1]!;

  const tickTexts = ticks.map((tick) => options.formatValue(tick));
  const longestTick = Math.max(...tickTexts.map((text) => text.length));
  const margin = { top: 8 + legendHeight, right: 14, bottom: 44, left: 30 + longestTick * 7 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const svg = createChartSvg(width, height, options.summary, 'line');

  const count = options.categories.length;
  const xOf = (index: number) => margin.left + (count <= 1 ? plotWidth / 2 : (index * plotWidth) / (count - 1));
  const yOf = (value: number) => margin.top + plotHeight - ((value - yMin) / (yMax - yMin || 1)) * plotHeight;

  const grid = createSvgElement('g', { class: 'dashboard-chart__grid' });
  ticks.forEach((tick, index) => {
    const y = yOf(tick);
    grid.append(
      createSvgElement('line', {
        x1: margin.left,
        x2: margin.left + plotWidth,
        y1: y,
        y2: y,
        class: 'dashboard-chart__gridline',
      }),
      createText(tickTexts[index]!, {
        x: margin.left - 6,
        y: y + 4,
        'text-anchor': 'end',
        class: 'dashboard-chart__tick',
      }),
    );
  });
  svg.append(grid);

  // Label as many quarters as fit, about 64 px apart, always including the last.
  const labelEvery = Math.max(1, Math.ceil((count * 64) / Math.max(plotWidth, 1)));
  const xAxis = createSvgElement('g', { class: 'dashboard-chart__axis' });
  xAxis.append(
    createSvgElement('line', {
      x1: margin.left,
      x2: margin.left + plotWidth,
      y1: margin.top + plotHeight,
      y2: margin.top + plotHeight,
      class: 'dashboard-chart__axis-line',
    }),
  );
  for (let index = 0; index < count; index += 1) {
    const isLast = index === count - 1;
    if (index % labelEvery !== 0 && !isLast) continue;
    if (!isLast && count - 1 - index < labelEvery && count > 1) continue;
    let anchor = 'middle';
    if (count > 1 && index === 0) anchor = 'start';
    else if (count > 1 && isLast) anchor = 'end';
    xAxis.append(
      createText(tickLabels[index] ?? '', {
        x: xOf(index),
        y: margin.top + plotHeight + 16,
        'text-anchor': anchor,
        class: 'dashboard-chart__tick',
      }),
    );
  }
  xAxis.append(
    createText(options.xAxisTitle ?? 'Quarter', {
      x: margin.left + plotWidth / 2,
      y: height - 6,
      'text-anchor': 'middle',
      class: 'dashboard-chart__axis-title',
    }),
    createText(options.yAxisTitle, {
      x: 0,
      y: 0,
      transform: `translate(12 ${margin.top + plotHeight / 2}) rotate(-90)`,
      'text-anchor': 'middle',
      class: 'dashboard-chart__axis-title',
    }),
  );
  svg.append(xAxis);

  series.forEach((line, seriesIndex) => {
    const style = seriesStyles[seriesIndex]!;
    const group = createSvgElement('g', {
      class: `dashboard-chart__series dashboard-chart__series--${seriesIndex + 1}`,
    });
    let path = '';
    let drawing = false;
    line.values.forEach((value, index) => {
      if (value === null) {
        drawing = false;
        return;
      }
      path += `${drawing ? 'L' : 'M'}${xOf(index).toFixed(1)} ${yOf(value).toFixed(1)} `;
      drawing = true;
    });
    if (path) {
      const attributes: Record<string, string | number> = {
        d: path.trim(),
        fill: 'none',
        stroke: style.color,
        'stroke-width': seriesIndex === 0 ? 2.5 : 2,
        'stroke-linejoin': 'round',
      };
      if (style.dash) attributes['stroke-dasharray'] = style.dash;
      group.append(createSvgElement('path', attributes));
    }
    line.values.forEach((value, index) => {
      if (value !== null) group.append(createMarker(style.marker, xOf(index), yOf(value), style.color));
    });
    svg.append(group);
  });

  if (showLegend) svg.append(renderLegend(series, margin.left, 4, plotWidth));
  if (present.length === 0) {
    svg.append(
      createText('No figures for this period', {
        x: margin.left + plotWidth / 2,
        y: margin.top + plotHeight / 2,
        'text-anchor': 'middle',
        class: 'dashboard-chart__empty',
      }),
    );
  }
  return svg;
}

function renderLegend(series: LineSeries[], x: number, y: number, availableWidth: number): SVGGElement {
  const legend = createSvgElement('g', { class: 'dashboard-chart__legend' });
  let offset = 0;
  series.forEach((line, index) => {
    const style = seriesStyles[index]!;
    const itemWidth = 34 + line.name.length * 7 + 16;
    if (offset > 0 && offset + itemWidth > availableWidth) return;
    const sampleAttributes: Record<string, string | number> = {
      x1: x + offset,
      x2: x + offset + 26,
      y1: y + 9,
      y2: y + 9,
      stroke: style.color,
      'stroke-width': 2.5,
    };
    if (style.dash) sampleAttributes['stroke-dasharray'] = style.dash;
    legend.append(
      createSvgElement('line', sampleAttributes),
      createMarker(style.marker, x + offset + 13, y + 9, style.color),
      createText(line.name, { x: x + offset + 32, y: y + 13, class: 'dashboard-chart__legend-text' }),
    );
    offset += itemWidth;
  });
  return legend;
}

/**
 * Draws a horizontal bar chart, one bar per item from top to bottom, for
 * rankings and changes: negative values extend left of a zero line, and
 * every value's text is right of its bar or of the zero line. Returns
 * the SVG; its height grows with the number of items (24 px each).
 */
export function renderBarChart(options: BarChartOptions): SVGSVGElement {
  const width = Math.max(minimumChartWidth, options.width ?? 480);
  const rowHeight = 24;
  const values = options.items.map((item) => item.value).filter((value): value is number => value !== null);
  const axisMin = Math.min(0, ...values);
  const axisMax = Math.max(0, ...values) === axisMin ? axisMin + 1 : Math.max(0, ...values);

  // Every value text sits right of its bar, or right of the zero line for a
  // negative or missing value, so only the right side needs room for it.
  const longestLabel = Math.max(4, ...options.items.map((item) => item.label.length));
  const labelWidth = Math.min(Math.round(width * 0.35), longestLabel * 7.5 + 10);
  const longestPositiveText = Math.max(
    4,
    ...options.items.filter((item) => item.value !== null && item.value >= 0).map((item) => item.valueText.length),
  );
  const margin = { top: 28, right: Math.min(96, longestPositiveText * 7 + 10), bottom: 44, left: labelWidth + 6 };
  const plotWidth = Math.max(40, width - margin.left - margin.right);
  const plotHeight = Math.max(rowHeight, options.items.length * rowHeight);
  const height = margin.top + plotHeight + margin.bottom;
  const xOf = (value: number) => margin.left + ((value - axisMin) / (axisMax - axisMin)) * plotWidth;
  // At least two tick labels, about 60 px apart, only inside the drawn range.
  const ticks = niceTicks(axisMin, axisMax, Math.max(2, Math.floor(plotWidth / 60))).filter(
    (tick) => tick >= axisMin && tick <= axisMax,
  );
  const svg = createChartSvg(width, height, options.summary, 'bar');

  const grid = createSvgElement('g', { class: 'dashboard-chart__grid' });
  for (const tick of ticks) {
    const x = xOf(tick);
    grid.append(
      createSvgElement('line', {
        x1: x,
        x2: x,
        y1: margin.top,
        y2: margin.top + plotHeight,
        class: 'dashboard-chart__gridline',
      }),
      createText(options.formatValue(tick), {
        x,
        y: margin.top + plotHeight + 16,
        'text-anchor': 'middle',
        class: 'dashboard-chart__tick',
      }),
    );
  }
  svg.append(grid);

  svg.append(
    createText(options.labelAxisTitle, { x: 4, y: 16, class: 'dashboard-chart__axis-title' }),
    createText(options.valueAxisTitle, {
      x: margin.left + plotWidth / 2,
      y: height - 6,
      'text-anchor': 'middle',
      class: 'dashboard-chart__axis-title',
    }),
  );

  const zeroX = xOf(0);
  const bars = createSvgElement('g', { class: 'dashboard-chart__bars' });
  options.items.forEach((item, index) => {
    const top = margin.top + index * rowHeight;
    const middle = top + rowHeight / 2;
    const row = createSvgElement('g', {
      class: item.highlighted ? 'dashboard-chart__bar dashboard-chart__bar--highlighted' : 'dashboard-chart__bar',
    });
    row.append(createText(item.label, { x: 4, y: middle + 4, class: 'dashboard-chart__bar-label' }));

    if (item.value === null) {
      row.append(
        createText(item.valueText, {
          x: zeroX + 6,
          y: middle + 4,
          class: 'dashboard-chart__bar-value dashboard-chart__bar-value--none',
        }),
      );
    } else {
      const end = xOf(item.value);
      const bar: Record<string, string | number> = {
        x: Math.min(zeroX, end),
        y: top + 4,
        width: Math.max(1, Math.abs(end - zeroX)),
        height: rowHeight - 8,
        fill: item.value < 0 ? barColors.negative : barColors.positive,
      };
      if (item.highlighted) Object.assign(bar, { stroke: '#1b1b1b', 'stroke-width': 2.5 });
      row.append(
        createSvgElement('rect', bar),
        createText(item.valueText, {
          x: Math.max(end, zeroX) + 6,
          y: middle + 4,
          class: 'dashboard-chart__bar-value',
        }),
      );
    }
    bars.append(row);
  });
  svg.append(bars);
  svg.append(
    createSvgElement('line', {
      x1: zeroX,
      x2: zeroX,
      y1: margin.top,
      y2: margin.top + plotHeight,
      class: 'dashboard-chart__zero-line',
    }),
  );
  return svg;
}
