/**
 * The outbox dispatcher on each database: a channel this instance cannot send on left to one that
 * can, failed sends retried with backoff under one idempotency key, permanent failures not
 * retried while a chat's later messages wait in order, a send repeated after its lease ran out
 * shown once, a late outcome from an expired claim kept from overwriting the newer one, and a
 * hanging send given up before its lease ends. The inbox jobs are in jobs.test.ts.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSender, SendResult } from '../../bots/core/messenger.ts';
import { outbox, webChatMessages } from '../../db/schema/index.ts';
import { enqueue } from '../../src/pipeline/outbox.ts';
import { createOutboxDispatcher } from '../../src/pipeline/outbox-dispatcher.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { clearLeftoverWork, keys, log, metrics, repliesIn, scriptedSender } from './job-helpers.ts';

describe.each(databaseKinds)('jobs on %s', (kind) => {
  const database = useDatabase(kind);
  // Each test starts with no work left over from the ones before it.
  beforeEach(() => clearLeftoverWork(database.db));
  const repliesTo = (chat: string) => repliesIn(database.db, chat);

  it('leaves a channel it cannot send on to an instance that can, never marking its rows failed', async () => {
    const chat = `wx_room_${kind}`;
    await enqueue(database.db, keys, [
      { channel: 'wechat', chatId: chat, message: { type: 'text', text: '第一条' } },
      { channel: 'wechat', chatId: chat, message: { type: 'text', text: '第二条' } },
    ]);
    const wechat = { ...scriptedSender(), channel: 'wechat' as const };
    const instance = (senders: ChannelSender[]) =>
      createOutboxDispatcher(
        { db: database.db, keys, log, metrics },
        {
          senders: new Map(senders.map((sender) => [sender.channel, sender])),
          maxAttempts: 1,
          baseDelayMs: 0,
        },
      );
    // A Worker-like instance, with no WeChat: it claims none of them, however often it runs.
    const worker = instance([scriptedSender()]);
    for (let i = 0; i < 3; i++) await worker();
    const waiting = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.chatId, chat))
      .orderBy(asc(outbox.id));
    expect(waiting.map((r) => [r.status, r.attempts, r.lastError])).toEqual([
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
    // The instance that has WeChat sends each once, in order.
    const node = instance([scriptedSender(), wechat]);
    while (
      (
        await database.db
          .select()
          .from(outbox)
          .where(and(eq(outbox.chatId, chat), eq(outbox.status, 'pending')))
      ).length > 0
    )
      await node();
    expect(wechat.sent.map((e) => (e.message.type === 'text' ? e.message.text : ''))).toEqual([
      '第一条',
      '第二条',
    ]);
    const sent = await database.db.select().from(outbox).where(eq(outbox.chatId, chat));
    expect(sent.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
  });

  it('retries a failed send with backoff, keeps the idempotency key, and records the platform id', async () => {
    const chat = `v_retry_${kind}`;
    await enqueue(database.db, keys, [
      { channel: 'web', chatId: chat, message: { type: 'text', text: 'hello' } },
    ]);
    const sender = scriptedSender([
      { ok: false, retryable: true, error: 'HTTP 503' },
      { ok: false, retryable: true, error: 'HTTP 429', retryAfterMs: 0 },
    ]);
    const dispatch = createOutboxDispatcher(
      { db: database.db, keys, log, metrics },
      { senders: new Map([['web', sender]]), maxAttempts: 5, baseDelayMs: 0 },
    );
    for (let i = 0; i < 10 && (await repliesTo(chat))[0]?.status !== 'sent'; i++) {
      await dispatch();
    }
    const [row] = await repliesTo(chat);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 3,
      platformMessageId: 'm3',
      lastError: 'HTTP 429',
    });
    expect(new Set(sender.sent.filter((s) => s.chatId === chat).map((s) => s.idempotencyKey))).toEqual(
      new Set([row!.uuid]),
    );
  });

  it('does not retry a permanent failure, and keeps a chat’s later messages in order behind a retry', async () => {
    const dead = `v_dead_${kind}`;
    const slow = `v_slow_${kind}`;
    await enqueue(database.db, keys, [
      { channel: 'web', chatId: dead, message: { type: 'text', text: 'x' } },
    ]);
    await enqueue(database.db, keys, [
      { channel: 'web', chatId: slow, message: { type: 'text', text: 'first' } },
      { channel: 'web', chatId: slow, message: { type: 'text', text: 'second' } },
    ]);
    const sender: ChannelSender & { sent: string[] } = {
      channel: 'web',
      sent: [],
      async send(envelope) {
        if (envelope.chatId === dead) return { ok: false, retryable: false, error: 'bot not in chat' };
        const text = envelope.message.type === 'text' ? envelope.message.text : '';
        this.sent.push(text);
        if (text === 'first' && this.sent.length === 1)
          return { ok: false, retryable: true, error: 'HTTP 500' };
        return { ok: true, platformMessageId: text };
      },
    };
    const dispatch = createOutboxDispatcher(
      { db: database.db, keys, log, metrics },
      { senders: new Map([['web', sender]]), maxAttempts: 5, baseDelayMs: 60_000 },
    );
    await dispatch();
    await dispatch();
    expect(sender.sent).toEqual(['first']);
    const [deadRow] = await repliesTo(dead);
    expect(deadRow).toMatchObject({ status: 'failed', attempts: 1, lastError: 'bot not in chat' });
    await database.db.update(outbox).set({ nextAttemptAt: sql`now()` }).where(eq(outbox.chatId, slow));
    await dispatch();
    await dispatch();
    expect(sender.sent).toEqual(['first', 'first', 'second']);
    expect((await repliesTo(slow)).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('sends again after a lease runs out (a crash mid-send), shown once thanks to the key', async () => {
    const chat = `v_lease_${kind}`;
    await enqueue(database.db, keys, [
      { channel: 'web', chatId: chat, message: { type: 'text', text: 'once' } },
    ]);
    // As if an instance claimed it, delivered it, and died before recording that.
    const [row] = await database.db
      .update(outbox)
      .set({ status: 'sending', attempts: 1, leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(outbox.chatId, chat))
      .returning();
    await database.db.insert(webChatMessages).values({
      visitorId: chat,
      direction: 'out',
      messageKey: row!.uuid,
      payload: { text: 'once' },
    });
    const { createWebSender } = await import('../../bots/web/sender.ts');
    const { WebChatHub } = await import('../../bots/web/hub.ts');
    const { createWebHistory } = await import('../../src/pipeline/web-history.ts');
    const dispatch = createOutboxDispatcher(
      { db: database.db, keys, log, metrics },
      {
        senders: new Map([['web', createWebSender(createWebHistory(database.db, keys), new WebChatHub())]]),
        maxAttempts: 5,
      },
    );
    expect(await dispatch()).toBe(1);
    const shown = await database.db
      .select()
      .from(webChatMessages)
      .where(and(eq(webChatMessages.visitorId, chat), eq(webChatMessages.direction, 'out')));
    expect(shown).toHaveLength(1);
    expect((await repliesTo(chat))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('does not let a late outcome from an expired claim overwrite the newer claim’s', async () => {
    const chat = `v_fence_${kind}`;
    await enqueue(database.db, keys, [
      { channel: 'web', chatId: chat, message: { type: 'text', text: 'once' } },
    ]);
    /** A sender whose one send waits until the test answers it. */
    const held = () => {
      let answer: ((result: SendResult) => void) | null = null;
      const sender: ChannelSender = {
        channel: 'web',
        send: () => new Promise<SendResult>((resolve) => (answer = resolve)),
      };
      return {
        sender,
        /** Whether the send has begun (the row is claimed and handed to the sender). */
        sending: () => answer !== null,
        answer: (result: SendResult) => answer?.(result),
      };
    };
    const first = held();
    const second = held();
    const dispatcher = (sender: ChannelSender) =>
      createOutboxDispatcher(
        { db: database.db, keys, log, metrics },
        { senders: new Map([['web', sender]]), maxAttempts: 5, leaseSeconds: 60 },
      );
    const a = dispatcher(first.sender)();
    await eventually(first.sending, 'A to be sending');
    // A's lease runs out while its send hangs, and B claims the row again.
    await database.db
      .update(outbox)
      .set({ leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(outbox.chatId, chat));
    const b = dispatcher(second.sender)();
    await eventually(second.sending, 'B to be sending');
    // A's late failure arrives while B is still sending, then B succeeds.
    first.answer({ ok: false, retryable: true, error: 'late failure from A' });
    await a;
    second.answer({ ok: true, platformMessageId: 'from-b' });
    await b;
    expect((await repliesTo(chat))[0]).toMatchObject({
      status: 'sent',
      platformMessageId: 'from-b',
      attempts: 2,
    });
  });

  it('gives up on a send that hangs before its lease ends, and tries again later', async () => {
    const chat = `v_hang_${kind}`;
    await enqueue(database.db, keys, [
      { channel: 'web', chatId: chat, message: { type: 'text', text: 'x' } },
    ]);
    const hanging: ChannelSender = { channel: 'web', send: () => new Promise<SendResult>(() => {}) };
    const dispatch = createOutboxDispatcher(
      { db: database.db, keys, log, metrics },
      { senders: new Map([['web', hanging]]), maxAttempts: 5, leaseSeconds: 2 },
    );
    // It returns at all, and says it gave up after 1.2 s of its 2-second lease (by its own timer).
    await dispatch();
    expect((await repliesTo(chat))[0]).toMatchObject({
      status: 'pending',
      lastError: 'send timed out after 1200 ms',
    });
  });
});
