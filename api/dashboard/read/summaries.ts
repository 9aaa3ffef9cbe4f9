/**
 * One plain sentence per chart or table, written from the numbers the
 * response carries (after suppression), for the pages' text summaries and
 * screen readers.
 */
import { formatFigure, formatNumber } from '../format';
import type { FigureValue } from '../contract';
import type { MetricDefinition, MetricUnit } from '../metrics';
import { describeQuarter, type Quarter } from '../quarters';
import { percentChange, roundTo } from './combine';

/** "Searches nationwide" or "Searches in Texas": the subject of a sentence. */
export function subjectOf(definition: MetricDefinition, placeName: string | null): string {
  return placeName ? `${definition.label} in ${placeName}` : `${definition.label} nationwide`;
}

/**
 * "Jan–Mar 2026" for one quarter, "Jan–Dec 2026" within a year, "Oct 2025–Sep 2026"
 * across years. A period that ends with the running quarter gets " (so far)".
 */
export function describePeriod(from: Quarter, to: Quarter, currentQuarter?: Quarter): string {
  if (from === to) return describeQuarter(from, currentQuarter);
  const [firstMonth, , firstYear] = splitQuarterName(from);
  const [, lastMonth, lastYear] = splitQuarterName(to);
  const name =
    firstYear === lastYear
      ? `${firstMonth}–${lastMonth} ${lastYear}`
      : `${firstMonth} ${firstYear}–${lastMonth} ${lastYear}`;
  return to === currentQuarter ? `${name} (so far)` : name;
}

/**
 * Describes a series of quarters from its first to its last shown figure:
 * "Searches in Texas rose from 1,204 in Jan–Mar 2026 to 1,530 in Oct–Dec 2026 (so far), up 27.1%."
 * `currentQuarter` is the running quarter, which the sentence marks "(so far)".
 */
export function describeSeries(
  definition: MetricDefinition,
  placeName: string | null,
  quarters: readonly Quarter[],
  values: readonly FigureValue[],
  currentQuarter: Quarter,
): string {
  const subject = subjectOf(definition, placeName);
  const pointsWithFigures = quarters
    .map((quarter, index) => ({
      name: describeQuarter(quarter, currentQuarter),
      figure: values[index] ?? { value: null, sample: 0 },
    }))
    .filter((point) => point.figure.value !== null || point.figure.suppressed);
  const first = pointsWithFigures[0];
  const last = pointsWithFigures[pointsWithFigures.length - 1];
  const firstQuarter = quarters[0];
  const lastQuarter = quarters[quarters.length - 1];
  const periodName =
    firstQuarter && lastQuarter ? describePeriod(firstQuarter, lastQuarter, currentQuarter) : 'the period';

  if (!first || !last) return `${subject}: no data for ${periodName}.`;
  if (first === last) {
    const alone = quarters.length > 1 ? `, the only quarter with data in ${periodName}` : '';
    return `${subject}: ${formatFigure(first.figure, definition.unit)} in ${first.name}${alone}.`;
  }
  return `${subject}${describeMovement(definition, first, last)}.`;
}

/**
 * Compares a period with its baseline: "Searches nationwide rose from 1,204 in
 * Jan–Dec 2025 to 1,530 in Jan–Dec 2026, up 27.1%."
 */
export function describeChange(
  definition: MetricDefinition,
  placeName: string | null,
  baseline: { from: Quarter; to: Quarter; figure: FigureValue },
  period: { from: Quarter; to: Quarter; figure: FigureValue },
  currentQuarter: Quarter,
): string {
  const subject = subjectOf(definition, placeName);
  const baselineName = describePeriod(baseline.from, baseline.to, currentQuarter);
  const periodName = describePeriod(period.from, period.to, currentQuarter);

  if (period.figure.value === null && baseline.figure.value === null) {
    return `${subject}: no data for ${periodName} or the baseline ${baselineName}.`;
  }
  if (baseline.figure.value === null) {
    return `${subject}: ${formatFigure(period.figure, definition.unit)} in ${periodName}, with no baseline figure for ${baselineName}.`;
  }
  if (period.figure.value === null) {
    return `${subject}: no data for ${periodName}; the baseline was ${formatFigure(baseline.figure, definition.unit)} in ${baselineName}.`;
  }
  const movement = describeMovement(
    definition,
    { name: baselineName, figure: baseline.figure },
    { name: periodName, figure: period.figure },
  );
  return `${subject}${movement}.`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd. */
export function ordinal(rank: number): string {
  const lastTwo = rank % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${rank}th`;
  const suffix = { 1: 'st', 2: 'nd', 3: 'rd' }[rank % 10] ?? 'th';
  return `${rank}${suffix}`;
}

/** "1 state" or "41 states". */
export function countStates(count: number): string {
  return count === 1 ? '1 state' : `${formatNumber(count, 'count')} states`;
}

/** "1 child" or "1,204 children". */
export function countChildren(count: number): string {
  return count === 1 ? '1 child' : `${formatNumber(count, 'count')} children`;
}

interface Point {
  /** The reader's name of a quarter or period, such as "Jan–Mar 2026". */
  name: string;
  figure: FigureValue;
}

/**
 * Builds the predicate after the subject, with its leading space or colon:
 * " rose from 1,204 in … to 1,530 in …, up 27.1%". The direction and the change
 * come from the numbers as the sentence shows them, so a reader can check them.
 */
function describeMovement(definition: MetricDefinition, first: Point, last: Point): string {
  const firstName = first.name;
  const lastName = last.name;
  const firstText = formatFigure(first.figure, definition.unit);
  const lastText = formatFigure(last.figure, definition.unit);

  if (first.figure.value === null || last.figure.value === null) {
    // One end is suppressed, so the sentence must not say which way it moved.
    return `: ${firstText} in ${firstName} and ${lastText} in ${lastName}`;
  }
  const decimals = definition.unit === 'count' ? 0 : 1;
  const firstShown = roundTo(first.figure.value, decimals);
  const lastShown = roundTo(last.figure.value, decimals);
  if (firstShown === lastShown) return ` stayed at ${lastText} from ${firstName} to ${lastName}`;

  const direction = lastShown > firstShown ? 'rose' : 'fell';
  const difference = describeDifference(definition.unit, firstShown, lastShown);
  const change = difference === null ? '' : `, ${direction === 'rose' ? 'up' : 'down'} ${difference}`;
  return ` ${direction} from ${firstText} in ${firstName} to ${lastText} in ${lastName}${change}`;
}

/**
 * Describes the size of a change in the metric's own terms: percentage points for a
 * percent, points for a score or rating, and a percentage for counts and
 * durations. Null for a percentage from 0, which has none.
 */
function describeDifference(unit: MetricUnit, first: number, last: number): string | null {
  const size = Math.abs(roundTo(last - first, 1));
  switch (unit) {
    case 'percent':
      return `${formatNumber(size, 'score')} percentage points`;
    case 'score':
    case 'rating':
      return `${formatNumber(size, 'score')} points`;
    case 'count':
    case 'hours':
    case 'days': {
      const changePercent = percentChange({ value: last, sample: 0 }, { value: first, sample: 0 });
      return changePercent === null ? null : formatNumber(Math.abs(changePercent), 'percent');
    }
  }
}

function splitQuarterName(quarter: Quarter): [string, string, string] {
  const match = /^(\S+)–(\S+) (\d{4})$/.exec(describeQuarter(quarter));
  if (!match) throw new Error(`Unexpected quarter name for ${quarter}`);
  return [match[1] ?? '', match[2] ?? '', match[3] ?? ''];
}
