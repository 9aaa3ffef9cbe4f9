/**
 * Records-exchange use: searches, consolidated records viewed and printed,
 * about 50,000 events over the twelve quarters. Use roughly triples from the
 * first year to the third, faster in states that adopted early, with a peak
 * in July to September. The AFTER INSERT trigger on usage_events keeps
 * usage_counts in step.
 */
import type { UsageEventKind } from '../../../db/schema';
import {
  isoOf,
  noisyCount,
  pickWeighted,
  randomWorkTime,
  stateGrowth,
  type DemoContext,
  type DemoQuarter,
} from './context';

/** National events in a quarter at the start of the three years, before the season and the growth. */
const baseEventsPerQuarter = 1_900;
/** Share of the events by national staff (agents and admins), who act for no state. */
const nationalStaffShare = 0.06;

const eventMix: readonly [UsageEventKind, number][] = [
  ['records.search', 0.58],
  ['records.view', 0.34],
  ['records.print', 0.08],
];

/** Inserts the usage events and returns how many. */
export function seedUsageEvents(context: DemoContext): number {
  const insert = context.sqlite.prepare(
    'INSERT INTO usage_events (occurred_at, event, state, role) VALUES (?, ?, ?, ?)',
  );
  let total = 0;
  for (const quarter of context.quarters) {
    const events = eventsOfQuarter(context, quarter);
    events.sort((a, b) => a.at - b.at);
    for (const event of events) insert.run(isoOf(event.at), event.kind, event.state, event.role);
    total += events.length;
  }
  return total;
}

interface PlannedEvent {
  at: number;
  kind: UsageEventKind;
  state: string | null;
  role: string;
}

function eventsOfQuarter(context: DemoContext, quarter: DemoQuarter): PlannedEvent[] {
  const { random } = context;
  const scale = baseEventsPerQuarter * quarter.season * quarter.elapsed;
  const events: PlannedEvent[] = [];

  const add = (count: number, state: string | null, roles: readonly [string, number][]) => {
    for (let index = 0; index < count; index += 1) {
      events.push({
        at: randomWorkTime(random, quarter),
        kind: pickWeighted(random, eventMix),
        state,
        role: pickWeighted(random, roles),
      });
    }
  };

  for (const state of context.states) {
    const expected = scale * (1 - nationalStaffShare) * state.share * stateGrowth(quarter, state);
    add(noisyCount(random, expected), state.code, [
      ['state_user', 0.8],
      ['state_coordinator', 0.2],
    ]);
  }
  add(noisyCount(random, scale * nationalStaffShare * quarter.growth), null, [
    ['agent', 0.75],
    ['admin', 0.25],
  ]);
  return events;
}
