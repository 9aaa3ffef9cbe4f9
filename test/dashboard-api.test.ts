/**
 * The dashboard's read API: period arithmetic, growth and ranking,
 * suppression in the public summary, access by role, query errors and CSV
 * exports. Fixtures go straight into the rollup tables, because the views
 * read nothing else.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type {
  CompareResponse,
  FigureValue,
  FiguresResponse,
  FlowsResponse,
  PublicSummaryResponse,
} from '../api/dashboard/contract';
import { metricIds, metrics, type MetricId } from '../api/dashboard/metrics';
import { suppressFigure } from '../api/dashboard/read/suppress';
import { parseCsv } from '../api/shared/csv';
import { appMeta, dashboardFigures, dashboardFlows } from '../db/schema';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createFakeClock } from './helpers/clock';
import { useServer } from './helpers/server';

// 2026-Q4 is the current quarter throughout.
const clock = createFakeClock(new Date('2026-12-04T15:00:00.000Z'));
const server = useServer({ clock });
const cookies: Record<'admin' | 'agent' | 'texasCoordinator' | 'ohioCoordinator' | 'texasUser', string> = {
  admin: '',
  agent: '',
  texasCoordinator: '',
  ohioCoordinator: '',
  texasUser: '',
};

beforeAll(async () => {
  const { app, database } = server.get().testApp;
  const db = database.db;
  const now = clock();
  cookies.admin = await signInAs(app, await createPerson(db, { role: 'admin', now }));
  cookies.agent = await signInAs(app, await createPerson(db, { role: 'agent', now }));
  cookies.texasCoordinator = await signInAs(
    app,
    await createPerson(db, { role: 'state_coordinator', state: 'TX', now }),
  );
  cookies.ohioCoordinator = await signInAs(
    app,
    await createPerson(db, { role: 'state_coordinator', state: 'OH', now }),
  );
  cookies.texasUser = await signInAs(app, await createPerson(db, { role: 'state_user', state: 'TX', now }));
});

interface FigureFixture {
  metric: MetricId;
  state: string;
  quarter: string;
  value: number | null;
  sample?: number;
}

interface FlowFixture {
  year: number;
  fromState: string;
  toState: string;
  children: number;
}

/** Replaces every rollup row with the given fixture. A count's sample defaults to the count. */
function replaceRollups(figures: FigureFixture[], flows: FlowFixture[] = []): void {
  const db = server.get().testApp.database.db;
  db.delete(dashboardFigures).run();
  db.delete(dashboardFlows).run();
  db.delete(appMeta).run();
  if (figures.length > 0) {
    db.insert(dashboardFigures)
      .values(figures.map((row) => ({ ...row, sample: row.sample ?? row.value ?? 0 })))
      .run();
  }
  if (flows.length > 0) db.insert(dashboardFlows).values(flows).run();
}

/** Figures of one metric and state by quarter: `series('uploads', 'TX', { '2026-Q1': 4 })`. */
function series(
  metric: MetricId,
  state: string,
  values: Record<string, number | null | [number | null, number]>,
): FigureFixture[] {
  return Object.entries(values).map(([quarter, entry]) =>
    Array.isArray(entry)
      ? { metric, state, quarter, value: entry[0], sample: entry[1] }
      : { metric, state, quarter, value: entry },
  );
}

async function getJson<T>(path: string, cookie?: string): Promise<{ status: number; body: T }> {
  const response = await sendJson(server.get().testApp.app, 'GET', path, { cookie });
  return { status: response.status, body: (await response.json()) as T };
}

async function getCsv(path: string, cookie?: string): Promise<{ status: number; text: string; disposition: string }> {
  const response = await sendJson(server.get().testApp.app, 'GET', path, { cookie });
  return {
    status: response.status,
    text: await response.text(),
    disposition: response.headers.get('content-disposition') ?? '',
  };
}

function metricOf(view: FiguresResponse, metric: MetricId) {
  const found = view.metrics.find((entry) => entry.metric === metric);
  if (!found) throw new Error(`metric ${metric} missing from the response`);
  return found;
}

interface ErrorBody {
  error: { code: string; message: string };
}

describe('period combining', () => {
  let view: FiguresResponse;

  beforeAll(async () => {
    replaceRollups([
      ...series('uploads', 'US', { '2024-Q3': 1 }),
      ...series('uploads', 'TX', { '2026-Q1': 100, '2026-Q2': 0, '2026-Q3': 50, '2026-Q4': 25 }),
      ...series('satisfaction', 'TX', {
        '2026-Q1': [4, 10],
        '2026-Q2': [5, 30],
        '2026-Q3': [null, 0],
        '2026-Q4': [3, 10],
      }),
      ...series('first_response_hours', 'TX', { '2026-Q1': [10, 1], '2026-Q2': [20, 2] }),
      ...series('sla_compliance', 'TX', { '2026-Q1': [73.24, 50], '2026-Q3': [89.26, 40] }),
      ...series('move_notice_response_hours', 'TX', { '2026-Q1': [2.84, 12], '2026-Q2': [2.04, 12] }),
      ...series('quality_score', 'TX', { '2026-Q1': [81.26, 30], '2026-Q2': [81.34, 30] }),
      ...series('mde_completeness', 'TX', { '2026-Q1': [85.86666666666667, 15] }),
      ...series('subscribers', 'TX', { '2026-Q1': 120, '2026-Q2': 130, '2026-Q3': 140 }),
      ...series('uploads', 'OH', { '2026-Q1': 999 }),
    ]);
    server
      .get()
      .testApp.database.db.insert(appMeta)
      .values({ key: 'dashboard_refreshed_at', value: '2026-12-04T14:55:00.000Z', updatedAt: clock().toISOString() })
      .run();
    const response = await getJson<FiguresResponse>(
      '/api/dashboard/figures?scope=TX&from=2026-Q1&to=2026-Q4',
      cookies.admin,
    );
    expect(response.status).toBe(200);
    view = response.body;
  });

  test('sum adds the quarters and their samples', () => {
    const uploads = metricOf(view, 'uploads');
    expect(uploads.values.map((figure) => figure.value)).toEqual([100, 0, 50, 25]);
    expect(uploads.period).toEqual({ value: 175, sample: 175 });
  });

  test('weighted mean uses each quarter’s sample', () => {
    // (4 × 10 + 5 × 30 + 3 × 10) / 50 = 220 / 50 = 4.4; the quarter without a value carries no weight.
    expect(metricOf(view, 'satisfaction').period).toEqual({ value: 4.4, sample: 50 });
  });

  test('weighted mean rounds to two decimals', () => {
    // (10 × 1 + 20 × 2) / 3 = 16.666…
    expect(metricOf(view, 'first_response_hours').period).toEqual({ value: 16.67, sample: 3 });
  });

  test('last takes the last quarter with a value', () => {
    const subscribers = metricOf(view, 'subscribers');
    expect(subscribers.values[3]).toEqual({ value: null, sample: 0 });
    expect(subscribers.period).toEqual({ value: 140, sample: 140 });
  });

  test('metric without rows has no data', () => {
    const behind = metricOf(view, 'milestones_behind');
    expect(behind.values).toEqual([0, 1, 2, 3].map(() => ({ value: null, sample: 0 })));
    expect(behind.period).toEqual({ value: null, sample: 0 });
    expect(behind.summary).toBe('Milestones at risk or off track in Texas: no data for Jan–Dec 2026 (so far).');
  });

  test('response describes scope, quarters and periods', () => {
    expect(view.scope).toBe('TX');
    expect(view.scopeName).toBe('Texas');
    expect(view.quarters).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(view.metrics.map((entry) => entry.metric)).toEqual([...metricIds]);
    expect(view.refreshedAt).toBe('2026-12-04T14:55:00.000Z');
    expect(view.periods).toEqual({
      firstQuarter: '2024-Q3',
      currentQuarter: '2026-Q4',
      defaultFrom: '2025-Q4',
      defaultTo: '2026-Q3',
    });
    expect(view.viewer.reach).toBe('national');
    expect(view.viewer.scopes).toHaveLength(53);
  });

  test('summaries describe first and last figures', () => {
    expect(metricOf(view, 'uploads').summary).toBe(
      'Uploads in Texas fell from 100 in Jan–Mar 2026 to 25 in Oct–Dec 2026 (so far), down 75.0%.',
    );
    expect(metricOf(view, 'subscribers').summary).toBe(
      'Newsletter subscribers in Texas rose from 120 in Jan–Mar 2026 to 140 in Jul–Sep 2026, up 16.7%.',
    );
  });

  test('summaries mark the running quarter so far', () => {
    const running = view.metrics.filter((entry) => entry.summary.includes('Oct–Dec 2026'));
    expect(running.length).toBeGreaterThan(0);
    for (const entry of running) {
      expect(entry.summary, entry.metric).toContain('Oct–Dec 2026 (so far)');
    }
    expect(metricOf(view, 'subscribers').summary).not.toContain('so far');
  });

  test('percent changes read as percentage points', () => {
    // Shown as 73.2% and 89.3%: 89.3 − 73.2 = 16.1 points, not a 22.0% rise.
    expect(metricOf(view, 'sla_compliance').summary).toBe(
      'SLA compliance in Texas rose from 73.2% in Jan–Mar 2026 to 89.3% in Jul–Sep 2026, up 16.1 percentage points.',
    );
  });

  test('ratings and scores change by points', () => {
    expect(metricOf(view, 'satisfaction').summary).toBe(
      'Satisfaction in Texas fell from 4.0 of 5 in Jan–Mar 2026 to 3.0 of 5 in Oct–Dec 2026 (so far), down 1.0 points.',
    );
    // 81.26 and 81.34 both show as 81.3, so the sentence must not call it a rise.
    expect(metricOf(view, 'quality_score').summary).toBe(
      'Data-quality score in Texas stayed at 81.3 from Jan–Mar 2026 to Apr–Jun 2026.',
    );
  });

  test('duration change uses the shown numbers', () => {
    // Shown as 2.8 and 2.0 hours: (2.0 − 2.8) / 2.8 = −28.6%; the stored 2.84 and 2.04 would give −28.2%.
    expect(metricOf(view, 'move_notice_response_hours').summary).toBe(
      'Move notice response time in Texas fell from 2.8 hours in Jan–Mar 2026 to 2.0 hours in Apr–Jun 2026, down 28.6%.',
    );
  });

  test('defaults to the nation and the last four whole quarters', async () => {
    const { status, body } = await getJson<FiguresResponse>('/api/dashboard/figures', cookies.agent);
    expect(status).toBe(200);
    expect(body.scope).toBe('US');
    expect(body.scopeName).toBe('National');
    expect(body.from).toBe('2025-Q4');
    expect(body.to).toBe('2026-Q3');
    // The nation's only upload is in 2024-Q3, before the default period.
    expect(metricOf(body, 'uploads').summary).toBe('Uploads nationwide: no data for Oct 2025–Sep 2026.');
  });

  test('default period ends with the quarter before the current one', async () => {
    const { body } = await getJson<FiguresResponse>('/api/dashboard/figures?scope=TX', cookies.admin);
    expect(body.periods.currentQuarter).toBe('2026-Q4');
    expect(body.quarters).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    // The running quarter's 25 uploads are left out: 100 + 0 + 50.
    const uploads = metricOf(body, 'uploads');
    expect(uploads.values.map((figure) => figure.value)).toEqual([null, 100, 0, 50]);
    expect(uploads.period).toEqual({ value: 150, sample: 150 });

    // On both sides of a new year: the last moment of 2026-Q4 and the first of 2027-Q1.
    try {
      clock.set(new Date('2026-12-31T23:59:59.999Z'));
      // Public routes only: a signed-in session would not survive the jump of the clock.
      const before = await getJson<PublicSummaryResponse>('/api/dashboard/public');
      expect([before.body.periods.defaultFrom, before.body.periods.defaultTo]).toEqual(['2025-Q4', '2026-Q3']);
      expect([before.body.year, before.body.from, before.body.to]).toEqual([2025, '2025-Q1', '2025-Q4']);
      clock.set(new Date('2027-01-01T00:00:00.000Z'));
      const after = await getJson<PublicSummaryResponse>('/api/dashboard/public');
      expect(after.body.periods.currentQuarter).toBe('2027-Q1');
      expect([after.body.periods.defaultFrom, after.body.periods.defaultTo]).toEqual(['2026-Q1', '2026-Q4']);
      expect([after.body.year, after.body.from, after.body.to]).toEqual([2026, '2026-Q1', '2026-Q4']);
    } finally {
      clock.set(new Date('2026-12-04T15:00:00.000Z'));
    }
  });

  test('lone from in the current quarter ends there', async () => {
    const { status, body } = await getJson<FiguresResponse>(
      '/api/dashboard/figures?scope=TX&from=2026-Q4',
      cookies.admin,
    );
    expect(status).toBe(200);
    expect(body.quarters).toEqual(['2026-Q4']);
    expect(metricOf(body, 'uploads').period).toEqual({ value: 25, sample: 25 });
  });

  test('single quarter and lower-case scope', async () => {
    const { body } = await getJson<FiguresResponse>(
      '/api/dashboard/figures?scope=tx&from=2026-Q3&to=2026-Q3',
      cookies.admin,
    );
    expect(body.scope).toBe('TX');
    expect(metricOf(body, 'uploads').summary).toBe('Uploads in Texas: 50 in Jul–Sep 2026.');
  });
});

describe('growth and ranking', () => {
  beforeAll(() => {
    const searchesByState: Array<[string, number, number]> = [
      // state, baseline quarters 2026-Q1 and Q2 (each), period quarters 2026-Q3 and Q4 (each)
      ['US', 500, 625],
      ['TX', 50, 75],
      ['FL', 100, 150],
      ['CA', 200, 210],
      ['OH', 50, 45],
      ['NY', 0, 15],
      // Exactly 20 in the baseline (10 + 10): ranked.
      ['WA', 10, 11],
      // +200%, but 4 searches in the baseline and 12 in the period: too few to rank.
      ['TN', 2, 6],
      // +200% with 30 in the period, but 10 in the baseline: too few to rank.
      ['NM', 5, 15],
    ];
    replaceRollups([
      ...searchesByState.flatMap(([state, before, after]) =>
        series('searches', state, { '2026-Q1': before, '2026-Q2': before, '2026-Q3': after, '2026-Q4': after }),
      ),
      ...series('searches', 'TX', { '2025-Q1': 10, '2025-Q2': 30 }),
      ...series('tickets_opened', 'TX', { '2026-Q2': 40, '2026-Q4': 20 }),
      ...series('tickets_opened', 'OH', { '2026-Q2': 40, '2026-Q4': 80 }),
      ...series('tickets_opened', 'CA', { '2026-Q2': 40, '2026-Q4': 20 }),
      ...series('satisfaction', 'US', { '2026-Q3': [4, 20], '2026-Q4': [4.4, 20] }),
      ...series('webinar_attendance', 'TX', { '2026-Q4': 24 }),
      ...series('webinar_attendance', 'OH', { '2026-Q4': 30 }),
      ...series('webinar_attendance', 'WA', { '2026-Q4': 24 }),
      ...series('webinar_attendance', 'ID', { '2026-Q4': 12 }),
    ]);
  });

  test('change, ties and unranked states', async () => {
    const { status, body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=searches&from=2026-Q3&to=2026-Q4',
      cookies.admin,
    );
    expect(status).toBe(200);
    expect(body.baselineFrom).toBe('2026-Q1');
    expect(body.baselineTo).toBe('2026-Q2');
    expect(body.national).toEqual({
      scope: 'US',
      name: 'National',
      period: { value: 1250, sample: 1250 },
      baseline: { value: 1000, sample: 1000 },
      changePercent: 25,
      rank: null,
    });
    const rows = body.states.map((row) => [row.scope, row.changePercent, row.rank, row.unranked]);
    expect(rows.slice(0, 10)).toEqual([
      ['FL', 50, 1, undefined],
      ['TX', 50, 1, undefined],
      ['WA', 10, 3, undefined],
      ['CA', 5, 4, undefined],
      ['OH', -10, 5, undefined],
      // Unranked rows with a figure follow, largest period figure first.
      ['NM', 200, null, 'too_few'],
      ['NY', null, null, 'no_change'],
      ['TN', 200, null, 'too_few'],
      ['AL', null, null, 'no_change'],
      ['AK', null, null, 'no_change'],
    ]);
    expect(body.states).toHaveLength(52);
    expect(body.states.find((row) => row.scope === 'NY')?.baseline).toEqual({ value: 0, sample: 0 });
    expect(body.summary).toBe(
      'Searches nationwide rose from 1,000 in Jan–Jun 2026 to 1,250 in Jul–Dec 2026 (so far), up 25.0%. ' +
        'Florida and Texas share 1st of the 5 states ranked (+50.0%). ' +
        '2 states are not ranked because they had fewer than 20 searches in the period or the baseline. 45 states have no figures to compare.',
    );
  });

  test('ranked rows carry no unranked reason', async () => {
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=searches&from=2026-Q3&to=2026-Q4',
      cookies.admin,
    );
    const florida = body.states.find((row) => row.scope === 'FL');
    expect(florida).toBeDefined();
    expect(Object.keys(florida ?? {})).not.toContain('unranked');
    expect(Object.keys(body.national)).not.toContain('unranked');
  });

  test('default comparison period and baseline', async () => {
    const { body } = await getJson<CompareResponse>('/api/dashboard/compare', cookies.admin);
    expect(body.metric.metric).toBe('searches');
    expect([body.from, body.to, body.baselineFrom, body.baselineTo]).toEqual([
      '2025-Q4',
      '2026-Q3',
      '2024-Q4',
      '2025-Q3',
    ]);
    const texas = body.states.find((row) => row.scope === 'TX');
    // Period 50 + 50 + 75 (2026-Q4 is still running); baseline 10 + 30 from 2025.
    expect(texas?.period).toEqual({ value: 175, sample: 175 });
    expect(texas?.baseline).toEqual({ value: 40, sample: 40 });
    // (175 − 40) / 40 × 100 = 337.5
    expect(texas?.changePercent).toBe(337.5);
    expect(body.national.period).toEqual({ value: 1625, sample: 1625 });
    expect(body.national.baseline).toEqual({ value: null, sample: 0 });
  });

  test('lower is better ranks falls first', async () => {
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=tickets_opened&from=2026-Q3&to=2026-Q4',
      cookies.agent,
    );
    // Texas and California fall from 40 to 20 tickets: exactly the minimum, so both are ranked.
    expect(body.states.slice(0, 3).map((row) => [row.scope, row.changePercent, row.rank])).toEqual([
      ['CA', -50, 1],
      ['TX', -50, 1],
      ['OH', 100, 3],
    ]);
  });

  test('weighted metric change', async () => {
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=satisfaction&from=2026-Q4&to=2026-Q4',
      cookies.admin,
    );
    expect(body.baselineFrom).toBe('2026-Q3');
    expect(body.national.changePercent).toBe(10);
    expect(body.summary).toBe(
      'Satisfaction nationwide rose from 4.0 of 5 in Jul–Sep 2026 to 4.4 of 5 in Oct–Dec 2026 (so far), up 0.4 points. No state is ranked. 52 states have no figures to compare.',
    );
  });

  test('baseline with one end given keeps the period length', async () => {
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=searches&from=2026-Q3&to=2026-Q4&baselineFrom=2025-Q1',
      cookies.admin,
    );
    expect(body.baselineFrom).toBe('2025-Q1');
    expect(body.baselineTo).toBe('2025-Q2');
    const texas = body.states.find((row) => row.scope === 'TX');
    expect(texas?.baseline).toEqual({ value: 40, sample: 40 });
    // (150 − 40) / 40 × 100 = 275
    expect(texas?.changePercent).toBe(275);
  });

  test('missing baselines rank by the period figure', async () => {
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=webinar_attendance&from=2026-Q4&to=2026-Q4',
      cookies.admin,
    );
    expect(body.states.slice(0, 5).map((row) => [row.scope, row.changePercent, row.rank, row.unranked])).toEqual([
      ['OH', null, 1, undefined],
      ['TX', null, 2, undefined],
      ['WA', null, 2, undefined],
      ['ID', null, null, 'too_few'],
      ['AL', null, null, 'no_change'],
    ]);
    expect(body.summary).toBe(
      'Webinar attendance nationwide: no data for Oct–Dec 2026 (so far) or the baseline Jul–Sep 2026. ' +
        'Ohio ranks 1st of the 3 states ranked by their figure for the period, because no state has a baseline figure. ' +
        '1 state is not ranked because it had fewer than 20 webinar attendees in the period. 48 states have no figures to compare.',
    );
  });

  test('coordinator sees own rank only', async () => {
    const { status, body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=searches&from=2026-Q3&to=2026-Q4',
      cookies.texasCoordinator,
    );
    expect(status).toBe(200);
    expect(body.viewer).toEqual({ reach: 'state', scopes: ['US', 'TX'] });
    expect(body.states).toEqual([
      {
        scope: 'TX',
        name: 'Texas',
        period: { value: 150, sample: 150 },
        baseline: { value: 100, sample: 100 },
        changePercent: 50,
        rank: 1,
      },
    ]);
    expect(body.national.period.value).toBe(1250);
    expect(body.summary).toBe(
      'Texas ranks 1st of the 5 states ranked (+50.0%). ' +
        'Searches nationwide rose from 1,000 in Jan–Jun 2026 to 1,250 in Jul–Dec 2026 (so far), up 25.0%.',
    );
  });

  test('coordinator without a change is told why', async () => {
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=tickets_opened&from=2026-Q3&to=2026-Q4',
      cookies.ohioCoordinator,
    );
    expect(body.states.map((row) => row.rank)).toEqual([3]);

    const none = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=uploads&from=2026-Q3&to=2026-Q4',
      cookies.ohioCoordinator,
    );
    expect(none.body.states).toEqual([
      {
        scope: 'OH',
        name: 'Ohio',
        period: { value: null, sample: 0 },
        baseline: { value: null, sample: 0 },
        changePercent: null,
        rank: null,
        unranked: 'no_change',
      },
    ]);
    expect(none.body.summary).toBe(
      'Ohio is not ranked: it has no figure for the period. ' +
        'Uploads nationwide: no data for Jul–Dec 2026 (so far) or the baseline Jan–Jun 2026.',
    );

    const { app, database } = server.get().testApp;
    const newYork = await signInAs(
      app,
      await createPerson(database.db, { role: 'state_coordinator', state: 'NY', now: clock() }),
    );
    const zeroBaseline = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=searches&from=2026-Q3&to=2026-Q4',
      newYork,
    );
    expect(zeroBaseline.body.states.map((row) => [row.scope, row.changePercent, row.rank, row.unranked])).toEqual([
      ['NY', null, null, 'no_change'],
    ]);
    expect(zeroBaseline.body.summary).toMatch(
      /^New York is not ranked: its baseline is 0 or has no data, so there is no change to compare\. Searches/,
    );
  });

  test('coordinator of a small state is told why', async () => {
    const { app, database } = server.get().testApp;
    const tennessee = await signInAs(
      app,
      await createPerson(database.db, { role: 'state_coordinator', state: 'TN', now: clock() }),
    );
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?metric=searches&from=2026-Q3&to=2026-Q4',
      tennessee,
    );
    expect(body.states).toEqual([
      {
        scope: 'TN',
        name: 'Tennessee',
        period: { value: 12, sample: 12 },
        baseline: { value: 4, sample: 4 },
        changePercent: 200,
        rank: null,
        unranked: 'too_few',
      },
    ]);
    expect(body.summary).toBe(
      'Tennessee is not ranked: fewer than 20 searches in the period or the baseline. ' +
        'Searches nationwide rose from 1,000 in Jan–Jun 2026 to 1,250 in Jul–Dec 2026 (so far), up 25.0%.',
    );
  });
});

describe('public summary suppression', () => {
  let view: PublicSummaryResponse;

  beforeAll(async () => {
    replaceRollups(
      [
        // Two states under 10 (9 and 0), so no complementary suppression; exactly 10 is shown.
        ...series('searches', 'TX', { '2025-Q1': 4, '2025-Q2': 5 }),
        ...series('searches', 'FL', { '2025-Q3': 10 }),
        ...series('searches', 'CA', { '2025-Q4': 50 }),
        ...series('searches', 'OH', { '2025-Q4': 0 }),
        // One state under 10, so the next-smallest (CA, 11) is suppressed as well.
        ...series('records_viewed', 'TX', { '2025-Q4': 5 }),
        ...series('records_viewed', 'FL', { '2025-Q4': 12 }),
        ...series('records_viewed', 'CA', { '2025-Q4': 11 }),
        ...series('records_viewed', 'OH', { '2025-Q4': 40 }),
        // National by quarter: one hidden quarter of a sum hides the next-smallest too.
        ...series('move_notices_sent', 'US', { '2025-Q1': 5, '2025-Q2': 100, '2025-Q3': 200, '2025-Q4': 300 }),
        // A level (last) metric: a hidden quarter reveals nothing through the period figure.
        ...series('subscribers', 'US', { '2025-Q1': 5, '2025-Q2': 50, '2025-Q3': 60, '2025-Q4': 8 }),
        // Not a public metric: never in the summary.
        ...series('uploads', 'US', { '2025-Q4': 500 }),
        // The first quarter on file, so the years to choose run from 2023; the running year is not one.
        ...series('searches', 'US', { '2023-Q2': 400, '2026-Q4': 700 }),
      ],
      [
        { year: 2024, fromState: 'AZ', toState: 'NM', children: 900 },
        { year: 2026, fromState: 'OK', toState: 'KS', children: 700 },
        { year: 2025, fromState: 'TX', toState: 'TX', children: 1000 },
        { year: 2025, fromState: '', toState: 'CA', children: 800 },
        ...['FL', 'GA', 'NC', 'SC', 'VA', 'MD', 'PA', 'NY', 'NJ', 'CT', 'MA'].map((toState, index) => ({
          year: 2025,
          fromState: 'TX',
          toState,
          children: [120, 100, 90, 80, 70, 60, 50, 40, 10, 9, 200][index] ?? 0,
        })),
      ],
    );
    const response = await getJson<PublicSummaryResponse>('/api/dashboard/public');
    expect(response.status).toBe(200);
    view = response.body;
  });

  function stateFigure(state: string, metric: MetricId): FigureValue | undefined {
    return view.states.find((row) => row.state === state)?.figures[metric];
  }

  const hidden = { value: null, sample: 0, suppressed: true, suppressedReason: 'small' };
  const withheld = { value: null, sample: 0, suppressed: true, suppressedReason: 'complementary' };

  test('lists only the public metrics', () => {
    expect(view.national.map((entry) => entry.metric)).toEqual(metricIds.filter((metric) => metrics[metric].public));
    expect(view.states).toHaveLength(52);
    expect(stateFigure('TX', 'uploads')).toBeUndefined();
  });

  test('counts under 10 are suppressed, 10 is shown', () => {
    expect(stateFigure('TX', 'searches')).toEqual(hidden);
    expect(stateFigure('OH', 'searches')).toEqual(hidden);
    expect(stateFigure('FL', 'searches')).toEqual({ value: 10, sample: 10, suppressed: false });
    expect(stateFigure('CA', 'searches')).toEqual({ value: 50, sample: 50, suppressed: false });
    expect(stateFigure('NY', 'searches')).toEqual({ value: null, sample: 0, suppressed: false });
  });

  test('lone suppressed state hides the next-smallest', () => {
    expect(stateFigure('TX', 'records_viewed')).toEqual(hidden);
    expect(stateFigure('CA', 'records_viewed')).toEqual(withheld);
    expect(stateFigure('FL', 'records_viewed')).toEqual({ value: 12, sample: 12, suppressed: false });
    expect(stateFigure('OH', 'records_viewed')).toEqual({ value: 40, sample: 40, suppressed: false });
  });

  test('national quarters follow the same rules', () => {
    const notices = view.national.find((entry) => entry.metric === 'move_notices_sent');
    expect(notices?.values).toEqual([
      hidden,
      withheld,
      ...[200, 300].map((value) => ({ value, sample: value, suppressed: false })),
    ]);
    expect(notices?.period).toEqual({ value: 605, sample: 605, suppressed: false });
    expect(notices?.summary).toBe(
      'Move notices sent nationwide: fewer than 10 in Jan–Mar 2025 and 300 in Oct–Dec 2025.',
    );

    const subscribers = view.national.find((entry) => entry.metric === 'subscribers');
    expect(subscribers?.values.map((figure) => figure.suppressed)).toEqual([true, false, false, true]);
    expect(subscribers?.period).toEqual(hidden);
  });

  test('non-count figures need a sample of 10', () => {
    const satisfaction = metrics.satisfaction;
    expect(suppressFigure(satisfaction, { value: 4.5, sample: 9 })).toEqual(hidden);
    expect(suppressFigure(satisfaction, { value: 4.5, sample: 10 })).toEqual({
      value: 4.5,
      sample: 10,
      suppressed: false,
    });
  });

  test('default is the latest ended year', () => {
    expect(view.year).toBe(2025);
    expect(view.yearEnded).toBe(true);
    expect(view.years).toEqual([2025, 2024, 2023]);
    expect([view.from, view.to]).toEqual(['2025-Q1', '2025-Q4']);
    expect(view.quarters).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
  });

  test('earlier year is one whole year', async () => {
    const { status, body } = await getJson<PublicSummaryResponse>('/api/dashboard/public?year=2023');
    expect(status).toBe(200);
    expect([body.year, body.from, body.to]).toEqual([2023, '2023-Q1', '2023-Q4']);
    const searches = body.national.find((entry) => entry.metric === 'searches');
    expect(searches?.period).toEqual({ value: 400, sample: 400, suppressed: false });
    expect(body.corridors).toEqual({ year: 2023, routes: [] });
  });

  test('corridors follow the year', async () => {
    const { body } = await getJson<PublicSummaryResponse>('/api/dashboard/public?year=2024');
    expect(body.corridors.year).toBe(2024);
    expect(body.corridors.routes.map((route) => [route.from, route.to, route.children.value])).toEqual([
      ['AZ', 'NM', 900],
    ]);
  });

  test('quarter periods are rejected', async () => {
    // Any run of quarters could overlap another and reveal a hidden count by
    // difference (11 tickets in Jan–Dec, 10 in Apr–Dec), so only whole years are served.
    const cases: Array<[string, string]> = [
      ['/api/dashboard/public?from=2025-Q2&to=2025-Q4', 'from and to'],
      ['/api/dashboard/public?from=2025-Q2', 'from'],
      ['/api/dashboard/public?to=2025-Q3', 'to'],
      ['/api/dashboard/public/export?from=2025-Q2&to=2025-Q4', 'from and to'],
      ['/api/dashboard/public/export?table=corridors&to=2025-Q3', 'to'],
      ['/api/dashboard/public?year=2025&from=2025-Q2', 'from'],
    ];
    for (const [path, fields] of cases) {
      const { status, body } = await getJson<ErrorBody>(path);
      expect(status, path).toBe(400);
      expect(body.error.code, path).toBe('whole_years_only');
      expect(body.error.message, path).toBe(
        `${fields}: the public summary shows whole calendar years, not periods of quarters. Use year instead, such as year=2025.`,
      );
    }
  });

  test('years outside the range are rejected', async () => {
    const range = 'The public summary shows whole calendar years that have ended, so choose a year from 2023 to 2025.';
    const cases: Array<[string, string]> = [
      ['2022', `year: 2022 is not available. ${range}`],
      ['2026', `year: 2026 is not available. ${range}`],
      ['25', 'year: "25" is not a year. Use four digits, such as 2025.'],
    ];
    for (const [year, message] of cases) {
      const { status, body } = await getJson<ErrorBody>(`/api/dashboard/public?year=${year}`);
      expect(status, year).toBe(400);
      expect(body.error.code, year).toBe('invalid_year');
      expect(body.error.message, year).toBe(message);
    }
  });

  test('corridors: top 10 routes of the year', () => {
    expect(view.corridors.year).toBe(2025);
    const routes = view.corridors.routes.map((route) => [route.from, route.to, route.children.value]);
    expect(routes).toEqual([
      ['TX', 'MA', 200],
      ['TX', 'FL', 120],
      ['TX', 'GA', 100],
      ['TX', 'NC', 90],
      ['TX', 'SC', 80],
      ['TX', 'VA', 70],
      ['TX', 'MD', 60],
      ['TX', 'PA', 50],
      ['TX', 'NY', 40],
      ['TX', 'NJ', 10],
    ]);
    expect(view.corridors.routes[0]?.fromName).toBe('Texas');
    expect(view.corridors.routes[0]?.toName).toBe('Massachusetts');
  });

  test('corridors under 10 children are left out', async () => {
    replaceRollups(
      [...series('searches', 'US', { '2025-Q1': 50 })],
      [
        { year: 2025, fromState: 'TX', toState: 'FL', children: 25 },
        { year: 2025, fromState: 'OH', toState: 'MI', children: 3 },
      ],
    );
    const { body } = await getJson<PublicSummaryResponse>('/api/dashboard/public');
    expect(body.corridors.year).toBe(2025);
    expect(body.corridors.routes.map((route) => [route.from, route.to, route.children])).toEqual([
      ['TX', 'FL', { value: 25, sample: 25, suppressed: false }],
    ]);
  });
});

describe('public summary before a year has ended', () => {
  beforeAll(() => {
    replaceRollups(
      [...series('searches', 'US', { '2026-Q1': 120, '2026-Q4': 150 })],
      [{ year: 2026, fromState: 'TX', toState: 'FL', children: 25 }],
    );
  });

  test('shows the running year so far', async () => {
    const { status, body } = await getJson<PublicSummaryResponse>('/api/dashboard/public');
    expect(status).toBe(200);
    expect([body.year, body.yearEnded, body.years]).toEqual([2026, false, [2026]]);
    expect([body.from, body.to]).toEqual(['2026-Q1', '2026-Q4']);
    expect(body.corridors.year).toBe(2026);
    const searches = body.national.find((entry) => entry.metric === 'searches');
    expect(searches?.summary).toBe(
      'Searches nationwide rose from 120 in Jan–Mar 2026 to 150 in Oct–Dec 2026 (so far), up 25.0%.',
    );
  });

  test('other years are rejected', async () => {
    const { status, body } = await getJson<ErrorBody>('/api/dashboard/public?year=2025');
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      'year: 2025 is not available. No calendar year on file has ended yet, so the public summary shows only 2026 so far.',
    );
  });
});

describe('access', () => {
  beforeAll(() => {
    replaceRollups(
      [
        ...series('searches', 'US', { '2026-Q4': 900 }),
        ...series('searches', 'TX', { '2026-Q3': 100, '2026-Q4': 120 }),
        ...series('searches', 'OH', { '2026-Q3': 70, '2026-Q4': 77 }),
      ],
      [
        { year: 2026, fromState: 'TX', toState: 'FL', children: 30 },
        { year: 2026, fromState: 'OH', toState: 'TX', children: 20 },
        { year: 2026, fromState: 'CA', toState: 'OR', children: 40 },
        { year: 2026, fromState: 'OH', toState: 'MI', children: 15 },
        { year: 2026, fromState: 'TX', toState: 'TX', children: 12 },
        { year: 2026, fromState: 'OH', toState: 'OH', children: 8 },
        { year: 2026, fromState: '', toState: 'TX', children: 5 },
        { year: 2026, fromState: '', toState: 'CA', children: 7 },
        { year: 2025, fromState: 'TX', toState: 'FL', children: 3 },
      ],
    );
  });

  const signedInRoutes = [
    '/api/dashboard/figures',
    '/api/dashboard/figures/export',
    '/api/dashboard/compare',
    '/api/dashboard/compare/export',
    '/api/dashboard/flows',
    '/api/dashboard/flows/export',
  ];
  const publicRoutes = ['/api/dashboard/public', '/api/dashboard/public/export'];

  test('visitors get 401 except the public summary', async () => {
    for (const path of signedInRoutes) {
      expect((await getCsv(path)).status, path).toBe(401);
    }
    for (const path of publicRoutes) {
      expect((await getCsv(path)).status, path).toBe(200);
    }
  });

  test('state users get 403 except the public summary', async () => {
    for (const path of signedInRoutes) {
      expect((await getCsv(path, cookies.texasUser)).status, path).toBe(403);
    }
    for (const path of publicRoutes) {
      expect((await getCsv(path, cookies.texasUser)).status, path).toBe(200);
    }
  });

  test('admins and agents open every route', async () => {
    for (const cookie of [cookies.admin, cookies.agent]) {
      for (const path of [...signedInRoutes, ...publicRoutes]) {
        expect((await getCsv(path, cookie)).status, path).toBe(200);
      }
      expect((await getCsv('/api/dashboard/figures?scope=OH', cookie)).status).toBe(200);
      expect((await getCsv('/api/dashboard/figures/export?scope=CA', cookie)).status).toBe(200);
    }
  });

  test('coordinator opens every route', async () => {
    for (const path of [...signedInRoutes, ...publicRoutes]) {
      expect((await getCsv(path, cookies.texasCoordinator)).status, path).toBe(200);
    }
  });

  test('coordinator opens the nation and own state', async () => {
    for (const scope of ['US', 'TX', 'tx']) {
      const { status, body } = await getJson<FiguresResponse>(
        `/api/dashboard/figures?scope=${scope}`,
        cookies.texasCoordinator,
      );
      expect(status, scope).toBe(200);
      expect(body.viewer).toEqual({ reach: 'state', scopes: ['US', 'TX'] });
    }
    const texas = await getJson<FiguresResponse>(
      '/api/dashboard/figures?scope=TX&from=2026-Q3&to=2026-Q4',
      cookies.texasCoordinator,
    );
    expect(metricOf(texas.body, 'searches').period.value).toBe(220);
  });

  test('coordinator gets 403 for another state', async () => {
    for (const path of ['/api/dashboard/figures?scope=OH', '/api/dashboard/figures/export?scope=OH']) {
      const response = await getCsv(path, cookies.texasCoordinator);
      expect(response.status, path).toBe(403);
      const body = JSON.parse(response.text) as ErrorBody;
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.code).toBe('dashboard_scope_forbidden');
      expect(body.error.message).toBe(
        'scope: your account can open the national figures and those of Texas (TX) only, not Ohio (OH).',
      );
    }
  });

  test('coordinator comparison holds no other state', async () => {
    const { body } = await getJson<CompareResponse>(
      '/api/dashboard/compare?from=2026-Q4&to=2026-Q4',
      cookies.texasCoordinator,
    );
    expect(body.states.map((row) => row.scope)).toEqual(['TX']);
    expect(JSON.stringify(body)).not.toMatch(/"OH"|Ohio/);

    const csv = await getCsv('/api/dashboard/compare/export?from=2026-Q4&to=2026-Q4', cookies.texasCoordinator);
    const states = parseCsv(csv.text)
      .slice(1)
      .map((cells) => cells[2]);
    expect(states).toEqual(['US', 'TX']);
  });

  test('coordinator flows touch own state only', async () => {
    const { status, body } = await getJson<FlowsResponse>('/api/dashboard/flows', cookies.texasCoordinator);
    expect(status).toBe(200);
    expect(body.year).toBe(2026);
    expect(body.years).toEqual([2026, 2025]);
    expect(body.totals).toEqual({ betweenStates: 105, withinStates: 20, fromOutside: 12 });
    expect(body.flows.map((route) => `${route.from}>${route.to}:${route.children}`)).toEqual(['TX>FL:30', 'OH>TX:20']);
    expect(body.withinStates).toEqual([{ state: 'TX', name: 'Texas', children: 12 }]);
    expect(body.fromOutside).toEqual([{ state: 'TX', name: 'Texas', children: 5 }]);
    expect(body.summary).toBe(
      'In 2026 so far, 20 children moved to Texas from other states, 30 children moved from Texas to other states, ' +
        '12 children moved within Texas, and 5 children arrived from another country or an unknown state. ' +
        'Nationally, 105 children moved from one state to another.',
    );

    const csv = await getCsv('/api/dashboard/flows/export', cookies.texasCoordinator);
    for (const cells of parseCsv(csv.text).slice(1)) {
      expect([cells[2], cells[4]], cells.join(',')).toContain('TX');
    }
  });

  test('national flows list every route', async () => {
    const { body } = await getJson<FlowsResponse>('/api/dashboard/flows?year=2026', cookies.agent);
    expect(body.viewer.reach).toBe('national');
    expect(body.flows.map((route) => `${route.from}>${route.to}`)).toEqual(['CA>OR', 'TX>FL', 'OH>TX', 'OH>MI']);
    expect(body.withinStates.map((row) => row.state)).toEqual(['TX', 'OH']);
    expect(body.fromOutside.map((row) => row.state)).toEqual(['CA', 'TX']);
    expect(body.summary).toBe(
      'In 2026 so far, 105 children moved from one state to another, 20 children moved within a state, ' +
        'and 12 children arrived from another country or an unknown state. ' +
        'The busiest route was California to Oregon, with 40 children.',
    );
  });

  test('year without moves is empty', async () => {
    const { status, body } = await getJson<FlowsResponse>('/api/dashboard/flows?year=2019', cookies.admin);
    expect(status).toBe(200);
    expect(body.flows).toEqual([]);
    expect(body.summary).toBe('No qualifying moves are on file for 2019.');
  });
});

describe('query errors', () => {
  const cases: Array<[string, string, string]> = [
    [
      '/api/dashboard/figures?from=2026Q1',
      'invalid_quarter',
      'from: "2026Q1" is not a quarter. Use the year, "-Q" and the quarter number, such as 2026-Q4.',
    ],
    [
      '/api/dashboard/figures?from=2026-Q3&to=2026-Q1',
      'invalid_period',
      'to: 2026-Q1 is before from 2026-Q3. Choose a to quarter the same as or after from.',
    ],
    [
      '/api/dashboard/figures?from=2020-Q1&to=2026-Q4',
      'invalid_period',
      'from to to: 2020-Q1 to 2026-Q4 is 28 quarters. Choose at most 20 quarters (five years).',
    ],
    [
      '/api/dashboard/figures?to=2027-Q1',
      'invalid_period',
      'to: 2027-Q1 has not started yet. Choose 2026-Q4 (Oct–Dec 2026) or an earlier quarter.',
    ],
    [
      '/api/dashboard/figures?scope=ZZ',
      'invalid_scope',
      'scope: "ZZ" is not a state. Use US for the national figures or a USPS state code such as TX.',
    ],
    [
      '/api/dashboard/compare?metric=visits',
      'invalid_metric',
      `metric: "visits" is not a dashboard metric. Use one of ${metricIds.join(', ')}.`,
    ],
    [
      '/api/dashboard/compare?from=2026-Q4&to=2026-Q4&baselineFrom=2026-Q3&baselineTo=2026-Q1',
      'invalid_period',
      'baselineTo: 2026-Q1 is before baselineFrom 2026-Q3. Choose a baselineTo quarter the same as or after baselineFrom.',
    ],
    [
      '/api/dashboard/compare?from=2026-Q4&to=2026-Q4&baselineFrom=2020-Q1&baselineTo=2026-Q3',
      'invalid_period',
      'baselineFrom to baselineTo: 2020-Q1 to 2026-Q3 is 27 quarters. Choose at most 20 quarters (five years).',
    ],
    ['/api/dashboard/flows?year=26', 'invalid_year', 'year: "26" is not a year. Use four digits, such as 2026.'],
    [
      '/api/dashboard/flows?year=2027',
      'invalid_year',
      'year: 2027 has not started yet. Choose 2026 or an earlier year.',
    ],
    [
      '/api/dashboard/public/export?table=states',
      'invalid_table',
      'table: "states" is not a table of the public summary. Use figures or corridors.',
    ],
  ];

  test.each(cases)('%s is rejected', async (path, code, message) => {
    const { status, body } = await getJson<ErrorBody>(path, cookies.admin);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toBe(message);
  });

  test('20 quarters is allowed', async () => {
    const { status, body } = await getJson<FiguresResponse>(
      '/api/dashboard/figures?from=2022-Q1&to=2026-Q4',
      cookies.admin,
    );
    expect(status).toBe(200);
    expect(body.quarters).toHaveLength(20);
  });
});

describe('CSV exports', () => {
  beforeAll(() => {
    replaceRollups(
      [
        ...series('searches', 'TX', { '2026-Q3': 100, '2026-Q4': 120 }),
        ...series('satisfaction', 'TX', { '2026-Q3': [4.25, 12] }),
        ...series('sla_compliance', 'TX', { '2026-Q3': [85.86666666666667, 30] }),
        ...series('searches', 'US', { '2026-Q3': 400, '2026-Q4': 500 }),
        ...series('searches', 'OH', { '2026-Q3': 50, '2026-Q4': 45 }),
        ...series('searches', 'FL', { '2026-Q3': 5, '2026-Q4': 4 }),
        // The same searches a year earlier, for the public summary, which shows ended years only.
        ...series('searches', 'TX', { '2025-Q3': 100, '2025-Q4': 120 }),
        ...series('searches', 'US', { '2025-Q3': 400, '2025-Q4': 500 }),
        ...series('searches', 'OH', { '2025-Q3': 50, '2025-Q4': 45 }),
        ...series('searches', 'FL', { '2025-Q3': 5, '2025-Q4': 4 }),
      ],
      [
        { year: 2025, fromState: 'TX', toState: 'FL', children: 30 },
        { year: 2026, fromState: 'TX', toState: 'FL', children: 30 },
        { year: 2026, fromState: 'TX', toState: 'TX', children: 12 },
        { year: 2026, fromState: '', toState: 'TX', children: 5 },
        { year: 2026, fromState: '=1+1', toState: 'TX', children: 2 },
        { year: 2026, fromState: 'TX', toState: '@SUM(A1)', children: 9 },
      ],
    );
  });

  test('figures CSV: file name and rows', async () => {
    const csv = await getCsv('/api/dashboard/figures/export?scope=TX&from=2026-Q3&to=2026-Q4', cookies.admin);
    expect(csv.status).toBe(200);
    expect(csv.disposition).toBe('attachment; filename="msix-dashboard-figures-TX-2026-Q3-to-2026-Q4.csv"');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('metric,metric_label,unit,state,state_name,quarter,value,sample');
    expect(lines.slice(1, 3)).toEqual([
      '"searches","Searches","count","TX","Texas","2026-Q3",100,100',
      '"searches","Searches","count","TX","Texas","2026-Q4",120,120',
    ]);
    expect(lines).toContain('"satisfaction","Satisfaction","rating","TX","Texas","2026-Q3",4.25,12');
    expect(lines).toContain('"satisfaction","Satisfaction","rating","TX","Texas","2026-Q4",,0');
    // A header, two quarters of every metric, and the empty string after the last CRLF.
    expect(lines).toHaveLength(1 + metricIds.length * 2 + 1);
  });

  test('comparison CSV: national row, then ranked states', async () => {
    const csv = await getCsv('/api/dashboard/compare/export?metric=searches&from=2026-Q4&to=2026-Q4', cookies.admin);
    expect(csv.disposition).toBe('attachment; filename="msix-dashboard-compare-searches-2026-Q4-to-2026-Q4.csv"');
    const lines = csv.text.split('\r\n');
    expect(lines.slice(0, 5)).toEqual([
      'metric,metric_label,state,state_name,from_quarter,to_quarter,value,sample,baseline_from_quarter,baseline_to_quarter,baseline_value,baseline_sample,change_percent,rank',
      '"searches","Searches","US","National","2026-Q4","2026-Q4",500,500,"2026-Q3","2026-Q3",400,400,25,',
      '"searches","Searches","TX","Texas","2026-Q4","2026-Q4",120,120,"2026-Q3","2026-Q3",100,100,20,1',
      '"searches","Searches","OH","Ohio","2026-Q4","2026-Q4",45,45,"2026-Q3","2026-Q3",50,50,-10,2',
      // Florida's 5 and 4 searches are too few to rank, so its rank is empty.
      '"searches","Searches","FL","Florida","2026-Q4","2026-Q4",4,4,"2026-Q3","2026-Q3",5,5,-20,',
    ]);
  });

  test('non-count values are rounded to two decimals', async () => {
    const figures = await getCsv('/api/dashboard/figures/export?scope=TX&from=2026-Q3&to=2026-Q4', cookies.admin);
    expect(figures.text.split('\r\n')).toContain(
      '"sla_compliance","SLA compliance","percent","TX","Texas","2026-Q3",85.87,30',
    );
    const comparison = await getCsv(
      '/api/dashboard/compare/export?metric=sla_compliance&from=2026-Q4&to=2026-Q4&baselineFrom=2026-Q3&baselineTo=2026-Q3',
      cookies.admin,
    );
    expect(comparison.text.split('\r\n')).toContain(
      '"sla_compliance","SLA compliance","TX","Texas","2026-Q4","2026-Q4",,0,"2026-Q3","2026-Q3",85.87,30,,',
    );
    expect(figures.text + comparison.text).not.toContain('85.866');
  });

  test('flows CSV: every kind of route', async () => {
    const csv = await getCsv('/api/dashboard/flows/export?year=2026', cookies.agent);
    expect(csv.disposition).toBe('attachment; filename="msix-dashboard-flows-2026.csv"');
    expect(csv.text).toBe(
      [
        'year,kind,from_state,from_state_name,to_state,to_state_name,children',
        '2026,"between_states","TX","Texas","FL","Florida",30',
        '2026,"within_state","TX","Texas","TX","Texas",12',
        '2026,"from_outside","","Another country or unknown state","TX","Texas",7',
        '',
      ].join('\r\n'),
    );
    const coordinator = await getCsv('/api/dashboard/flows/export?year=2026', cookies.texasCoordinator);
    expect(coordinator.disposition).toBe('attachment; filename="msix-dashboard-flows-TX-2026.csv"');
  });

  test('stored text never becomes a formula', async () => {
    // The flows fixture contains "=1+1" and "@SUM(A1)" as state codes: the first
    // counts as an arrival from outside, the second names no state and is left out.
    for (const path of [
      '/api/dashboard/flows/export?year=2026',
      '/api/dashboard/figures/export?scope=TX',
      '/api/dashboard/compare/export',
      '/api/dashboard/public/export',
      '/api/dashboard/public/export?table=corridors',
    ]) {
      const csv = await getCsv(path, cookies.admin);
      for (const line of csv.text.split('\r\n').slice(1)) {
        for (const cell of line.split(',')) {
          expect(cell, `${path}: ${line}`).toMatch(/^(|-?\d+(\.\d+)?|"[^=+\-@\t\r][^"]*"|"")$/);
        }
      }
    }
  });

  test('public CSV: suppressed cells are empty', async () => {
    const csv = await getCsv('/api/dashboard/public/export?year=2025');
    expect(csv.status).toBe(200);
    expect(csv.disposition).toBe('attachment; filename="msix-dashboard-public-2025.csv"');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('metric,metric_label,state,state_name,from_quarter,to_quarter,value,sample,suppressed');
    expect(lines.slice(1, 6)).toEqual([
      '"searches","Searches","US","National","2025-Q1","2025-Q1",,0,"no"',
      '"searches","Searches","US","National","2025-Q2","2025-Q2",,0,"no"',
      '"searches","Searches","US","National","2025-Q3","2025-Q3",400,400,"no"',
      '"searches","Searches","US","National","2025-Q4","2025-Q4",500,500,"no"',
      '"searches","Searches","US","National","2025-Q1","2025-Q4",900,900,"no"',
    ]);
    // Florida's 9 is the one state under 10, so Ohio's 95, the next-smallest, is hidden too.
    expect(lines).toContain('"searches","Searches","FL","Florida","2025-Q1","2025-Q4",,,"fewer than 10"');
    expect(lines).toContain('"searches","Searches","OH","Ohio","2025-Q1","2025-Q4",,,"withheld"');
    expect(lines).toContain('"searches","Searches","TX","Texas","2025-Q1","2025-Q4",220,220,"no"');
    expect(lines).toContain('"searches","Searches","AL","Alabama","2025-Q1","2025-Q4",,0,"no"');
    expect(csv.text).not.toMatch(/,9,|,95,/);
  });

  test('public corridors CSV', async () => {
    const csv = await getCsv('/api/dashboard/public/export?table=corridors');
    expect(csv.disposition).toBe('attachment; filename="msix-dashboard-public-corridors-2025.csv"');
    expect(csv.text).toBe(
      [
        'year,from_state,from_state_name,to_state,to_state_name,children,suppressed',
        '2025,"TX","Texas","FL","Florida",30,"no"',
        '',
      ].join('\r\n'),
    );
  });
});
