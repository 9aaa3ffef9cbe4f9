/** `npm run bench -- linking`: not measured yet. */
export async function benchLinking(log: (message: string) => void): Promise<{ figures: unknown; table: string }> {
  log('linking: not measured yet');
  return { figures: {}, table: 'Not measured yet.' };
}
