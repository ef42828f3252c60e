import { asc, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Inbound } from '../../bots/core/messenger.ts';
import { inbox } from '../../db/schema/index.ts';
import { createKeyRing, generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import { acceptInboundMany, openInbound } from '../../src/pipeline/inbox.ts';
import { createInboxWriter } from '../../src/pipeline/inbox-writer.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';

let seq = 0;
function inbound(key: string, text = '你好'): Inbound {
  return {
    channel: 'lark',
    dedupeKey: key,
    sender: { externalId: `ou_${key}` },
    chat: { id: `oc_${key}`, type: 'private' },
    content: { type: 'text', text },
    receivedAt: new Date().toISOString(),
  };
}
const key = (label: string) => `test:${label}:${++seq}`;
const ring = createKeyRing(generateDataKey());

describe.each(databaseKinds)('the inbox write on %s', (kind) => {
  const database = useDatabase(kind);
  const stored = (keys: string[]) =>
    database.db
      .select({ id: inbox.id, dedupeKey: inbox.dedupeKey, payload: inbox.payload })
      .from(inbox)
      .where(inArray(inbox.dedupeKey, keys))
      .orderBy(asc(inbox.id));

  it('writes a batch in order, once per key, telling each event whether it was new', async () => {
    const [a, b, c] = [key('a'), key('b'), key('c')];
    await acceptInboundMany(database.db, ring, [inbound(b)]);
    const results = await acceptInboundMany(database.db, ring, [
      inbound(a),
      inbound(b),
      inbound(c),
      inbound(a),
    ]);
    expect(results.map((r) => r.accepted)).toEqual([true, false, true, false]);
    const rows = await stored([a, b, c]);
    expect(rows.map((r) => r.dedupeKey)).toEqual([b, a, c]);
    const ids = results.flatMap((r) => (r.accepted ? [r.id] : []));
    expect(ids).toEqual(rows.slice(1).map((r) => r.id));
  });

  it('stores text PostgreSQL cannot hold in JSON (NUL, lone surrogates) with replacement characters', async () => {
    const k = key('nul');
    const [result] = await acceptInboundMany(database.db, ring, [inbound(k, 'a\u0000b\ud800c')]);
    expect(result?.accepted).toBe(true);
    const [row] = await stored([k]);
    expect((await openInbound(ring, row!.payload)).content).toEqual({
      type: 'text',
      text: 'a\ufffdb\ufffdc',
    });
  });

  it('seals every event before it is written: the row holds no text, sender or chat in clear', async () => {
    const k = key('sealed');
    await acceptInboundMany(database.db, ring, [inbound(k, '家里老人重病急需医疗费用')]);
    const [row] = await stored([k]);
    expect(Object.keys(row!.payload)).toEqual(['sealed']);
    const written = JSON.stringify(row!.payload);
    for (const clear of ['家里老人', `ou_${k}`, `oc_${k}`]) expect(written).not.toContain(clear);
    expect((await openInbound(ring, row!.payload)).content).toEqual({
      type: 'text',
      text: '家里老人重病急需医疗费用',
    });
  });

  it('groups concurrent events and answers each one, duplicates included', async () => {
    const write = createInboxWriter(database.db, ring, { maxBatch: 8 });
    const keys = Array.from({ length: 40 }, (_, i) => key(`burst${i}`));
    const sent = [...keys, ...keys.slice(0, 10)].map((k) => write(inbound(k)));
    const results = await Promise.all(sent);
    expect(results.filter((r) => r.accepted)).toHaveLength(40);
    expect(results.slice(40).every((r) => !r.accepted)).toBe(true);
    const rows = await stored(keys);
    expect(rows.map((r) => r.dedupeKey)).toEqual(keys);
  });
});
