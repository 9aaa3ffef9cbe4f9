import path from 'node:path';

/** The site URL tests build with; it matches `npm start` on its default port, so both reuse one build. */
export const testSiteUrl = 'http://localhost:4321';

export const rootDirectory = process.cwd();
export const distDirectory = path.join(rootDirectory, 'dist');
