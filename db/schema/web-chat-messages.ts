/** The web chat's own message store: what the visitor sent and what the bot delivered, for history. */
import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const webChatMessages = pgTable(
  'web_chat_messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The visitor id from the signed cookie; also the chat id of the web channel. */
    visitorId: text('visitor_id').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    /** `{ sealed }` with the data key: in, { text } or { label }; out, the bubble shown. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** A tag naming no one, to find bubbles without opening them (`poll-reminder:<poll id>`). */
    topic: text('topic'),
    /** in: the browser's id for the message (dedupe); out: the outbox uuid (idempotent delivery). */
    messageKey: text('message_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('web_chat_messages_key_uq').on(t.visitorId, t.direction, t.messageKey),
    index('web_chat_messages_visitor_idx').on(t.visitorId, t.id),
    index('web_chat_messages_topic_idx').on(t.topic).where(sql`${t.topic} is not null`),
  ],
);

export type WebChatMessageRow = typeof webChatMessages.$inferSelect;
