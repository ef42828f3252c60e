/**
 * The fetch job and the sweep, driven by hand over a real database: a file whose claim ran out
 * while its first fetch hung is fetched by a second run, and its sender is told of a refusal once
 * however the two end; a fault is tried again later and, after five, given up with the sender
 * told; the sweep clears files nothing took and keeps one a live draft holds.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { FetchedFile, MessageFiles } from '../../../bots/core/files.ts';
import { queryRows } from '../../../db/handle.ts';
import { attachments, outbox } from '../../../db/schema/index.ts';
import { createFileFetch } from '../../../src/domains/items/file-fetch.ts';
import { holdFile, noteChannelFile, sweepLooseFiles } from '../../../src/domains/items/files.ts';
import { renamedProgram } from '../../support/files.ts';
import { useStack, webPerson } from '../../support/stack.ts';

const fixture = useStack();
const db = () => fixture.database.db;
const keys = () => fixture.stack.keyRing;
const maxBytes = 1_048_576;

/** A person's Lark file, noted and held by a draft that takes photos and documents. */
async function heldFile(chatId: string) {
  const { memberNo } = await webPerson(fixture.stack);
  const [person] = await queryRows<{ id: string }>(
    db(),
    sql`select id from people where member_no = ${memberNo}`,
  );
  const id = await db().transaction(async (tx) => {
    const noted = await noteChannelFile(tx, keys(), {
      personId: person!.id,
      source: 'lark',
      kind: 'image',
      ref: 'lark:image:om_fetch:img_fetch',
      name: 'image',
      notify: { channel: 'lark', chatId, lang: 'zh' },
    });
    await holdFile(tx, keys(), { id: noted, personId: person!.id, accepts: 'any' });
    return noted;
  });
  return { id, personId: person!.id };
}

const noticesTo = async (chatId: string) =>
  (await db().select().from(outbox).where(eq(outbox.chatId, chatId))).length;

const fetchWith = (source: MessageFiles) =>
  createFileFetch(
    { db: db(), keys: keys(), log: fixture.stack.services.ctx.log },
    {
      sources: new Map([['lark', source]]),
      maxBytes,
    },
  );

describe('the file fetch job', () => {
  it('tells the sender once when a second run took over a fetch whose claim ran out', async () => {
    const chatId = 'oc_fetch_race';
    const { id } = await heldFile(chatId);
    let release: (file: FetchedFile) => void = () => {};
    const hung = fetchWith({ fetch: () => new Promise((resolve) => (release = resolve)) });
    const first = hung();
    // The first run has claimed it and hangs; its claim runs out.
    await expect
      .poll(async () => (await db().select().from(attachments).where(eq(attachments.id, id)))[0]!.attempts)
      .toBe(1);
    await db()
      .update(attachments)
      .set({ nextAttemptAt: new Date(0) })
      .where(eq(attachments.id, id));
    const second = fetchWith({ fetch: async () => ({ ok: true, bytes: renamedProgram }) });
    expect(await second()).toBe(1);
    release({ ok: true, bytes: renamedProgram });
    expect(await first).toBe(1);
    const [row] = await db().select().from(attachments).where(eq(attachments.id, id));
    expect(row).toMatchObject({
      state: 'refused',
      refusal: 'executable',
      sourceSeal: null,
      notifySeal: null,
    });
    expect(await noticesTo(chatId)).toBe(1);
  });

  it('tries a fault again later and gives up after five, telling the sender', async () => {
    const chatId = 'oc_fetch_faults';
    const { id } = await heldFile(chatId);
    const failing = fetchWith({
      fetch: async () => {
        throw new Error('platform unavailable');
      },
    });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await db()
        .update(attachments)
        .set({ nextAttemptAt: new Date(0) })
        .where(eq(attachments.id, id));
      expect(await failing()).toBe(1);
      const [row] = await db().select().from(attachments).where(eq(attachments.id, id));
      expect(row!.state).toBe(attempt < 5 ? 'pending' : 'refused');
      if (attempt < 5) {
        expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
        // Counted from the minute, as an anonymous item's own times are: never finer.
        expect(row!.nextAttemptAt.getTime() % 30_000).toBe(0);
      }
    }
    const [row] = await db().select().from(attachments).where(eq(attachments.id, id));
    expect(row).toMatchObject({ refusal: 'failed', attempts: 5 });
    expect(await noticesTo(chatId)).toBe(1);
    expect(await failing()).toBe(0);
  });

  it('sweeps files nothing took after two days, and keeps one a draft holds while it may live', async () => {
    const { id: held } = await heldFile('oc_sweep');
    const [loose] = await db()
      .insert(attachments)
      .values({ source: 'web', state: 'ready', nameSealed: await keys().seal('x.png'), mime: 'image/png' })
      .returning({ id: attachments.id });
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    await db()
      .update(attachments)
      .set({ createdAt: threeDaysAgo })
      .where(sql`${attachments.id} in (${held}, ${loose!.id})`);
    // Conversations may last a week here: the held file's draft could still be open.
    await sweepLooseFiles(db(), new Date(), 7 * 24 * 60);
    const left = (await db().select({ id: attachments.id }).from(attachments)).map((r) => r.id);
    expect(left).toContain(held);
    expect(left).not.toContain(loose!.id);
    await sweepLooseFiles(db(), new Date(), 30);
    expect((await db().select({ id: attachments.id }).from(attachments)).map((r) => r.id)).not.toContain(
      held,
    );
  });
});
