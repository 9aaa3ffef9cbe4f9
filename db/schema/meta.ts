import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Installation-wide facts, such as when the database was first set up. */
export const appMeta = sqliteTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});
