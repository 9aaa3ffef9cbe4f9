/**
 * `npm run bench -- desk`: ticket creation and queue listing with 100,000
 * tickets on file (BENCH_DESK_TICKETS), through the product's services
 * against raw better-sqlite3 running the same SQL statements in the same run.
 *
 * The tickets (two messages each) are seeded straight into a temporary SQLite
 * file. Creation goes through createTicket with an acknowledgement, so each
 * call also writes the requester's participant row, the history row, the
 * audit row, the SLA columns and the outbox message. The statements of each
 * call are captured with a drizzle query logger in separate calls and then
 * replayed by the baseline, with prepared statements kept between calls and
 * the same transaction per ticket. The new ticket's and message's ids and the
 * Message-IDs in the replayed parameters are replaced by the replay's own,
 * because they are unique. Queue listing goes through the console's
 * listQueue for several queues; its one SELECT is replayed as captured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Actor } from '../../api/auth/actor';
import { listQueue, type QueueQuery } from '../../api/desk/console/queues';
import { createTicket, type DeskSettings, type NewTicket } from '../../api/desk/tickets/create';
import { stateCodes } from '../../api/shared/states';
import { openDatabase, type AppDatabase } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import * as schema from '../../db/schema';
import { ticketCategories, ticketChannels, ticketPriorities } from '../../db/schema';

const seededTickets = Number(process.env.BENCH_DESK_TICKETS ?? 100_000);
const creations = Number(process.env.BENCH_DESK_CREATIONS ?? 1_000);
const listingsPerQueue = Number(process.env.BENCH_DESK_LISTINGS ?? 200);
const agentCount = 20;

interface Timing {
  operations: number;
  p50Ms: number;
  p95Ms: number;
  perSecond: number;
}

export interface DeskBenchRow {
  operation: string;
  product: Timing;
  baseline: Timing;
}

export interface DeskBenchFigures {
  seededTickets: number;
  seedSeconds: number;
  rows: DeskBenchRow[];
}

interface CapturedStatement {
  sql: string;
  params: unknown[];
}

export async function benchDesk(log: (message: string) => void): Promise<{ figures: DeskBenchFigures; table: string }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'msix-bench-desk-'));
  const database = openDatabase(path.join(directory, 'desk.sqlite'));
  try {
    applyMigrations(database.db);
    const seedStarted = performance.now();
    const agents = seed(database.sqlite, seededTickets);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`desk: seeded ${seededTickets} tickets in ${seedSeconds.toFixed(1)} s`);

    let captured: CapturedStatement[] = [];
    const capturing = drizzle(database.sqlite, {
      schema,
      logger: { logQuery: (sql, params) => captured.push({ sql, params }) },
    }) as AppDatabase;
    const settings: DeskSettings = {
      siteUrl: 'http://localhost:4321',
      mailFrom: 'MSIX Assist <no-reply@msix-assist.localhost>',
      supportAddress: 'MSIX Assist Support <support@msix-assist.localhost>',
      attachmentsDirectory: path.join(directory, 'attachments'),
      businessHours: 'Mon-Fri 08:00-17:00',
    };

    const rows: DeskBenchRow[] = [];
    rows.push(
      benchCreation(
        database.db,
        capturing,
        database.sqlite,
        settings,
        () => captured,
        () => (captured = []),
      ),
    );
    log(`desk: ${rows.at(-1)!.operation} done`);

    const agent = agents[0]!;
    const queues: Array<[string, QueueQuery]> = [
      ['queue "open", newest update first', { queue: 'open' }],
      ['queue "unassigned"', { queue: 'unassigned' }],
      ['queue "mine" (one agent)', { queue: 'mine' }],
      ['queue "breaching soon", soonest due first', { queue: 'breaching', sort: 'due' }],
      ['queue "pending" for one state (TX)', { queue: 'pending', state: 'TX' }],
      ['search "password" in all tickets', { queue: 'all', q: 'password' }],
    ];
    for (const [label, query] of queues) {
      rows.push(
        benchListing(
          label,
          database.db,
          capturing,
          database.sqlite,
          agent,
          query,
          () => captured,
          () => (captured = []),
        ),
      );
      log(`desk: ${label} done`);
    }

    const figures = { seededTickets, seedSeconds, rows };
    return { figures, table: renderTable(figures) };
  } finally {
    database.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

function benchCreation(
  db: AppDatabase,
  capturing: AppDatabase,
  sqlite: Database.Database,
  settings: DeskSettings,
  readCaptured: () => CapturedStatement[],
  resetCaptured: () => void,
): DeskBenchRow {
  const now = new Date('2026-12-07T15:00:00.000Z');
  const input = (index: number): NewTicket => ({
    subject: `Password reset link expired ${index}`,
    bodyText: 'I asked for a new link this morning and it says it has expired. Please help me sign in.',
    requester: {
      email: `registrar${index % 5000}@district.example.gov`,
      name: 'Registrar',
      state: stateCodes[index % stateCodes.length],
    },
    category: 'account_access',
    priority: 'normal',
    channel: 'web',
    acknowledge: true,
  });
  const context = { now, ip: '127.0.0.1' };

  // Warm-up, so both sides start with a hot page cache.
  for (let index = 0; index < 50; index += 1) createTicket(db, settings, input(index), context);

  const product = time(creations, (index) => {
    createTicket(db, settings, input(1000 + index), context);
  });

  // Capture the statements of as many calls, made through the logging instance.
  const recorded: Array<{ statements: CapturedStatement[]; ticketId: number; messageId: number }> = [];
  for (let index = 0; index < creations; index += 1) {
    resetCaptured();
    const created = createTicket(capturing, settings, input(2000 + index), context);
    recorded.push({ statements: readCaptured(), ticketId: created.ticketId, messageId: created.ticketMessageId });
  }

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  let replayNumber = 0;
  const baseline = time(creations, (index) => {
    const call = recorded[index]!;
    replayNumber += 1;
    sqlite.transaction(() => {
      const replacements = new Map<unknown, unknown>();
      for (const { sql, params } of call.statements) {
        const statement = prepare(sql);
        const values = params.map((value) => replaceUnique(value, replacements, replayNumber));
        if (statement.reader) {
          const rows = statement.all(...values) as Array<Record<string, unknown>>;
          // The first insert returning rows is the ticket, the second the message.
          if (/^insert into "tickets"/i.test(sql)) replacements.set(call.ticketId, rows[0]!.id);
          if (/^insert into "ticket_messages"/i.test(sql)) replacements.set(call.messageId, rows[0]!.id);
        } else {
          statement.run(...values);
        }
      }
    })();
  });

  return { operation: 'create a ticket (with acknowledgement)', product, baseline };
}

const messageIdPattern = /^<[^<>@\s]+@[^<>\s]+>$/;

/** Maps a captured parameter to the replay's value: new row ids, and a fresh Message-ID for each captured one. */
function replaceUnique(value: unknown, replacements: Map<unknown, unknown>, replayNumber: number): unknown {
  if (replacements.has(value)) return replacements.get(value);
  if (typeof value === 'string' && messageIdPattern.test(value)) {
    const fresh = `<replay-${replayNumber}-${replacements.size}@bench.localhost>`;
    replacements.set(value, fresh);
    return fresh;
  }
  return value;
}

function benchListing(
  label: string,
  db: AppDatabase,
  capturing: AppDatabase,
  sqlite: Database.Database,
  agent: Actor,
  query: QueueQuery,
  readCaptured: () => CapturedStatement[],
  resetCaptured: () => void,
): DeskBenchRow {
  const now = new Date('2026-12-07T15:00:00.000Z');
  const options = { now, businessHours: 'Mon-Fri 08:00-17:00' };
  listQueue(db, agent, query, options);

  const product = time(listingsPerQueue, () => {
    listQueue(db, agent, query, options);
  });

  resetCaptured();
  listQueue(capturing, agent, query, options);
  const statements = readCaptured().map(({ sql, params }) => ({ statement: sqlite.prepare(sql), params }));
  const baseline = time(listingsPerQueue, () => {
    for (const { statement, params } of statements) {
      if (statement.reader) statement.all(...params);
      else statement.run(...params);
    }
  });
  return { operation: `list ${label}`, product, baseline };
}

function time(operations: number, work: (index: number) => void): Timing {
  const durations: number[] = [];
  const started = performance.now();
  for (let index = 0; index < operations; index += 1) {
    const before = performance.now();
    work(index);
    durations.push(performance.now() - before);
  }
  const totalMs = performance.now() - started;
  durations.sort((a, b) => a - b);
  const at = (p: number) => durations[Math.min(durations.length - 1, Math.floor(p * durations.length))]!;
  return { operations, p50Ms: at(0.5), p95Ms: at(0.95), perSecond: operations / (totalMs / 1000) };
}

/**
 * Seeds tickets spread over a year, states, categories, channels, priorities
 * and statuses, two messages and one participant each, and the agents they
 * are assigned to. Returns the agents as actors.
 */
function seed(sqlite: Database.Database, count: number): Actor[] {
  const now = Date.parse('2026-12-07T15:00:00.000Z');
  const stamp = '2026-01-01T00:00:00.000Z';
  const insertPerson = sqlite.prepare(
    `insert into people (email, display_name, role, state, records_access, status, created_at, updated_at)
     values (?, ?, 'agent', null, 'none', 'active', ?, ?)`,
  );
  const agents: Actor[] = [];
  const insertTicket = sqlite.prepare(
    `insert into tickets (subject, requester_email, requester_name, state, category, priority, status, channel,
       assignee_id, created_at, updated_at, first_response_at, solved_at, closed_at, first_response_due_at,
       resolution_due_at, sla_paused_at, sla_paused_minutes, first_response_minutes, resolution_minutes)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  const insertMessage = sqlite.prepare(
    `insert into ticket_messages (ticket_id, visibility, author_type, author_email, author_name, channel, body_text, created_at)
     values (?, 'public', ?, ?, ?, ?, ?, ?)`,
  );
  const insertParticipant = sqlite.prepare(
    `insert into ticket_participants (ticket_id, email, role) values (?, ?, 'requester')`,
  );
  const topics = [
    'password reset',
    'MDE upload rejected',
    'move notice',
    'near match',
    'report totals',
    'training seats',
  ];
  // Status shares: most tickets on file are closed or solved, as on a desk that has run for a year.
  const statuses = [
    ...Array<string>(60).fill('closed'),
    ...Array<string>(15).fill('solved'),
    ...Array<string>(10).fill('open'),
    ...Array<string>(5).fill('new'),
    ...Array<string>(5).fill('pending'),
    ...Array<string>(5).fill('on_hold'),
  ];

  sqlite.transaction(() => {
    for (let index = 0; index < agentCount; index += 1) {
      const row = insertPerson.run(`agent${index}@msix-assist.localhost`, `Agent ${index}`, stamp, stamp);
      agents.push({
        id: Number(row.lastInsertRowid),
        email: `agent${index}@msix-assist.localhost`,
        displayName: `Agent ${index}`,
        role: 'agent',
        state: null,
        recordsAccess: 'none',
        status: 'active',
      });
    }

    for (let index = 0; index < count; index += 1) {
      const created = now - Math.floor(((index * 7919) % 365_000) * 86_400) - 3_600_000;
      const createdAt = new Date(created).toISOString();
      const status = statuses[index % statuses.length]!;
      const answered = status !== 'new';
      const done = status === 'solved' || status === 'closed';
      const iso = (offsetHours: number) => new Date(created + offsetHours * 3_600_000).toISOString();
      const email = `requester${index % 20_000}@district.example.gov`;
      const channel = ticketChannels[index % ticketChannels.length]!;
      const topic = topics[index % topics.length]!;
      const ticket = insertTicket.run(
        `Question about ${topic} ${index}`,
        email,
        `Requester ${index % 20_000}`,
        stateCodes[index % stateCodes.length],
        ticketCategories[index % ticketCategories.length],
        ticketPriorities[index % ticketPriorities.length],
        status,
        channel,
        status === 'new' || index % 10 === 0 ? null : agents[index % agentCount]!.id,
        createdAt,
        iso(answered ? 30 : 0),
        answered ? iso(2) : null,
        done ? iso(30) : null,
        status === 'closed' ? iso(100) : null,
        iso(24),
        iso(120),
        status === 'pending' ? iso(3) : null,
        answered ? 120 : null,
        done ? 1_200 : null,
      );
      const ticketId = Number(ticket.lastInsertRowid);
      insertParticipant.run(ticketId, email);
      insertMessage.run(
        ticketId,
        'requester',
        email,
        'Requester',
        channel,
        `We have a problem with ${topic}.`,
        createdAt,
      );
      insertMessage.run(
        ticketId,
        'agent',
        'agent@msix-assist.localhost',
        'Agent',
        'web',
        `Here is how to handle ${topic}.`,
        iso(2),
      );
    }
  })();
  sqlite.pragma('optimize');
  return agents;
}

function renderTable(figures: DeskBenchFigures): string {
  const format = (value: number) => (value < 10 ? value.toFixed(3) : value.toFixed(1));
  const lines = [
    `Help desk with ${figures.seededTickets.toLocaleString('en-US')} tickets on file (two messages each), in one SQLite file.`,
    "The product column calls the product's services (createTicket, listQueue); the baseline replays the same SQL",
    'statements through raw better-sqlite3 with prepared statements kept between calls. Times are per operation, one',
    'operation at a time; throughput is operations per second over the whole series.',
    '',
    '| operation | runs | product p50 ms | product p95 ms | product ops/s | baseline p50 ms | baseline p95 ms | baseline ops/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...figures.rows.map(
      (row) =>
        `| ${row.operation} | ${row.product.operations} | ${format(row.product.p50Ms)} | ${format(row.product.p95Ms)} | ${Math.round(row.product.perSecond)} | ${format(row.baseline.p50Ms)} | ${format(row.baseline.p95Ms)} | ${Math.round(row.baseline.perSecond)} |`,
    ),
  ];
  return lines.join('\n');
}
