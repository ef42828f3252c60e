/**
 * Broadcast batches handed to another sender (the Workers queue): the dispatcher leaves those rows
 * to it for a while, sends the ones it is given by uuid, still sends replies at once, and takes the
 * handed-off rows over itself once they are older than the hand-off time, so a hand-off that never
 * arrives (or could not be made) loses nothing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { ChannelSender, OutboundEnvelope } from '../../../bots/core/messenger.ts';
import { outbox } from '../../../db/schema/index.ts';
import { createNewsBroadcast } from '../../../src/domains/news/broadcast.ts';
import { publishNews } from '../../../src/domains/news/publish.ts';
import { createKeyRing, generateDataKey } from '../../../src/kernel/crypto/sealed.ts';
import { createLogger } from '../../../src/kernel/log.ts';
import { createMetrics } from '../../../src/kernel/metrics.ts';
import { enqueue } from '../../../src/pipeline/outbox.ts';
import { createOutboxDispatcher } from '../../../src/pipeline/outbox-dispatcher.ts';
import { databaseKinds, useDatabase } from '../../support/databases.ts';

function recordingSender(): ChannelSender & { sent: OutboundEnvelope[] } {
  const sent: OutboundEnvelope[] = [];
  return {
    channel: 'lark',
    sent,
    async send(envelope) {
      sent.push(envelope);
      return { ok: true, platformMessageId: `om_${sent.length}` };
    },
  };
}

const keys = createKeyRing(generateDataKey());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(databaseKinds)('broadcast hand-off on %s', (kind) => {
  const database = useDatabase(kind);

  async function publish(title: string, chats: string[]) {
    const published = await publishNews(
      database.db,
      {
        topic: 'notice',
        title,
        body: '请各位会员按时参加。',
        audience: { kind: 'chats', chats: chats.map((chatId) => ({ channel: 'lark', chatId })) },
      },
      { now: new Date(), actor: { type: 'admin_token', id: null } },
    );
    if (!published.ok) throw new Error('not published');
    return published.row;
  }

  it('leaves handed-off rows to their taker, then sends what is left after the hand-off time', async () => {
    const lines: string[] = [];
    const log = createLogger('info', (line) => lines.push(line));
    const sender = recordingSender();
    const dispatch = createOutboxDispatcher(
      { db: database.db, keys, log, metrics: createMetrics() },
      { senders: new Map([['lark', sender]]), maxAttempts: 5, bulkHandoffSeconds: 1 },
    );
    const handed: string[] = [];
    let refuse = false;
    const broadcast = createNewsBroadcast(
      {
        db: database.db,
        log,
        now: () => new Date(),
        publicUrl: 'https://tongxin.example.com',
        timeZone: 'Asia/Shanghai',
        keys,
      },
      {
        handOff: async (uuids) => {
          if (refuse) throw new Error('queue unavailable');
          handed.push(...uuids);
        },
      },
    );

    const chats = ['oc_a1', 'oc_a2', 'oc_a3', 'oc_a4', 'oc_a5'];
    await publish('工会会员大会通知', chats);
    expect(await broadcast()).toBe(6);
    expect(handed).toHaveLength(5);
    // Young bulk rows are the taker's; a reply queued meanwhile goes at once.
    await enqueue(database.db, keys, [
      { channel: 'lark', chatId: 'oc_reply', message: { type: 'text', text: '收到' } },
    ]);
    expect(await dispatch()).toBe(1);
    expect(sender.sent.map((s) => s.chatId)).toEqual(['oc_reply']);
    // The taker sends the rows it was given, by uuid.
    expect(await dispatch({ uuids: handed.slice(0, 2) })).toBe(2);
    expect(await dispatch({ uuids: handed.slice(0, 2) })).toBe(0);
    expect(await dispatch({ uuids: [] })).toBe(0);
    // A reply to a chat whose news the taker has not sent yet: the news goes first, then the reply.
    const [waitingNews] = await database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.priority, 1), eq(outbox.status, 'pending')))
      .limit(1);
    const busy = waitingNews!.chatId;
    await enqueue(database.db, keys, [
      { channel: 'lark', chatId: busy, message: { type: 'text', text: '已受理' } },
    ]);
    expect(await dispatch()).toBe(1);
    expect(await dispatch()).toBe(1);
    expect(sender.sent.slice(-2).map((s) => [s.chatId, s.message.type])).toEqual([
      [busy, 'article'],
      [busy, 'text'],
    ]);
    expect(await dispatch()).toBe(0);
    // The rest it never sent: past the hand-off time the dispatcher sends them, once each.
    await pause(1100);
    expect(await dispatch()).toBe(2);
    expect(await dispatch()).toBe(0);
    const news = sender.sent.filter((s) => s.message.type === 'article');
    expect(news.map((s) => s.chatId).sort()).toEqual(chats);

    // A hand-off that fails is logged and loses nothing.
    refuse = true;
    const others = ['oc_b1', 'oc_b2'];
    await publish('职工书屋开放时间调整', others);
    expect(await broadcast()).toBe(3);
    expect(lines.some((line) => line.includes('"event":"news.handoff_failed"'))).toBe(true);
    const waiting = await database.db.select().from(outbox).where(inArray(outbox.chatId, others));
    expect(waiting.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(await dispatch()).toBe(0);
    await pause(1100);
    expect(await dispatch()).toBe(2);
    const sent = await database.db.select().from(outbox).where(eq(outbox.status, 'sent'));
    expect(sent).toHaveLength(9);
  });
});
