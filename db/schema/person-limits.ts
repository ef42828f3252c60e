/**
 * Per-person limits and delivery memory shared by every instance on one database, so a person
 * behind a round-robin balancer meets one limit, and a message delivered again to another
 * instance is recognised there. Keys are keyed hashes (the app's data key), never ids in clear,
 * and rows live for minutes (limits) or a day (deliveries): see src/pipeline/person-limits.ts.
 */
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const personLimits = pgTable('person_limits', {
  /** The limit's name and the keyed hash of whom it counts and the minute, e.g. `votes:3f9a…`. */
  key: text('key').primaryKey(),
  /** The minute counted. */
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  /** Counted in that minute. */
  used: integer('used').notNull(),
});

export const recentDeliveries = pgTable('recent_deliveries', {
  /** The keyed hash of a platform's delivery key (a Lark message id answered by poll code). */
  key: text('key').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
});
