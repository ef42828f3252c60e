/**
 * 工会动态 in the database: items, who may read them, people's topic opt-outs, and the next batch
 * of a broadcast's recipients in a stable order (so a broadcast can resume from its cursor).
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import { type Db, queryRows } from '../../../db/handle.ts';
import { type NewsAudience, type NewsItemRow, newsItems, newsOptOuts } from '../../../db/schema/index.ts';
import type { NewsBrief } from '../../../flows/news/effects.ts';
import { isNewsTopic, type NewsTopic, newsTopics } from '../../../flows/news/topics.ts';
import type { Lang } from '../../../kernel/l10n.ts';
import { summarize } from '../../kernel/markdown.ts';
import { inUnitTree, peopleWithReach } from '../people/audience.ts';

/** How long a chat summary of an item is, in characters. */
export const summaryLength = 120;

export const newsPageUrl = (publicUrl: string, id: string) => `${publicUrl}/news/${id}`;

export function briefOf(row: NewsItemRow, publicUrl: string): NewsBrief {
  return {
    id: row.id,
    topic: isNewsTopic(row.topic) ? row.topic : 'news',
    title: row.title,
    summary: summarize(row.body, summaryLength),
    url: newsPageUrl(publicUrl, row.id),
    publishedAt: (row.sentAt ?? row.publishAt).toISOString(),
  };
}

/**
 * The latest items that went out to everyone or to this person (items sent only to group chats
 * are read there), newest first.
 */
export async function latestNews(db: Db, personId: string, limit: number, publicUrl: string) {
  const rows = await db
    .select()
    .from(newsItems)
    .where(
      and(
        inArray(newsItems.status, ['sending', 'sent']),
        sql`(${newsItems.audience}->>'kind' = 'everyone' or exists (
              select 1 from news_recipients r where r.news_id = "news_items"."id" and r.recipient = ${personId}))`,
      ),
    )
    .orderBy(desc(newsItems.publishAt), desc(newsItems.createdAt))
    .limit(limit);
  return rows.map((row) => briefOf(row, publicUrl));
}

/** Turns a topic (or all) on or off for the person when asked; resolves to the topics they turned off. */
export async function changeSubscriptions(
  db: Db,
  personId: string,
  change: { topic: NewsTopic | 'all'; on: boolean } | null,
  now: Date,
): Promise<NewsTopic[]> {
  if (change) {
    const topics = change.topic === 'all' ? [...newsTopics] : [change.topic];
    if (change.on) {
      await db
        .delete(newsOptOuts)
        .where(and(eq(newsOptOuts.personId, personId), inArray(newsOptOuts.topic, topics)));
    } else {
      await db
        .insert(newsOptOuts)
        .values(topics.map((topic) => ({ personId, topic, createdAt: now })))
        .onConflictDoNothing();
    }
  }
  const rows = await db
    .select({ topic: newsOptOuts.topic })
    .from(newsOptOuts)
    .where(eq(newsOptOuts.personId, personId));
  const off = new Set(rows.map((r) => r.topic));
  return newsTopics.filter((topic) => off.has(topic));
}

/** One recipient of a broadcast: a person (in their latest private chat, or by Lark open_id) or a group chat. */
export interface NewsRecipient {
  /** The person's id, or channel:chatId for a group chat; unique per item and in cursor order. */
  key: string;
  channel: ChannelName;
  chatId: string;
  language: Lang;
}

/**
 * The next recipients after `cursor`, in key order. People who turned the item's topic off, and
 * people the bot has no way to reach, are passed over.
 */
export async function nextRecipients(
  db: Db,
  item: Pick<NewsItemRow, 'topic' | 'audience'>,
  cursor: string | null,
  limit: number,
): Promise<NewsRecipient[]> {
  const audience: NewsAudience = item.audience;
  if (audience.kind === 'chats') {
    // A chat named twice is one recipient: keys must be unique for the cursor and the batch.
    const byKey = new Map<string, NewsRecipient>();
    for (const chat of audience.chats) {
      const key = `${chat.channel}:${chat.chatId}`;
      byKey.set(key, { key, channel: chat.channel, chatId: chat.chatId, language: 'zh' });
    }
    return [...byKey.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .filter((r) => cursor === null || r.key > cursor)
      .slice(0, limit);
  }
  const inUnits = audience.kind === 'units' ? inUnitTree(audience.unitIds) : sql``;
  const after = cursor === null ? sql`` : sql`and p.id > ${cursor}::uuid`;
  const rows = await queryRows<{ id: string; language: Lang; channel: ChannelName; chat_id: string }>(
    db,
    sql`select p.id, p.language, reach.channel, reach.chat_id
        from ${peopleWithReach}
        where reach.chat_id is not null
          and not exists (
            select 1 from news_opt_outs o where o.person_id = p.id and o.topic = ${item.topic})
          ${inUnits}
          ${after}
        order by p.id
        limit ${limit}`,
  );
  return rows.map((r) => ({ key: r.id, channel: r.channel, chatId: r.chat_id, language: r.language }));
}

/** An item with how far its broadcast got: queued, sent and failed deliveries. */
export async function newsWithProgress(db: Db, where?: ReturnType<typeof eq>) {
  const rows = await db
    .select({
      item: newsItems,
      sent: sql<number>`(select count(*)::int from news_recipients r join outbox o on o.uuid = r.outbox_uuid
                        where r.news_id = "news_items"."id" and o.status = 'sent')`,
      failed: sql<number>`(select count(*)::int from news_recipients r join outbox o on o.uuid = r.outbox_uuid
                          where r.news_id = "news_items"."id" and o.status = 'failed')`,
    })
    .from(newsItems)
    .where(where)
    .orderBy(desc(newsItems.publishAt))
    .limit(100);
  return rows.map(({ item, sent, failed }) => ({ ...item, sent: Number(sent), failed: Number(failed) }));
}
