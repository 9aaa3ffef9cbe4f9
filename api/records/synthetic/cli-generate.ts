/** `npm run records -- generate --students N --out DIR [--seed S]`: writes synthetic upload files for all states. */
import { parseArgs } from 'node:util';
import { generateRecords } from './generate';
import { DirectorySink } from './writer';

const usage = `Usage: npm run records -- generate --students N --out DIR [--seed S]

  --students N   Number of distinct children to generate, 1 to 2000000. Children who moved
                 are reported by several states, so students.csv rows outnumber children.
  --out DIR      Folder to write: one folder per state (DIR/CA/students.csv and the other
                 upload files) and DIR/truth.csv (state, state_student_id, true_child_id).
  --seed S       Whole number that makes the output repeatable (default 1).

Import a state's folder with: npm run records -- import --state CA DIR/CA`;

const maxChildren = 2_000_000;

/** Command-line entry point; returns the process exit code. */
export async function run(args: string[]): Promise<number> {
  let values: { students?: string; out?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        students: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 1;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }

  const children = Number(values.students);
  if (!values.students || !Number.isInteger(children) || children < 1 || children > maxChildren) {
    console.error(
      `--students must be a whole number from 1 to ${maxChildren}; got ${values.students ?? 'nothing'}.\n\n${usage}`,
    );
    return 1;
  }
  if (!values.out) {
    console.error(`--out is missing: give the folder to write the files to.\n\n${usage}`);
    return 1;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    console.error(`--seed must be a whole number from 0 to ${0xffffffff}; got ${values.seed}.\n\n${usage}`);
    return 1;
  }

  const sink = new DirectorySink(values.out);
  const summary = generateRecords({ children, seed, today: new Date() }, sink);
  sink.close();
  console.log(
    `Wrote ${summary.reports} student records of ${summary.children} children ` +
      `(${summary.childrenInSeveralStates} reported by several states, ${summary.twinPairs} twin pairs) ` +
      `for ${summary.states.length} states to ${values.out}; the true identities are in truth.csv.`,
  );
  return 0;
}
