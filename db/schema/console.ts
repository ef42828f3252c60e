/**
 * The officers' web console: one-time sign-in links sent through the bot, and sessions. Only
 * hashes of the link and session tokens are stored, so a copy of the database cannot sign in.
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { people } from './people.ts';

export const consoleLinks = pgTable('console_links', {
  /** SHA-256 of the token in the link, hex. */
  tokenHash: text('token_hash').primaryKey(),
  personId: uuid('person_id')
    .notNull()
    .references(() => people.id),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** Set when the link is used: it cannot be used again. */
  usedAt: timestamp('used_at', { withTimezone: true }),
});

export const consoleSessions = pgTable(
  'console_sessions',
  {
    /** SHA-256 of the session cookie's token, hex. */
    tokenHash: text('token_hash').primaryKey(),
    /** The officer or admin; null for a session opened with ADMIN_TOKEN. */
    personId: uuid('person_id').references(() => people.id),
    /** The token every form of this session carries (CSRF). */
    csrf: text('csrf').notNull(),
    /** 'zh' or 'en', as switched in the console. */
    language: text('language', { enum: ['zh', 'en'] })
      .notNull()
      .default('zh'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('console_sessions_person_idx').on(t.personId)],
);

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect;
