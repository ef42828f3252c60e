/**
 * A 工会动态 broadcast cut short (its instance died with rows leased and its cursor lost) resumes on
 * another instance without sending anyone a second copy: every one of 1,200 members of an org unit
 * gets the item once, recorded once, and the item ends sent.
 */
import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/handle.ts';
import { conversations, newsItems, newsRecipients, outbox, people } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { openedOutbox } from '../../support/outbox.ts';
import { createStack, testKeyRing, useStack } from '../../support/stack.ts';
import { env, newsApi } from './news-helpers.ts';

let clock = new Date('2026-03-02T01:00:00Z');
const fixture = useStack({ now: () => clock, env });
const { publish, item, createUnit } = newsApi(fixture, {
  now: () => clock,
  set: (next) => {
    clock = next;
  },
});

describe(`union news (${primaryKind})`, () => {
  it('resumes a broadcast cut short on another instance without sending anyone a second copy', async () => {
    const n = 1200;
    const db = fixture.database.db;
    const unit = await createUnit('大型林业集团工会');
    const chatIds: string[] = [];
    for (let from = 0; from < n; from += 400) {
      const size = Math.min(400, n - from);
      const rows = await db
        .insert(people)
        .values(Array.from({ length: size }, (_, i) => ({ displayName: `职工${from + i}`, orgUnitId: unit })))
        .returning({ id: people.id });
      const chats = rows.map((row, i) => ({ personId: row.id, chatId: `bulk-${from + i}` }));
      await db.insert(conversations).values(
        chats.map((c) => ({
          key: `web:${c.chatId}:${c.chatId}`,
          channel: 'web' as const,
          chatId: c.chatId,
          chatType: 'private' as const,
          personId: c.personId,
        })),
      );
      chatIds.push(...chats.map((c) => c.chatId));
    }

    const big = await publish({
      title: '集团年度表彰大会',
      audience: { kind: 'units', unitIds: [unit] },
    });
    const first = fixture.stack.services.jobs;
    // Two batches go out; the third waits, since a thousand bulk rows are already queued.
    expect(await first.broadcast()).toBe(500);
    expect(await first.broadcast()).toBe(500);
    expect(await first.broadcast()).toBe(0);
    expect(await item(big.id)).toMatchObject({ status: 'sending', queued: 1000 });
    await first.dispatch();
    // The instance dies with some rows leased; their leases run out.
    await db.execute(sql`update outbox set status = 'sending', lease_until = now() - interval '1 second'
      where id in (select id from outbox where status = 'pending' and priority = 1 order by id limit 5)`);
    // Worse, its cursor is lost: those already queued are passed over, not queued again.
    await db.update(newsItems).set({ cursor: null }).where(eq(newsItems.id, big.id));

    const second = createStack(fixture.database, { now: () => clock, env });
    await second.drain();

    const perChat = [
      ...(await openedOutbox(db, second.keyRing))
        .filter((row) => row.message.url === big.url)
        .reduce((chats, row) => {
          const chat = chats.get(row.to) ?? { chatId: row.to, copies: 0, sent: 0 };
          chat.copies++;
          if (row.status === 'sent') chat.sent++;
          return chats.set(row.to, chat);
        }, new Map<string, { chatId: string; copies: number; sent: number }>())
        .values(),
    ];
    expect(perChat).toHaveLength(n);
    expect(perChat.every((row) => row.copies === 1 && Number(row.sent) === 1)).toBe(true);
    expect(new Set(perChat.map((row) => row.chatId))).toEqual(new Set(chatIds));

    const [joined] = await db
      .select({
        recipients: count(),
        sent: sql<number>`count(*) filter (where ${outbox.status} = 'sent')::int`,
      })
      .from(newsRecipients)
      .innerJoin(outbox, eq(outbox.uuid, newsRecipients.outboxUuid))
      .where(eq(newsRecipients.newsId, big.id));
    expect({ recipients: joined!.recipients, sent: Number(joined!.sent) }).toEqual({
      recipients: n,
      sent: n,
    });
    // Each web visitor's history holds the item once (sealed: opened to read its link).
    const stored = await queryRows<{ payload: { sealed: string } }>(
      db,
      sql`select payload from web_chat_messages where direction = 'out' and visitor_id like 'bulk-%'`,
    );
    const bubbles = await Promise.all(
      stored.map(
        async (r) => JSON.parse(await testKeyRing.open(r.payload.sealed)) as { link?: { url: string } },
      ),
    );
    expect(bubbles.filter((b) => b.link?.url === big.url)).toHaveLength(n);
    expect(await item(big.id)).toMatchObject({ status: 'sent', queued: n, sent: n, failed: 0 });
    const [stillSending] = await db
      .select({ n: count() })
      .from(newsItems)
      .where(eq(newsItems.status, 'sending'));
    expect(stillSending!.n).toBe(0);
  });
});
