import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Lists every built HTML page as a site path, such as "/faqs/what-is-an-msix-id/". */
export function listBuiltPages(distDirectory: string, relative = ''): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(path.join(distDirectory, relative), { withFileTypes: true })) {
    const child = path.posix.join(relative, entry.name);
    if (entry.isDirectory() && entry.name !== 'pagefind' && entry.name !== '_astro')
      pages.push(...listBuiltPages(distDirectory, child));
    else if (entry.name === 'index.html') pages.push(`/${relative}${relative ? '/' : ''}`);
    else if (entry.name.endsWith('.html')) pages.push(`/${child}`);
  }
  return pages.sort();
}
