/**
 * Send slots shared by every instance (the Workers build, where each invocation is a fresh
 * instance): one row per limit key, counting sends in its current fixed window.
 */
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const sendBudget = pgTable('send_budget', {
  /** The limit and what it counts, e.g. `lark:app:s@100` (sends per 100 ms window for the app). */
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true, precision: 3 }).notNull(),
  windowMs: integer('window_ms').notNull(),
  used: integer('used').notNull(),
});
