/**
 * The dashboard's arithmetic: quarters combined into a period, the change
 * against a baseline, and the ranking of states by that change.
 */
import type { FigureValue } from '../contract';
import type { MetricDefinition } from '../metrics';

const noData: FigureValue = { value: null, sample: 0 };

/**
 * Combines a metric's quarters (oldest first) into one figure for the period:
 * - sum: the values added up, and their samples too;
 * - weighted: the mean of the values weighted by each quarter's sample,
 *   rounded to two decimals (quarters with no value or a sample of 0 carry no weight);
 * - last: the last quarter that has a value.
 * With no value in any quarter the period has no data.
 */
export function combineQuarters(
  definition: Pick<MetricDefinition, 'combine'>,
  values: readonly FigureValue[],
): FigureValue {
  const present = values.filter((figure): figure is { value: number; sample: number } => figure.value !== null);
  if (present.length === 0) return noData;

  switch (definition.combine) {
    case 'sum':
      return {
        value: present.reduce((total, figure) => total + figure.value, 0),
        sample: present.reduce((total, figure) => total + figure.sample, 0),
      };
    case 'weighted': {
      const weighted = present.filter((figure) => figure.sample > 0);
      const sample = weighted.reduce((total, figure) => total + figure.sample, 0);
      if (sample === 0) return noData;
      const mean = weighted.reduce((total, figure) => total + figure.value * figure.sample, 0) / sample;
      return { value: roundTo(mean, 2), sample };
    }
    case 'last': {
      const last = present[present.length - 1];
      return last ? { value: last.value, sample: last.sample } : noData;
    }
  }
}

/**
 * Percentage change from the baseline to the period, rounded to one decimal;
 * null when either has no value or the baseline is 0.
 */
export function percentChange(period: FigureValue, baseline: FigureValue): number | null {
  if (period.value === null || baseline.value === null || baseline.value === 0) return null;
  return roundTo(((period.value - baseline.value) / baseline.value) * 100, 1);
}

export interface Rankable {
  /** The figure ranked: the change when one is ranked by change, otherwise the value. */
  key: number | null;
}

/**
 * Ranks items by `key`, best first by the metric's `better` direction. Equal
 * keys share a rank and the next rank skips (1, 2, 2, 4). Items without a key
 * get rank null. Returns the ranks in the order of `items`.
 */
export function rankBy(items: readonly Rankable[], better: MetricDefinition['better']): (number | null)[] {
  const keyed = items
    .map((item, index) => ({ key: item.key, index }))
    .filter((entry): entry is { key: number; index: number } => entry.key !== null);
  keyed.sort((a, b) => (better === 'higher' ? b.key - a.key : a.key - b.key));

  const ranks: (number | null)[] = items.map(() => null);
  keyed.forEach((entry, position) => {
    const previous = keyed[position - 1];
    const previousRank = previous ? ranks[previous.index] : null;
    ranks[entry.index] = previous && previous.key === entry.key && previousRank ? previousRank : position + 1;
  });
  return ranks;
}

/**
 * Rounds half away from zero, so a rise and a fall of the same size round
 * alike. The small allowance absorbs binary error such as 27.05 * 10 = 270.4999….
 */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
  return rounded === 0 ? 0 : rounded;
}
