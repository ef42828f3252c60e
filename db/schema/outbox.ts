/** Every message the bot will send, written in the same transaction as the change that caused it. */

import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';

export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Idempotency key handed to the channel (Lark: the message `uuid`), so a retry is never shown twice. */
    uuid: uuid('uuid').notNull().defaultRandom().unique('outbox_uuid_uq'),
    channel: text('channel').$type<ChannelName>().notNull(),
    /**
     * The chat to deliver to, in the channel's own ids; `~` and a keyed hash when the recipient is
     * the author of an anonymous item (the real chat is then inside the sealed payload).
     */
    chatId: text('chat_id').notNull(),
    /** `{ sealed }`: the neutral Outbound message (bots/core), in the recipient's language, sealed with the data key. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** pending → sending (leased) → sent, or failed (permanent error or attempts exhausted). */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    platformMessageId: text('platform_message_id'),
    /** 0 for replies and notices; 1 for bulk sends (news), which wait while replies are due. */
    priority: smallint('priority').notNull().default(0),
    /** A tag naming no one, to find rows without opening their sealed payload (`poll-reminder:<poll id>`). */
    topic: text('topic'),
    /** The inbound event that caused it, when there is one. */
    inboxId: bigint('inbox_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_chat_idx').on(t.channel, t.chatId, t.id),
    /** Finds the card a Lark callback was pressed on, within the callback's 3 seconds. */
    index('outbox_platform_message_idx').on(t.channel, t.platformMessageId),
    index('outbox_topic_idx').on(t.topic).where(sql`${t.topic} is not null`),
  ],
);

export type OutboxRow = typeof outbox.$inferSelect;
