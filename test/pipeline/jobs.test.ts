/**
 * The inbox jobs on each database: one conversation's events handled in order even with two
 * processors at once, a failed event's writes undone and retried until it gives up with an
 * apology, events sealed under a key this instance lacks left to one that holds it, a
 * conversation's later events waiting behind one backing off, and abandoned conversations ended.
 * The outbox dispatcher is in jobs-outbox.test.ts.
 */
import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Inbound } from '../../bots/core/messenger.ts';
import { queryRows } from '../../db/handle.ts';
import { conversations, inbox, outbox } from '../../db/schema/index.ts';
import { createEngine, type Engine } from '../../flows/engine/engine.ts';
import { commands, flows } from '../../flows/registry.ts';
import { createExpirySweep } from '../../src/pipeline/conversation-expiry.ts';
import { acceptInbound } from '../../src/pipeline/inbox.ts';
import { createInboxProcessor } from '../../src/pipeline/inbox-processor.ts';
import { createOutboxDispatcher } from '../../src/pipeline/outbox-dispatcher.ts';
import { effectHandlers } from '../../src/runtime/effects.ts';
import { kindRulesOf } from '../../src/runtime/kind-rules.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';
import { clearLeftoverWork, keys, log, metrics, repliesIn, scriptedSender, updated } from './job-helpers.ts';

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

describe.each(databaseKinds)('jobs on %s', (kind) => {
  const database = useDatabase(kind);
  // Each test starts with no work left over from the ones before it.
  beforeEach(() => clearLeftoverWork(database.db));
  const repliesTo = (chat: string) => repliesIn(database.db, chat);

  const processor = (e: Engine = engine, ring = keys) =>
    createInboxProcessor(
      {
        db: database.db,
        log,
        timeZone: 'Asia/Shanghai',
        now: () => new Date(),
        keys: ring,
        publicUrl: 'http://localhost:8787',
      },
      { effects: effectHandlers, engine: e, kindRules: kindRulesOf({ cosigners: 2, answerDays: 90 }) },
    );

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
      createOutboxDispatcher(
        { db: database.db, keys: sealer, log, metrics },
        { senders: new Map([['web', sender]]), maxAttempts: 1, baseDelayMs: 0 },
      );
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
    const sweep = createExpirySweep(
      { db: database.db, log, timeZone: 'Asia/Shanghai', now: () => later, keys },
      { engine },
    );
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
