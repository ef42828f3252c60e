/**
 * WeChat's pace under a burst: one message a second per chat and 20 a minute overall, on a fake
 * clock; a send that would wait long is put back in the outbox without using up a try.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Pacing } from '../../../bots/wechat/pacing.ts';
import { createWechatSender, type WechatTarget } from '../../../bots/wechat/sender.ts';
import { outbox } from '../../../db/schema/index.ts';
import { createLogger } from '../../../src/kernel/log.ts';
import { createMetrics } from '../../../src/kernel/metrics.ts';
import { enqueue } from '../../../src/pipeline/outbox.ts';
import { createOutboxDispatcher } from '../../../src/pipeline/outbox-dispatcher.ts';
import { useStack } from '../../support/stack.ts';

const message = { type: 'text' as const, text: '通知' };

describe('the WeChat pace', () => {
  it('keeps 1 a second per chat and 20 a minute overall through a burst', async () => {
    let now = 0;
    const sent: { chat: string; at: number }[] = [];
    const target: WechatTarget = {
      ready: () => true,
      say: async (chatId) => {
        sent.push({ chat: chatId, at: now });
        return null;
      },
    };
    const sender = createWechatSender(
      target,
      new Pacing({ perChatPerSecond: 1, perMinute: 20 }, () => now),
      async (ms) => {
        now += ms;
      },
    );
    const results = [];
    // 40 messages to 4 chats at once; the outbox would offer them again once put back.
    for (let i = 0; i < 40; i++) {
      results.push(
        await sender.send({ channel: 'wechat', chatId: `c${i % 4}`, idempotencyKey: `k${i}`, message }),
      );
    }
    const deferred = results.filter((r) => !r.ok && r.deferred);
    expect(sent).toHaveLength(20);
    expect(deferred).toHaveLength(20);
    for (const r of deferred) if (!r.ok) expect(r.retryAfterMs).toBeGreaterThan(0);
    for (const chat of ['c0', 'c1', 'c2', 'c3']) {
      const times = sent.filter((s) => s.chat === chat).map((s) => s.at);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    }
    for (const s of sent)
      expect(sent.filter((o) => o.at > s.at - 60_000 && o.at <= s.at).length).toBeLessThanOrEqual(20);
  });
});

describe('a send held back by the pace', () => {
  const fixture = useStack();

  it('goes back to the outbox for later without using up a try', async () => {
    const delivered: string[] = [];
    const target: WechatTarget = {
      ready: () => true,
      say: async (chatId) => {
        delivered.push(chatId);
        return null;
      },
    };
    const sender = createWechatSender(target, new Pacing({ perChatPerSecond: 1, perMinute: 2 }));
    // The stack's own dispatcher with this sender in place of a real account.
    const db = fixture.database.db;
    await enqueue(
      db,
      fixture.stack.keyRing,
      ['w1', 'w2', 'w3'].map((chatId) => ({ channel: 'wechat' as const, chatId, message })),
    );
    const dispatch = createOutboxDispatcher(
      { db, keys: fixture.stack.keyRing, log: createLogger('error'), metrics: createMetrics() },
      { senders: new Map([['wechat', sender]]), maxAttempts: 3, leaseSeconds: 30 },
    );
    await dispatch();
    expect(delivered.sort()).toEqual(['w1', 'w2']);
    const [held] = await db.select().from(outbox).where(eq(outbox.chatId, 'w3'));
    expect(held?.status).toBe('pending');
    expect(held?.attempts).toBe(0);
    expect(held!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);
  });
});
