/** Every accepted inbound event, written before the channel is acknowledged; unique per dedupe key. */

import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';

export const inbox = pgTable(
  'inbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    channel: text('channel').$type<ChannelName>().notNull(),
    /** web: visitor + client message id; lark: event_id / message_id. */
    dedupeKey: text('dedupe_key').notNull().unique('inbox_dedupe_key_uq'),
    conversationKey: text('conversation_key').notNull(),
    /** `{ sealed }`: the neutral Inbound event (bots/core), sealed with the data key at intake. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** pending → done, or failed after repeated errors. */
    status: text('status', { enum: ['pending', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** After a processing error, the event waits until then (backoff) while later ones of its conversation wait too. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    index('inbox_pending_idx').on(t.status, t.id),
    index('inbox_conversation_idx').on(t.conversationKey, t.status, t.id),
  ],
);

export type InboxRow = typeof inbox.$inferSelect;
