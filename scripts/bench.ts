/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all when none is
 * named), appends their tables to docs/benchmarks.md and ends with one line
 * `BENCH {json}` holding every figure.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchDashboard } from './bench/dashboard';
import { benchDesk } from './bench/desk';
import { benchLinking } from './bench/linking';
import { benchMail, type MailBenchFigures } from './bench/mail';
import { benchRecords } from './bench/records';
import { benchSite, type SiteBuildFigures } from './bench/site';

const benchmarks = {
  site: async () => {
    const figures = await benchSite((message) => console.log(message));
    return { figures, table: siteTable(figures) };
  },
  mail: async () => {
    const figures = await benchMail((message) => console.log(message));
    return { figures, table: mailTable(figures) };
  },
  // These modules build their own tables.
  dashboard: () => benchDashboard((message) => console.log(message)),
  desk: () => benchDesk((message) => console.log(message)),
  linking: () => benchLinking((message) => console.log(message)),
  records: () => benchRecords((message) => console.log(message)),
} as const;

type BenchmarkName = keyof typeof benchmarks;
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${Object.keys(benchmarks).join(', ')}.`);
  process.exit(1);
}
const names = (requested.length > 0 ? requested : Object.keys(benchmarks)) as BenchmarkName[];

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
const results: Record<string, unknown> = {};
const report = 'docs/benchmarks.md';
if (!existsSync(report)) {
  writeFileSync(report, '# Benchmarks\n\nEach run of `npm run bench` appends its tables here, newest last.\n');
}

for (const name of names) {
  const { figures, table } = await benchmarks[name]();
  results[name] = figures;
  appendFileSync(report, `\n## ${name}: ${new Date().toISOString()}\n\nMachine: ${machine}.\n\n${table}\n`);
}

console.log(`Tables appended to ${report}.`);
console.log(`BENCH ${JSON.stringify({ machine, results })}`);

function siteTable(figures: SiteBuildFigures[]): string {
  const baseline = figures.find((figure) => figure.label.includes('baseline'));
  const rows = figures.map((figure) => {
    const relative = baseline ? `${round(figure.buildMsPerPage / baseline.buildMsPerPage)}×` : 'n/a';
    const cold = figure.coldQueryBytes === null ? 'n/a' : `${Math.round(figure.coldQueryBytes / 1024)} KiB`;
    return `| ${figure.label} | ${figure.pages} | ${figure.buildSeconds} | ${figure.buildMsPerPage} | ${relative} | ${figure.indexSeconds} | ${Math.round(figure.indexBytes / 1024)} KiB | ${figure.indexBytesPerPage} | ${cold} |`;
  });
  return [
    '`astro build` wall time and pagefind indexing time; "vs baseline" compares build time per page with the minimal Astro site built from the same generated content in this run. Cold query: bytes of /pagefind/ responses (body and headers) that Chromium fetched for one search with an empty cache. Fixed costs (compiling the design system\'s Sass, bundling scripts) weigh most on small builds, so compare per-page cost on the generated rows.',
    '',
    '| build | pages | build s | build ms/page | vs baseline | index s | index size | index bytes/page | cold query |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function mailTable(figures: MailBenchFigures): string {
  const baseline = figures.throughput.find((figure) => figure.label.includes('baseline'));
  const throughputRows = figures.throughput.map((figure) => {
    const relative = baseline ? `${round(figure.messagesPerSecond / baseline.messagesPerSecond)}×` : 'n/a';
    return `| ${figure.label} | ${figure.messages} | ${figure.complete ? 'yes' : 'no, time limit'} | ${figure.seconds} | ${figure.messagesPerSecond} | ${relative} |`;
  });
  const memoryRows = figures.memory.map(
    (figure) =>
      `| ${figure.recipients} | ${figure.phase} | ${figure.items} | ${figure.seconds} | ${figure.rssBeforeMiB} | ${figure.peakRssMiB} | ${figure.heapUsedBeforeMiB} | ${figure.peakHeapUsedMiB} |`,
  );
  return [
    `Throughput: one campaign of ${figures.recipients} recipients sent to an smtp-server sink on 127.0.0.1, in one process; each worker run stops at its time limit. "vs baseline" compares messages per second with the raw SMTP client, which sends the same delivery rows, composed by the same MIME composer, on one connection, without the outbox's claims, leases, rate limit and status updates. The sink, smtp-server 3.21.6, waits 100 ms before it greets each new connection (its check for clients that talk too early), so a sender that opens one connection per message pays that on every message. Creating the ${figures.recipients} deliveries took ${figures.deliveryCreation.seconds} s (${figures.deliveryCreation.deliveriesPerSecond} per second).`,
    '',
    '| sender | messages accepted | whole campaign | seconds | messages/s | vs baseline |',
    '|---|---|---|---|---|---|',
    ...throughputRows,
    '',
    'Memory: a fresh process per size; RSS and V8 heap used after a full garbage collection at the start of each phase, and their peaks, sampled every 10 ms, while the deliveries are created and while the outbox worker sends (for a fixed time, so "items" is the messages sent then). Flat means the peaks do not grow with the number of recipients.',
    '',
    '| recipients | phase | items | seconds | RSS before MiB | peak RSS MiB | heap before MiB | peak heap MiB |',
    '|---|---|---|---|---|---|---|---|',
    ...memoryRows,
  ].join('\n');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
