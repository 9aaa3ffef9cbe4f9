/** `npm run bench -- records`: not measured yet. */
export async function benchRecords(log: (message: string) => void): Promise<{ figures: unknown; table: string }> {
  log('records: not measured yet');
  return { figures: {}, table: 'Not measured yet.' };
}
