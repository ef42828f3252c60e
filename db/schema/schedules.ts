/**
 * Schedules kept in the database: a cron expression in a time zone, what kind of work it queues
 * and with what payload, and when it next fires. Each fire time is claimed once in
 * schedule_runs, whichever instance's tick gets there first.
 */
import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** What a schedule can queue when it fires; each has a handler, composed in src/runtime/services-jobs.ts. */
export const scheduleKinds = [
  'message',
  'digest',
  'weekly_summary',
  'poll',
  'reminders',
  'directory_sync',
] as const;
export type ScheduleKind = (typeof scheduleKinds)[number];

export const schedules = pgTable('schedules', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** A short number officers can type in chat (定时 暂停 3). */
  no: integer('no').notNull().generatedAlwaysAsIdentity().unique('schedules_no_uq'),
  name: text('name').notNull(),
  /** Set for schedules the server keeps itself (digest:<person>, weekly:<person>, reminders), so each exists once. */
  systemKey: text('system_key').unique('schedules_system_key_uq'),
  /** Five fields: minute hour day month weekday (src/pipeline/schedules/cron.ts). */
  cron: text('cron').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  /** What a fire queues (e.g. message). */
  kind: text('kind').$type<ScheduleKind>().notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  nextFireAt: timestamp('next_fire_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => schedules.id),
    fireAt: timestamp('fire_at', { withTimezone: true }).notNull(),
    /** claimed (its work was queued), missed (too old to catch up), manual (run now by an officer) or failed (its work could not be queued). */
    status: text('status', { enum: ['claimed', 'missed', 'manual', 'failed'] }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.fireAt] })],
);

export type ScheduleRow = typeof schedules.$inferSelect;
