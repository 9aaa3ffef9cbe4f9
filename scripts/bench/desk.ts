/** `npm run bench -- desk`: not measured yet. */
export async function benchDesk(log: (message: string) => void): Promise<{ figures: unknown; table: string }> {
  log('desk: not measured yet');
  return { figures: {}, table: 'Not measured yet.' };
}
