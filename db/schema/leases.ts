/**
 * Leases: something only one instance may do at a time (log in to the WeChat account), held by
 * the instance that renews it before it lapses; another may take it once it has.
 */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const leases = pgTable('leases', {
  /** What is held, e.g. `wechat`. */
  name: text('name').primaryKey(),
  /** Which instance holds it (host, process and a random part; no person). */
  holder: text('holder').notNull(),
  /** By the database's clock: past this, another instance may take it. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
