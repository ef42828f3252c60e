/**
 * A roster file an admin uploaded, held between its preview and its import: the rows it read,
 * sealed (they hold phone numbers), until it is imported, when they are dropped and only the
 * counts of what it did are kept.
 */
import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

export interface RosterImportResult {
  created: number;
  updated: number;
  unchanged: number;
  unitsCreated: number;
}

export const rosterImports = pgTable('roster_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  fileName: text('file_name').notNull(),
  /** Who uploaded it (a person's id; null for a session signed in with the admin token). */
  uploadedBy: uuid('uploaded_by'),
  /** The rows read from the file as sealed JSON; null once imported. */
  rows: text('rows'),
  importedAt: timestamp('imported_at', { withTimezone: true }),
  result: jsonb('result').$type<RosterImportResult>(),
  createdAt: createdAt(),
});

export type RosterImportRow = typeof rosterImports.$inferSelect;
