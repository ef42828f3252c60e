/**
 * What the job tests share: the key ring (and the ring of an instance already given a new
 * DATA_KEY), a quiet logger, the counters, a channel that answers from a script, the reset before each test and
 * a chat's outbox rows read back opened.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { ChannelSender, OutboundEnvelope, SendResult } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { conversations, inbox, outbox } from '../../db/schema/index.ts';
import { createKeyRing, generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import { createLogger } from '../../src/kernel/log.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import { openOutboxRow } from '../../src/pipeline/outbox.ts';

export const log = createLogger('error', () => {});
export const metrics = createMetrics();
const dataKey = generateDataKey('k1');
export const keys = createKeyRing(dataKey);
/** The ring after a change of DATA_KEY, on an instance already updated: a new key k2 first. */
export const updated = createKeyRing(`${generateDataKey('k2')},${dataKey}`);

/** A channel that records what it was given and answers from a script of results. */
export function scriptedSender(results: SendResult[] = []): ChannelSender & { sent: OutboundEnvelope[] } {
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

/** Marks the work earlier tests left (pending events and messages, conversations under way) done. */
export async function clearLeftoverWork(db: Db) {
  await db.update(inbox).set({ status: 'done' }).where(eq(inbox.status, 'pending'));
  await db.update(outbox).set({ status: 'sent' }).where(sql`${outbox.status} in ('pending', 'sending')`);
  await db.update(conversations).set({ flow: null, step: null, state: null, expiresAt: null });
}

/** The chat's outbox rows, their sealed payloads opened. */
export async function repliesIn(db: Db, chat: string) {
  const rows = await db.select().from(outbox).where(eq(outbox.chatId, chat)).orderBy(asc(outbox.id));
  return Promise.all(rows.map(async (r) => ({ ...r, payload: (await openOutboxRow(keys, r)).message })));
}
