/** Command-line entry point; returns the process exit code. */
export async function run(args: string[]): Promise<number> {
  console.error(`Not built yet (arguments: ${args.length}).`);
  return 1;
}
