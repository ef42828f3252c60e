/**
 * Reads of an enterprise directory into the roster (飞书通讯录同步): asked for by the daily
 * schedule or by an admin, claimed by one instance, and finished with what they did or why not.
 */
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

export interface DirectorySyncResult {
  unitsCreated: number;
  unitsUpdated: number;
  peopleCreated: number;
  peopleUpdated: number;
  /** Accounts bound to people already on the roster (by 工号) or merged into them. */
  bound: number;
  /** People skipped: their 工号 belongs to someone else already bound to another account. */
  conflicts: number;
}

export const directorySyncs = pgTable(
  'directory_syncs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** 'pending', 'running', 'done' or 'failed'. */
    status: text('status', { enum: ['pending', 'running', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    /** 'schedule' or an admin (audit actor id). */
    requestedBy: text('requested_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    result: jsonb('result').$type<DirectorySyncResult>(),
    /** Why it failed, as the platform said (a missing scope is named). */
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [index('directory_syncs_status_idx').on(t.status, t.id)],
);

export type DirectorySyncRow = typeof directorySyncs.$inferSelect;
