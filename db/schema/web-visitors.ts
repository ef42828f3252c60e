/**
 * One row per web chat visitor. Every message write for a visitor first touches this row, which
 * serialises them, so message ids become visible in id order and a long poll never skips one.
 */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

export const webVisitors = pgTable('web_visitors', {
  visitorId: text('visitor_id').primaryKey(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: createdAt(),
});
