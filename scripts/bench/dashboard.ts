/**
 * `npm run bench -- dashboard`: speed of the national management dashboard's
 * views on a generated database, against computing the same figures from the
 * raw tables in the same run.
 *
 * ./dashboard-data.ts generates BENCH_DASHBOARD_STUDENTS students rows
 * (default 1,000,000) and BENCH_DASHBOARD_EVENTS usage events (default
 * 5,000,000) over the 12 quarters 2024-Q1 to 2026-Q4, with the other sources
 * in proportion. Usage events go through the `usage_events` insert one by
 * one, so the migration's trigger keeps `usage_counts` as in the product.
 *
 * Then it times refreshDashboard (cold with flows, then warm) and each view's
 * read function as an admin (p50 and p95). The baseline is computeFigures
 * with `usageSource: 'events'` (or computeFlows) for the same scopes and
 * quarters, which reads the raw events and source tables. One national view
 * is also timed through `app.request()` with a signed-in admin's session.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { Actor } from '../../api/auth/actor';
import { computeFigures, computeFlows } from '../../api/dashboard/compute/index';
import { addQuarters, quarterOf, quartersBetween, type Quarter } from '../../api/dashboard/quarters';
import { readComparison, readFigures, readFlows, readPublicSummary } from '../../api/dashboard/read/index';
import { refreshDashboard } from '../../api/dashboard/refresh';
import { createMailQueue } from '../../api/shared/mail-queue';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import {
  benchAdminPassword,
  generateDashboardDatabase,
  type DashboardDataOptions,
  type GeneratedSizes,
} from './dashboard-data';

/** The fixed "now" of the run, so the same seed gives the same data and the same current quarter. */
const benchNow = new Date('2026-12-15T12:00:00.000Z');
const firstQuarter: Quarter = '2024-Q1';
const currentQuarter = quarterOf(benchNow.toISOString());

const firstQadYear = 2023;

/** Reads the sizes from the environment when the benchmark runs, so other benchmarks never read them. */
function readDataOptions(): DashboardDataOptions {
  return {
    students: readSize('BENCH_DASHBOARD_STUDENTS', 1_000_000),
    events: readSize('BENCH_DASHBOARD_EVENTS', 5_000_000),
    seed: 20261205,
    now: benchNow,
    firstQuarter,
    firstQadYear,
  };
}

/** Reads a row count from the environment, or throws an error that names the variable and what it allows. */
function readSize(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const size = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(size) || size < 1000) {
    throw new Error(
      `${name}: "${value}" is not a valid row count. Use a whole number of at least 1000, such as 50000.`,
    );
  }
  return size;
}

/** Timed runs of each read function, after `warmUpRuns` untimed ones. */
const productRuns = 30;
const warmUpRuns = 3;
/** Timed runs of each baseline computation (which reads millions of rows), after one untimed run. */
const baselineRuns = 3;
/** The dashboard's aim for every view. */
const aimMs = 100;

export interface ViewTiming {
  view: string;
  product: { runs: number; p50Ms: number; p95Ms: number } | { error: string };
  baseline: { runs: number; p50Ms: number; what: string } | { error: string };
}

export interface DashboardBenchFigures {
  cores: number;
  node: string;
  generationSeconds: number;
  sizes: GeneratedSizes;
  databaseMiB: number;
  refresh: {
    cold: { seconds: number; figures: number; quarters: number; flowsRebuilt: boolean } | { error: string };
    warm: { seconds: number; figures: number; quarters: number; flowsRebuilt: boolean } | { error: string };
    /** The five-minute refresh: the current and the previous quarter only. */
    recent: { seconds: number; figures: number; quarters: number; flowsRebuilt: boolean } | { error: string };
  };
  views: ViewTiming[];
  request: { view: string; runs: number; p50Ms: number; p95Ms: number; status: number } | { skipped: string };
  maxRssMiB: number;
  /** The machine's 1-minute load average when the timings began, because other processes slow every view. */
  loadAverage: number;
}

export async function benchDashboard(
  log: (message: string) => void,
): Promise<{ figures: DashboardBenchFigures; table: string }> {
  const dataOptions = readDataOptions();
  const directory = mkdtempSync(path.join(os.tmpdir(), 'msix-bench-dashboard-'));
  const file = path.join(directory, 'dashboard.sqlite');
  const handle = openDatabase(file);
  try {
    applyMigrations(handle.db);
    const started = performance.now();
    const { people, sizes } = await generateDashboardDatabase(handle.sqlite, dataOptions, log);
    const generationSeconds = round((performance.now() - started) / 1000, 1);
    const databaseMiB = Math.round(statSync(file).size / 2 ** 20);
    log(`dashboard: generated the database (${databaseMiB} MiB) in ${generationSeconds} s`);

    const loadAverage = round(os.loadavg()[0] ?? 0, 1);
    const refresh = measureRefresh(handle, log);
    const views = await measureViews(handle, people.admin, log);
    const request = await measureRequest(handle, directory, people.admin.email, log);

    const figures: DashboardBenchFigures = {
      cores: os.cpus().length,
      node: process.version,
      generationSeconds,
      sizes,
      databaseMiB,
      refresh,
      views,
      request,
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAverage,
    };
    return { figures, table: renderTable(figures) };
  } finally {
    handle.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Measurement

function measureRefresh(handle: DatabaseHandle, log: (message: string) => void): DashboardBenchFigures['refresh'] {
  const run = (label: string, forceFlows: boolean, recentOnly = false) => {
    try {
      const started = performance.now();
      const result = refreshDashboard(handle.db, { now: benchNow, forceFlows, recentOnly });
      const seconds = round((performance.now() - started) / 1000, 2);
      log(
        `dashboard: refresh ${label} in ${seconds} s (${result.figures} figures, flows rebuilt: ${result.flowsRebuilt})`,
      );
      return { seconds, figures: result.figures, quarters: result.quarters, flowsRebuilt: result.flowsRebuilt };
    } catch (error) {
      const message = errorMessage(error);
      log(`dashboard: refresh ${label} failed: ${message}`);
      return { error: message };
    }
  };
  return {
    cold: run('cold, with flows', true),
    warm: run('warm, flows unchanged', false),
    recent: run('two latest quarters, flows unchanged', false, true),
  };
}

interface ViewPlan {
  view: string;
  /** The product: the route's read function, which reads only the rollups. */
  read: () => unknown;
  /** The functions and scopes the baseline computes, for the table. */
  baselineWhat: string;
  baseline: () => unknown;
}

function planViews(handle: DatabaseHandle, admin: Actor): ViewPlan[] {
  const db = handle.db;
  const lastFour = { from: addQuarters(currentQuarter, -3), to: currentQuarter };
  const threeYearsBefore = { from: addQuarters(lastFour.from, -8), to: addQuarters(lastFour.to, -8) };
  const allQuarters = { from: firstQuarter, to: currentQuarter };
  const raw = (period: { from: Quarter; to: Quarter }, scope?: 'US' | 'CA') =>
    computeFigures(db, { ...period, now: benchNow, usageSource: 'events', scope });
  const year = benchNow.getUTCFullYear();
  const lastYear = year - 1;
  const everyScope = 'US and every state';

  return [
    {
      view: `national figures, 4 quarters (${lastFour.from} to ${lastFour.to})`,
      read: () => readFigures(db, admin, { scope: 'US', ...lastFour }, benchNow),
      baselineWhat: 'computeFigures: US, 4 quarters',
      baseline: () => raw(lastFour, 'US'),
    },
    {
      view: `national figures, 12 quarters (${allQuarters.from} to ${allQuarters.to})`,
      read: () => readFigures(db, admin, { scope: 'US', ...allQuarters }, benchNow),
      baselineWhat: 'computeFigures: US, 12 quarters',
      baseline: () => raw(allQuarters, 'US'),
    },
    {
      view: "one state's figures, CA (the most children), 4 quarters",
      read: () => readFigures(db, admin, { scope: 'CA', ...lastFour }, benchNow),
      baselineWhat: 'computeFigures: CA, 4 quarters',
      baseline: () => raw(lastFour, 'CA'),
    },
    {
      view: `comparison: searches in ${lastFour.from} to ${lastFour.to} against ${threeYearsBefore.from} to ${threeYearsBefore.to}, states ranked`,
      read: () =>
        readComparison(
          db,
          admin,
          { metric: 'searches', ...lastFour, baselineFrom: threeYearsBefore.from, baselineTo: threeYearsBefore.to },
          benchNow,
        ),
      baselineWhat: `computeFigures: ${everyScope}, both 4-quarter periods`,
      baseline: () => [raw(threeYearsBefore), raw(lastFour)],
    },
    {
      view: `flows, ${year}`,
      read: () => readFlows(db, admin, { year: String(year) }, benchNow),
      baselineWhat: `computeFlows: ${year}`,
      baseline: () => computeFlows(db, { year }),
    },
    {
      view: `public summary, ${lastYear} (the latest year that has ended)`,
      read: () => readPublicSummary(db, { year: String(lastYear) }, benchNow),
      baselineWhat: `computeFigures: ${everyScope}, the 4 quarters of ${lastYear}; computeFlows: ${lastYear}`,
      baseline: () => [raw({ from: `${lastYear}-Q1`, to: `${lastYear}-Q4` }), computeFlows(db, { year: lastYear })],
    },
  ];
}

async function measureViews(
  handle: DatabaseHandle,
  admin: Actor,
  log: (message: string) => void,
): Promise<ViewTiming[]> {
  const timings: ViewTiming[] = [];
  for (const plan of planViews(handle, admin)) {
    let product: ViewTiming['product'];
    try {
      product = { runs: productRuns, ...(await timeRuns(productRuns, plan.read)) };
    } catch (error) {
      product = { error: errorMessage(error) };
    }
    let baseline: ViewTiming['baseline'];
    try {
      const times = await timeRuns(baselineRuns, plan.baseline, 1);
      baseline = { runs: baselineRuns, p50Ms: times.p50Ms, what: plan.baselineWhat };
    } catch (error) {
      baseline = { error: errorMessage(error) };
    }
    log(
      `dashboard: ${plan.view}: product ${'error' in product ? `failed (${product.error})` : `p50 ${product.p50Ms} ms, p95 ${product.p95Ms} ms`}; ` +
        `baseline ${'error' in baseline ? `failed (${baseline.error})` : `p50 ${baseline.p50Ms} ms`}`,
    );
    timings.push({ view: plan.view, product, baseline });
  }
  return timings;
}

async function measureRequest(
  handle: DatabaseHandle,
  directory: string,
  adminEmail: string,
  log: (message: string) => void,
): Promise<DashboardBenchFigures['request']> {
  const config = {
    siteUrl: 'http://localhost:4321',
    mailFrom: 'MSIX Assist <no-reply@msix-assist.localhost>',
    mailboxDirectory: path.join(directory, 'mailbox'),
    smtpUrl: undefined,
    mailRatePerSecond: 10,
    mailRatePerDay: 50_000,
    postalAddress: 'Office of Migrant Education, 400 Maryland Avenue SW, Washington, DC 20202',
    supportAddress: 'MSIX Assist Support <support@msix-assist.localhost>',
    attachmentsDirectory: path.join(directory, 'attachments'),
    uploadsDirectory: path.join(directory, 'uploads'),
    businessHours: 'Mon-Fri 08:00-17:00',
  };
  const app = createApp({
    database: handle,
    logger: pino({ level: 'silent' }),
    clock: () => benchNow,
    config,
    mail: createMailQueue(config),
    linkSecret: 'bench-link-secret-that-is-long-enough-0123456789',
    distDirectory: path.resolve('dist'),
    buildState: { upToDate: true },
  });

  // The app accepts a POST only from the request's own origin, and app.request() uses http://localhost.
  const origin = 'http://localhost';
  const signIn = await app.request('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ email: adminEmail, password: benchAdminPassword }),
  });
  const cookie = /(__Host-msix_session=[^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
  if (signIn.status !== 200 || !cookie) {
    const reason = `signing in as the generated admin failed with HTTP ${signIn.status}`;
    log(`dashboard: ${reason}`);
    return { skipped: reason };
  }

  const requestPath = `/api/dashboard/figures?scope=US&from=${addQuarters(currentQuarter, -3)}&to=${currentQuarter}`;
  let status = 0;
  const times = await timeRuns(productRuns, async () => {
    const response = await app.request(requestPath, { headers: { Cookie: cookie, Origin: origin } });
    status = response.status;
    await response.arrayBuffer();
  });
  const view = 'national figures, 4 quarters, GET /api/dashboard/figures through app.request()';
  log(`dashboard: ${view}: HTTP ${status}, p50 ${times.p50Ms} ms, p95 ${times.p95Ms} ms`);
  return { view, runs: productRuns, p50Ms: times.p50Ms, p95Ms: times.p95Ms, status };
}

/** Runs `work` `warmUps` times untimed, then `runs` times timed, and returns the p50 and p95 in milliseconds. */
async function timeRuns(
  runs: number,
  work: () => unknown,
  warmUps = warmUpRuns,
): Promise<{ p50Ms: number; p95Ms: number }> {
  for (let index = 0; index < warmUps; index += 1) await work();
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((left, right) => left - right);
  return { p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95) };
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1);
  return round(sorted[Math.max(0, index)]!);
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------
// Report

function renderTable(figures: DashboardBenchFigures): string {
  const { sizes } = figures;
  const lines: string[] = [];
  lines.push(
    `Generated in ${figures.generationSeconds} s into a temporary SQLite file (${figures.databaseMiB} MiB): ` +
      `${sizes.students} students rows in ${sizes.consolidatedRecords} consolidated records ` +
      `(${sizes.sharedRecords} shared by two states), ${sizes.qualifyingMoves} qualifying moves (${firstQadYear} to ${benchNow.getUTCFullYear()}), ` +
      `${sizes.usageEvents} usage events over ${quartersBetween(firstQuarter, currentQuarter).length} quarters (${firstQuarter} to ${currentQuarter}), ` +
      `inserted one by one so the trigger kept usage_counts (${sizes.usageCountRows} rows), ` +
      `${sizes.uploads} uploads with ${sizes.completenessRows} completeness rows, ${sizes.moveNotices} move notices, ` +
      `${sizes.nearMatches} near matches (${sizes.nearMatchDecisions} decided), ${sizes.tickets} tickets ` +
      `(${sizes.surveys} surveys), ${sizes.subscribers} subscribers, ${sizes.campaigns} campaigns with ` +
      `${sizes.campaignDeliveries} deliveries, ${sizes.registrations} webinar registrations, and ${sizes.plans} plans ` +
      `with ${sizes.milestones} milestones and ${sizes.milestoneUpdates} updates.`,
    '',
    `Refresh (refreshDashboard): cold, with flows: ${describeRefresh(figures.refresh.cold)}; warm, flows unchanged: ${describeRefresh(figures.refresh.warm)}; the five-minute refresh of the two latest quarters: ${describeRefresh(figures.refresh.recent)}.`,
    '',
    `Each view's read function runs as an admin, ${warmUpRuns} untimed runs and then ${productRuns} timed ones. ` +
      `The baseline computes the same view's figures from the raw events and tables (computeFigures with ` +
      `usageSource "events" for the same scopes and quarters, or computeFlows for the year), ${baselineRuns} timed runs ` +
      `after one untimed run. "Under ${aimMs} ms" compares the product's p95 with the aim. ` +
      `Run on ${figures.cores} cores with Node ${figures.node}, with a 1-minute load average of ${figures.loadAverage} ` +
      `when the timings began. The process's peak RSS was ${figures.maxRssMiB} MiB.`,
    '',
    `| view | product p50 ms | product p95 ms | baseline p50 ms | baseline computes | speed-up at p50 | under ${aimMs} ms |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const view of figures.views) lines.push(renderViewRow(view));
  if (figures.views.length === 0) lines.push('| no view measured | n/a | n/a | n/a | n/a | n/a | n/a |');

  const request = figures.request;
  if ('skipped' in request) {
    lines.push('', `The request through app.request() was skipped: ${request.skipped}.`);
  } else {
    let verdict = request.p95Ms < aimMs ? 'yes' : 'no';
    if (request.status !== 200) verdict = `no, HTTP ${request.status}`;
    lines.push(
      `| ${request.view} | ${request.p50Ms} | ${request.p95Ms} | as the first row | n/a | n/a | ${verdict} |`,
      '',
      'The last row goes through the whole Hono app without the network: the session cookie, the access check, the ' +
        'read function and the JSON response.',
    );
  }
  return lines.join('\n');
}

function renderViewRow(view: ViewTiming): string {
  const cells = [view.view];
  if ('error' in view.product) cells.push(`failed: ${view.product.error}`, 'n/a');
  else cells.push(String(view.product.p50Ms), String(view.product.p95Ms));
  if ('error' in view.baseline) cells.push(`failed: ${view.baseline.error}`, 'n/a');
  else cells.push(String(view.baseline.p50Ms), view.baseline.what);

  let speedUp = 'n/a';
  let underAim = 'n/a';
  if (!('error' in view.product)) {
    underAim = view.product.p95Ms < aimMs ? 'yes' : 'no';
    if (!('error' in view.baseline) && view.product.p50Ms > 0) {
      speedUp = `${Math.round(view.baseline.p50Ms / view.product.p50Ms)}×`;
    }
  }
  cells.push(speedUp, underAim);
  return `| ${cells.join(' | ')} |`;
}

function describeRefresh(result: DashboardBenchFigures['refresh']['cold']): string {
  if ('error' in result) return `failed (${result.error})`;
  return `${result.seconds} s for ${result.figures} figures over ${result.quarters} quarters, flows rebuilt: ${result.flowsRebuilt ? 'yes' : 'no'}`;
}
