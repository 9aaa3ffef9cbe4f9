import { defineConfig } from 'drizzle-kit';
import { defaultDatabasePath } from './db/defaults';

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  dbCredentials: { url: process.env.DATABASE_PATH || defaultDatabasePath },
});
