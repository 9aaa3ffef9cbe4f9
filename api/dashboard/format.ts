/**
 * The wording of figures, shared by the API's summary sentences and every
 * dashboard page, so cards, tables, charts and summaries write a number the
 * same way.
 */
import type { FigureValue } from './contract';
import type { MetricUnit } from './metrics';

const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Shown for a small figure hidden in the public summary. */
export const suppressedText = 'fewer than 10';
/** Shown for a figure hidden only so that a small one beside it cannot be worked out from a total. */
export const withheldText = 'withheld';
/** Shown where there is no figure, such as a median of no tickets. */
export const noDataText = 'no data';

/** Writes a number in a metric's unit, without the unit's name: "1,204", "87.5%", "3.2". */
export function formatNumber(value: number, unit: MetricUnit): string {
  switch (unit) {
    case 'count':
      return wholeNumber.format(value);
    case 'percent':
      return `${oneDecimal.format(value)}%`;
    case 'score':
    case 'hours':
    case 'days':
    case 'rating':
      return oneDecimal.format(value);
  }
}

/** Writes a figure for a table cell or card: "1,204", "18.0 hours", "fewer than 10", "withheld", "no data". */
export function formatFigure(figure: FigureValue, unit: MetricUnit): string {
  if (figure.suppressed) return figure.suppressedReason === 'complementary' ? withheldText : suppressedText;
  if (figure.value === null) return noDataText;
  const number = formatNumber(figure.value, unit);
  if (unit === 'hours') return `${number} ${figure.value === 1 ? 'hour' : 'hours'}`;
  if (unit === 'days') return `${number} ${figure.value === 1 ? 'day' : 'days'}`;
  if (unit === 'rating') return `${number} of 5`;
  return number;
}

/** Writes a percentage change: "+12.5%", "−3.0%", "no change", or "not comparable" without a baseline. */
export function formatChange(changePercent: number | null): string {
  if (changePercent === null) return 'not comparable';
  if (changePercent === 0) return 'no change';
  const sign = changePercent > 0 ? '+' : '−';
  return `${sign}${oneDecimal.format(Math.abs(changePercent))}%`;
}
