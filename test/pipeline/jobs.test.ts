import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSender, Inbound, OutboundEnvelope, SendResult } from '../../bots/core/messenger.ts';
import { queryRows } from '../../db/handle.ts';
import { conversations, inbox, outbox, webChatMessages } from '../../db/schema/index.ts';
import { createEngine, type Engine } from '../../flows/engine/engine.ts';
import { commands, flows } from '../../flows/registry.ts';
import { createKeyRing, generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import { createLogger } from '../../src/kernel/log.ts';
import { createExpirySweep } from '../../src/pipeline/conversation-expiry.ts';
import { acceptInbound } from '../../src/pipeline/inbox.ts';
import { createInboxProcessor } from '../../src/pipeline/inbox-processor.ts';
import { enqueue, openOutboxRow } from '../../src/pipeline/outbox.ts';
import { createOutboxDispatcher } from '../../src/pipeline/outbox-dispatcher.ts';
import { effectHandlers } from '../../src/runtime/effects.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';

const log = createLogger('error', () => {});
const dataKey = generateDataKey('k1');
const keys = createKeyRing(dataKey);
/** The ring after a change of DATA_KEY, on an instance already updated: a new key k2 first. */
const updated = createKeyRing(`${generateDataKey('k2')},${dataKey}`);
const engine = createEngine({ flows, commands, timeoutMinutes: 30 });

let seq = 0;
function inbound(chat: string, text: string, receivedAt = new Date()): Inbound {
  return {
    channel: 'web',
    dedupeKey: `test:${chat}:${++seq}`,
    sender: { externalId: chat },
    chat: { id: chat, type: 'private' },
    content: { type: 'text', text },
    receivedAt: receivedAt.toISOString(),
  };
}

/** A channel that records what it was given and answers from a script of results. */
function scriptedSender(results: SendResult[] = []): ChannelSender & { sent: OutboundEnvelope[] } {
  const sent: OutboundEnvelope[] = [];
  return {
    channel: 'web',
    sent,
    async send(envelope) {
      sent.push(envelope);
      return results.shift() ?? { ok: true, platformMessageId: `m${sent.length}` };
    },
  };
}

describe.each(databaseKinds)('jobs on %s', (kind) => {
  const database = useDatabase(kind);
  // Each test starts with no work left over from the ones before it.
  beforeEach(async () => {
    await database.db.update(inbox).set({ status: 'done' }).where(eq(inbox.status, 'pending'));
    await database.db
      .update(outbox)
      .set({ status: 'sent' })
      .where(sql`${outbox.status} in ('pending', 'sending')`);
    await database.db.update(conversations).set({ flow: null, step: null, state: null, expiresAt: null });
  });

  const processor = (e: Engine = engine, keyRing = keys) =>
    createInboxProcessor({
      effects: effectHandlers,
      db: database.db,
      engine: e,
      log,
      timeZone: 'Asia/Shanghai',
      now: () => new Date(),
      keyRing,
    });

  /** The chat's outbox rows, their sealed payloads opened. */
  const repliesTo = async (chat: string) => {
    const rows = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.chatId, chat))
      .orderBy(asc(outbox.id));
    return Promise.all(rows.map(async (r) => ({ ...r, payload: (await openOutboxRow(keys, r)).message })));
  };

  it('handles one conversation’s events in order, even with two processors at once', async () => {
    const chat = `v_order_${kind}`;
    for (const text of ['建议', '第一个标题', '1', '上一步'])
      await acceptInbound(database.db, keys, inbound(chat, text));
    const other = `v_other_${kind}`;
    await acceptInbound(database.db, keys, inbound(other, '我的'));
    const a = processor();
    const b = processor();
    const run = async (p: () => Promise<boolean>) => {
      while (await p()) {}
    };
    await Promise.all([run(a), run(b)]);
    const pending = await database.db.select().from(inbox).where(eq(inbox.status, 'pending'));
    expect(pending).toEqual([]);
    const replies = (await repliesTo(chat)).map((r) => JSON.stringify(r.payload));
    expect(replies).toHaveLength(4);
    expect(replies[0]).toContain('标题');
    expect(replies[1]).toContain('哪一类');
    expect(replies[2]).toContain('具体描述');
    expect(replies[3]).toContain('哪一类');
    const [state] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.key, `web:${chat}:${chat}`));
    expect(state?.step).toBe('category');
  });

  it('undoes a failed event’s writes, retries it later, and gives up with an apology', async () => {
    const chat = `v_fail_${kind}`;
    let calls = 0;
    const failing: Engine = {
      ...engine,
      async handle(turn) {
        calls++;
        // Do real work first, so a rollback has something to undo.
        await turn.port.perform({ type: 'person.language', language: 'en' });
        throw new Error('flow exploded');
      },
    };
    await acceptInbound(database.db, keys, inbound(chat, '建议'));
    const process = processor(failing);
    expect(await process()).toBe(true);
    let [row] = await database.db
      .select()
      .from(inbox)
      .where(eq(inbox.conversationKey, `web:${chat}:${chat}`));
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: flow exploded' });
    expect(await process()).toBe(false); // waiting out its backoff
    for (let attempt = 2; attempt <= 5; attempt++) {
      await database.db.update(inbox).set({ nextAttemptAt: sql`now()` }).where(eq(inbox.id, row!.id));
      expect(await process()).toBe(true);
    }
    [row] = await database.db.select().from(inbox).where(eq(inbox.id, row!.id));
    expect(row).toMatchObject({ status: 'failed', attempts: 5 });
    expect(calls).toBe(5);
    const replies = await repliesTo(chat);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]!.payload)).toContain('抱歉');
    const person = await queryRows<{ language: string }>(
      database.db,
      sql`select p.language from people p join channel_identities i on i.person_id = p.id where i.external_id = ${chat}`,
    );
    expect(person).toEqual([]);
  });

  it('leaves what was sealed under a key it does not hold to an instance that holds it, using up no try', async () => {
    const chat = `v_newkey_${kind}`;
    // An updated instance took the message in and sealed it under k2; this one holds only k1.
    await acceptInbound(database.db, updated, inbound(chat, '菜单'));
    expect(await processor()()).toBe(true);
    const [waiting] = await database.db
      .select()
      .from(inbox)
      .where(eq(inbox.conversationKey, `web:${chat}:${chat}`));
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    expect(await repliesTo(chat)).toHaveLength(0);
    await database.db.update(inbox).set({ nextAttemptAt: sql`now()` }).where(eq(inbox.id, waiting!.id));
    expect(await processor(engine, updated)()).toBe(true);
    const [handled] = await database.db.select().from(inbox).where(eq(inbox.id, waiting!.id));
    expect(handled).toMatchObject({ status: 'done', attempts: 0 });

    // Its reply, sealed under k2 too: the old instance puts it back, the updated one sends it.
    const sender = scriptedSender();
    const dispatcher = (sealer: typeof keys) =>
      createOutboxDispatcher({
        db: database.db,
        sealer,
        senders: new Map([['web', sender]]),
        log,
        maxAttempts: 1,
        baseDelayMs: 0,
      });
    await dispatcher(keys)();
    const [reply] = await database.db.select().from(outbox).where(eq(outbox.chatId, chat));
    expect(reply).toMatchObject({ status: 'pending', attempts: 0 });
    expect(reply!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(sender.sent).toEqual([]);
    await database.db.update(outbox).set({ nextAttemptAt: sql`now()` }).where(eq(outbox.id, reply!.id));
    await dispatcher(updated)();
    const [sent] = await database.db.select().from(outbox).where(eq(outbox.id, reply!.id));
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sender.sent).toHaveLength(1);
  });

  it('leaves a channel it cannot send on to an instance that can, never marking its rows failed', async () => {
    const chat = `wx_room_${kind}`;
    await enqueue(database.db, keys, [
      { channel: 'wechat', chatId: chat, message: { type: 'text', text: '第一条' } },
      { channel: 'wechat', chatId: chat, message: { type: 'text', text: '第二条' } },
    ]);
    const wechat = { ...scriptedSender(), channel: 'wechat' as const };
    const instance = (senders: ChannelSender[]) =>
      createOutboxDispatcher({
        db: database.db,
        sealer: keys,
        senders: new Map(senders.map((sender) => [sender.channel, sender])),
        log,
        maxAttempts: 1,
        baseDelayMs: 0,
      });
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

  it('lets a conversation’s later events wait behind one that is backing off, but not other conversations', async () => {
    const chat = `v_block_${kind}`;
    const first = inbound(chat, '菜单');
    await acceptInbound(database.db, keys, first);
    await acceptInbound(database.db, keys, inbound(chat, '我的'));
    await database.db
      .update(inbox)
      .set({ nextAttemptAt: sql`now() + interval '1 hour'` })
      .where(eq(inbox.dedupeKey, first.dedupeKey));
    const elsewhere = `v_free_${kind}`;
    await acceptInbound(database.db, keys, inbound(elsewhere, '菜单'));
    const process = processor();
    while (await process()) {}
    expect(await repliesTo(chat)).toHaveLength(0);
    expect(await repliesTo(elsewhere)).toHaveLength(1);
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
    const dispatch = createOutboxDispatcher({
      db: database.db,
      sealer: keys,
      senders: new Map([['web', sender]]),
      log,
      maxAttempts: 5,
      baseDelayMs: 0,
    });
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
    const dispatch = createOutboxDispatcher({
      db: database.db,
      sealer: keys,
      senders: new Map([['web', sender]]),
      log,
      maxAttempts: 5,
      baseDelayMs: 60_000,
    });
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
    const dispatch = createOutboxDispatcher({
      db: database.db,
      sealer: keys,
      senders: new Map([['web', createWebSender(createWebHistory(database.db, keys), new WebChatHub())]]),
      log,
      maxAttempts: 5,
    });
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
      createOutboxDispatcher({
        db: database.db,
        sealer: keys,
        senders: new Map([['web', sender]]),
        log,
        maxAttempts: 5,
        leaseSeconds: 60,
      });
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
    const dispatch = createOutboxDispatcher({
      db: database.db,
      sealer: keys,
      senders: new Map([['web', hanging]]),
      log,
      maxAttempts: 5,
      leaseSeconds: 2,
    });
    // It returns at all, and says it gave up after 1.2 s of its 2-second lease (by its own timer).
    await dispatch();
    expect((await repliesTo(chat))[0]).toMatchObject({
      status: 'pending',
      lastError: 'send timed out after 1200 ms',
    });
  });

  it('ends abandoned conversations and tells the person, unless their messages are still queued', async () => {
    const idle = `v_idle_${kind}`;
    const queued = `v_queued_${kind}`;
    const process = processor();
    for (const chat of [idle, queued]) {
      await acceptInbound(database.db, keys, inbound(chat, '建议'));
      while (await process()) {}
    }
    await acceptInbound(database.db, keys, inbound(queued, '还在写'));
    const later = new Date(Date.now() + 31 * 60_000);
    const sweep = createExpirySweep({
      db: database.db,
      engine,
      log,
      timeZone: 'Asia/Shanghai',
      now: () => later,
      keyRing: keys,
    });
    expect(await sweep()).toBe(1);
    const notices = (await repliesTo(idle)).map((r) => JSON.stringify(r.payload));
    expect(notices.at(-1)).toContain('超过 30 分钟');
    const [idleRow] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.key, `web:${idle}:${idle}`));
    expect(idleRow?.flow).toBeNull();
    const [queuedRow] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.key, `web:${queued}:${queued}`));
    expect(queuedRow?.flow).toBe('suggestion');
    expect(await sweep()).toBe(0);
  });
});
