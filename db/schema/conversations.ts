/** Where each conversation stands in its flow, so a restart or another instance continues it. */

import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';
import { createdAt, updatedAt } from './columns.ts';
import { people } from './people.ts';

export const conversations = pgTable(
  'conversations',
  {
    /** channel + chat (+ person in group chats); the unit of ordering for inbound events. */
    key: text('key').primaryKey(),
    channel: text('channel').$type<ChannelName>().notNull(),
    chatId: text('chat_id').notNull(),
    /** private or group: officers are reached in their latest private chat with the bot. */
    chatType: text('chat_type', { enum: ['private', 'group'] }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** Active flow, or null when the person is not in the middle of anything. */
    flow: text('flow'),
    flowVersion: integer('flow_version'),
    step: text('step'),
    /** The flow's collected answers and the steps behind it (for 上一步/back). */
    state: jsonb('state').$type<Record<string, unknown>>(),
    /** When the active flow is abandoned if nothing more arrives. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** When the person was reminded of the half-done flow (once per flow; cleared when it moves on). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversations_expires_idx').on(t.expiresAt),
    index('conversations_person_idx').on(t.personId, t.updatedAt),
  ],
);

export type ConversationRow = typeof conversations.$inferSelect;
