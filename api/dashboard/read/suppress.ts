/**
 * Small-number suppression for the public summary. A count under 10
 * (including 0) and any figure resting on fewer than 10 items is hidden, and
 * so is its sample. Where a hidden figure could be worked out from a total
 * (one hidden cell in a row or column that is also summed), the next-smallest
 * figure is hidden too.
 */
import type { FigureValue } from '../contract';
import { publicSuppressionThreshold, type MetricDefinition } from '../metrics';

const hiddenSmall: FigureValue = { value: null, sample: 0, suppressed: true, suppressedReason: 'small' };
const hiddenComplement: FigureValue = { value: null, sample: 0, suppressed: true, suppressedReason: 'complementary' };

/** Whether a figure must be hidden from visitors. A figure with no data stays as it is. */
export function needsSuppression(definition: Pick<MetricDefinition, 'unit'>, figure: FigureValue): boolean {
  if (figure.value === null) return false;
  if (definition.unit === 'count' && figure.value < publicSuppressionThreshold) return true;
  return figure.sample < publicSuppressionThreshold;
}

/** Returns the figure as visitors see it: hidden, or shown with `suppressed: false`. */
export function suppressFigure(definition: Pick<MetricDefinition, 'unit'>, figure: FigureValue): FigureValue {
  return needsSuppression(definition, figure)
    ? hiddenSmall
    : { value: figure.value, sample: figure.sample, suppressed: false };
}

/**
 * Suppresses a group of figures that a total could add up, such as every
 * state's figure for one metric. When exactly one figure with data is hidden,
 * the next-smallest figure with data is hidden too, so the total minus the
 * shown figures cannot reveal it. Returns new figures in the input order.
 */
export function suppressGroup(
  definition: Pick<MetricDefinition, 'unit'>,
  figures: readonly FigureValue[],
): FigureValue[] {
  const result = figures.map((figure) => suppressFigure(definition, figure));
  const hiddenCount = figures.filter((figure) => needsSuppression(definition, figure)).length;
  if (hiddenCount !== 1) return result;

  let complement = -1;
  let smallest = Number.POSITIVE_INFINITY;
  for (const [index, figure] of figures.entries()) {
    if (figure.value === null || result[index]?.suppressed) continue;
    if (figure.value < smallest) {
      smallest = figure.value;
      complement = index;
    }
  }
  if (complement >= 0) result[complement] = hiddenComplement;
  return result;
}
