/**
 * `npm run records -- <command>`: the records exchange from the command line.
 *
 *   import --state XX DIR           import a state's MDE files from DIR
 *   generate --students N --out DIR write synthetic upload files for all states
 *   export-ids --state XX           write the state's MSIX ID crosswalk as CSV to standard output
 */
const usage = `Usage: npm run records -- <command>

  import --state XX DIR             Import a state's MDE upload files (students.csv and the others) from DIR.
  generate --students N --out DIR   Write synthetic upload files for all states, and the true identities, to DIR.
  export-ids --state XX             Write the state's crosswalk (state_student_id,msix_id) as CSV to standard output.
`;

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, () => Promise<{ run: (args: string[]) => Promise<number> }>> = {
  import: () => import('../records/uploads/cli-import'),
  generate: () => import('../records/synthetic/cli-generate'),
  'export-ids': () => import('../records/worklists/cli-export-ids'),
};

const load = command ? commands[command] : undefined;
if (!load) {
  console.error(command ? `Unknown command "${command}".\n\n${usage}` : usage);
  process.exit(command ? 1 : 0);
}
const { run } = await load();
process.exitCode = await run(rest);
export {};
