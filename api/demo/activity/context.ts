/**
 * Shared state of the demo activity's parts: the open transaction, the
 * seeded random generator, the twelve calendar quarters through the current
 * one with their growth and season, and the states weighted by how many
 * migratory children they serve.
 */
import type Database from 'better-sqlite3';
import type { AppDatabase } from '../../../db/client';
import { addQuarters, quarterEnd, quarterOf, quarterStart, type Quarter } from '../../dashboard/quarters';
import { SeededRandom } from '../../records/synthetic/random';
import { stateWeights } from '../../records/synthetic/state-weights';
import { sqliteOf } from '../../records/linking/link';
import { stateCodes } from '../../shared/states';
import type { DemoAccounts } from './accounts';

export type DemoTransaction = Parameters<Parameters<AppDatabase['transaction']>[0]>[0];

/** Quarters of activity, the current one included. */
export const demoQuarterCount = 12;

/** Fixed seed, so a given `now` always gives the same activity. */
const demoActivitySeed = 20_240_101;

export interface DemoQuarter {
  quarter: Quarter;
  /** 0 for the oldest quarter, 11 for the current one. */
  index: number;
  startMs: number;
  /** The end of the quarter, or `now` for the current quarter. */
  endMs: number;
  /** Share of the quarter that has passed: 1 for past quarters, less for the current one. */
  elapsed: number;
  /** Records-exchange use relative to the first quarter: about 1 at the start and 3 at the end. */
  growth: number;
  /** Seasonal factor: moves and records use peak in July to September, when families follow the harvests. */
  season: number;
}

export interface DemoState {
  code: string;
  /** Relative number of migratory children served (see state-weights.ts). */
  weight: number;
  /** Share of the national total, 0 to 1. */
  share: number;
  /** Speed at which the state took up the records exchange, 0.6 to 1.4, which bends its growth curve. */
  adoption: number;
}

export interface DemoContext {
  tx: DemoTransaction;
  /** The better-sqlite3 connection under `tx`, for the bulk inserts; it runs inside the same transaction. */
  sqlite: Database.Database;
  now: Date;
  random: SeededRandom;
  quarters: DemoQuarter[];
  /** States that serve migratory children, largest first. */
  states: DemoState[];
  accounts: DemoAccounts;
}

const seasonByQuarterNumber = [0.92, 1, 1.22, 1.05];

/** Builds the shared context; the random generator starts from the fixed seed every time. */
export function createDemoContext(
  tx: DemoTransaction,
  database: AppDatabase,
  now: Date,
  accounts: DemoAccounts,
): DemoContext {
  const random = new SeededRandom(demoActivitySeed);
  return {
    tx,
    sqlite: sqliteOf(database),
    now,
    random,
    quarters: buildQuarters(now),
    states: buildStates(random),
    accounts,
  };
}

function buildQuarters(now: Date): DemoQuarter[] {
  const current = quarterOf(now.toISOString());
  const quarters: DemoQuarter[] = [];
  for (let index = 0; index < demoQuarterCount; index += 1) {
    const quarter = addQuarters(current, index - (demoQuarterCount - 1));
    const startMs = Date.parse(quarterStart(quarter));
    const fullEndMs = Date.parse(quarterEnd(quarter));
    const endMs = Math.min(fullEndMs, now.getTime());
    const progress = index / (demoQuarterCount - 1);
    quarters.push({
      quarter,
      index,
      startMs,
      endMs,
      elapsed: Math.max(0, (endMs - startMs) / (fullEndMs - startMs)),
      growth: 1 + 2 * Math.pow(progress, 1.3),
      season: seasonByQuarterNumber[Number(quarter.slice(-1)) - 1] ?? 1,
    });
  }
  return quarters;
}

function buildStates(random: SeededRandom): DemoState[] {
  const served = stateCodes.filter((code) => (stateWeights[code] ?? 0) > 0);
  const total = served.reduce((sum, code) => sum + (stateWeights[code] ?? 0), 0);
  return served
    .map((code) => {
      const weight = stateWeights[code] ?? 0;
      return { code, weight, share: weight / total, adoption: 0.6 + 0.8 * random.next() };
    })
    .sort((a, b) => b.weight - a.weight);
}

/** Returns a state's growth in a quarter: the national curve, steeper for states that adopted faster. */
export function stateGrowth(quarter: DemoQuarter, state: DemoState): number {
  return 1 + (quarter.growth - 1) * state.adoption;
}

/** Picks a state with probability proportional to its weight. */
export function pickState(context: DemoContext, exclude?: string): DemoState {
  for (;;) {
    let target = context.random.next();
    let picked = context.states[context.states.length - 1]!;
    for (const state of context.states) {
      target -= state.share;
      if (target < 0) {
        picked = state;
        break;
      }
    }
    if (picked.code !== exclude) return picked;
  }
}

/** Picks one of the choices with probability proportional to its weight; the weights add up to 1. */
export function pickWeighted<T>(random: SeededRandom, choices: readonly (readonly [T, number])[]): T {
  let remaining = random.next();
  for (const [choice, weight] of choices) {
    remaining -= weight;
    if (remaining < 0) return choice;
  }
  return choices[choices.length - 1]![0];
}

/** Rounds an expected count to a whole number with about ±10% noise, never below zero. */
export function noisyCount(random: SeededRandom, expected: number): number {
  return Math.max(0, Math.round(expected * (0.9 + 0.2 * random.next())));
}

/**
 * Returns a random time within the quarter (up to `now` for the current
 * one), mostly on weekdays between 13:00 and 23:00 UTC, the working day
 * across the U.S. time zones.
 */
export function randomWorkTime(random: SeededRandom, quarter: DemoQuarter, latestMs = quarter.endMs): number {
  const endMs = Math.min(latestMs, quarter.endMs);
  const spanMs = endMs - quarter.startMs;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const day = new Date(quarter.startMs + random.next() * spanMs);
    const weekday = day.getUTCDay();
    if ((weekday === 0 || weekday === 6) && random.chance(0.85)) continue;
    day.setUTCHours(13 + random.integer(0, 9), random.integer(0, 59), random.integer(0, 59), random.integer(0, 999));
    if (day.getTime() >= quarter.startMs && day.getTime() < endMs) return day.getTime();
  }
  return quarter.startMs + random.next() * spanMs;
}

/** Returns a median-centred random duration: `median` times e to the power of a normal draw times `spread`. */
export function logNormal(random: SeededRandom, median: number, spread: number): number {
  const u = Math.max(random.next(), 1e-9);
  const v = random.next();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(normal * spread);
}

/** Returns 64 random hexadecimal digits, in the form of a SHA-256 digest. */
export function randomHex64(random: SeededRandom): string {
  let text = '';
  for (let index = 0; index < 8; index += 1) {
    text += Math.floor(random.next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  }
  return text;
}

/** Linear interpolation from `start` in the first quarter to `end` in the current one. */
export function trend(quarter: DemoQuarter, start: number, end: number): number {
  return start + ((end - start) * quarter.index) / (demoQuarterCount - 1);
}

export const isoOf = (ms: number): string => new Date(ms).toISOString();
