/** Checks every file under content/ against its collection schema; exits 1 on any problem. */
import { checkContent } from './lib/content-check';

const report = checkContent(process.cwd());
const counts = new Map<string, number>();
for (const entry of report.entries) counts.set(entry.collection, (counts.get(entry.collection) ?? 0) + 1);

if (report.problems.length > 0) {
  console.error(`Content check failed with ${report.problems.length} problem(s):`);
  for (const problem of report.problems) console.error(`  - ${problem}`);
  process.exit(1);
}

const summary = [...counts].map(([collection, count]) => `${collection}: ${count}`).join(', ');
console.log(`Content check passed (${summary || 'no entries'}).`);
