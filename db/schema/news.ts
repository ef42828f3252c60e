/**
 * 工会动态: news items officers publish, who each was queued for (one row per recipient, so a
 * broadcast that is interrupted resumes without sending anyone a second copy), and the topics
 * people turned off (everyone starts subscribed to every topic).
 */

import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';
import { createdAt } from './columns.ts';
import { people } from './people.ts';

/** Who an item goes to: everyone, the people of some org units (and the units below), or chosen chats. */
export type NewsAudience =
  | { kind: 'everyone' }
  | { kind: 'units'; unitIds: string[] }
  | { kind: 'chats'; chats: { channel: ChannelName; chatId: string }[] };

export const newsItems = pgTable(
  'news_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** news, model_worker (劳模风采), notice, legal (法律知识) or activity: flows/news/topics.ts. */
    topic: text('topic').notNull(),
    title: text('title').notNull(),
    /** Markdown; shown on the item's page. */
    body: text('body').notNull(),
    imageUrl: text('image_url'),
    audience: jsonb('audience').$type<NewsAudience>().notNull(),
    /** When it goes out; a broadcast starts at the first tick after it. */
    publishAt: timestamp('publish_at', { withTimezone: true }).notNull(),
    /** scheduled → sending (recipients being queued) → sent (all queued), or cancelled before it went out. */
    status: text('status', { enum: ['scheduled', 'sending', 'sent', 'cancelled'] })
      .notNull()
      .default('scheduled'),
    /** Resume point of the broadcast: the last recipient key queued, in key order. */
    cursor: text('cursor'),
    queued: integer('queued').notNull().default(0),
    /** The officer who published it in chat (null from the officer API). */
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('news_items_due_idx').on(t.status, t.publishAt)],
);

export const newsRecipients = pgTable(
  'news_recipients',
  {
    newsId: uuid('news_id')
      .notNull()
      .references(() => newsItems.id),
    /** A person's id, or channel:chatId for a group chat. */
    recipient: text('recipient').notNull(),
    /** The outbox row's uuid (its idempotency key), chosen before either row is written. */
    outboxUuid: uuid('outbox_uuid').notNull(),
  },
  (t) => [primaryKey({ columns: [t.newsId, t.recipient] })],
);

export const newsOptOuts = pgTable(
  'news_opt_outs',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    topic: text('topic').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.topic] })],
);

export type NewsItemRow = typeof newsItems.$inferSelect;
