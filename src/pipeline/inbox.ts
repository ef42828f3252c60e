/**
 * The inbox write that comes before every acknowledgement: one row per platform delivery,
 * unique on its dedupe key, so a re-delivered event is acknowledged and dropped. The event is
 * sealed with the data key before it is written, whatever it says: what people type is never
 * in the database in clear, not even for the moment before it is handled.
 */
import { conversationKey, type Inbound, inboundSchema, isSealedPayload } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { inbox } from '../../db/schema/index.ts';
import { storableJson, storableText } from '../../db/storable.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';

/** Seals and opens inbox payloads: the app's key ring. */
export type InboxKeys = Pick<KeyRing, 'seal' | 'open'>;

/** The row for an event, sealed, with text PostgreSQL cannot hold replaced (see db/storable.ts). */
async function inboxRow(inbound: Inbound, keys: InboxKeys) {
  return {
    channel: inbound.channel,
    dedupeKey: storableText(inbound.dedupeKey),
    conversationKey: storableText(conversationKey(inbound)),
    payload: { sealed: await keys.seal(JSON.stringify(storableJson(inbound))) },
  };
}

/** A stored event, opened and checked (rows written before sealing was always on are read as they are). */
export async function openInbound(keys: InboxKeys, payload: Record<string, unknown>): Promise<Inbound> {
  return inboundSchema.parse(
    isSealedPayload(payload) ? JSON.parse(await keys.open(payload.sealed)) : payload,
  );
}

export type AcceptResult = { accepted: true; id: number } | { accepted: false; duplicate: true };

/**
 * Writes the event (and whatever the channel must store with it, in the same transaction).
 * Resolves once the row is durable; the caller acknowledges only then.
 */
export async function acceptInbound(
  db: Db,
  keys: InboxKeys,
  inbound: Inbound,
  alongside?: (tx: Db) => Promise<void>,
): Promise<AcceptResult> {
  const row = await inboxRow(inbound, keys);
  const write = async (tx: Db): Promise<AcceptResult> => {
    const [inserted] = await tx
      .insert(inbox)
      .values(row)
      .onConflictDoNothing({ target: inbox.dedupeKey })
      .returning({ id: inbox.id });
    if (!inserted) return { accepted: false, duplicate: true };
    if (alongside) await alongside(tx);
    return { accepted: true, id: inserted.id };
  };
  return alongside ? db.transaction((tx) => write(tx)) : write(db);
}

/**
 * Writes several events in one statement (in the given order, so ids keep arrival order); each
 * result says whether its event was new. An event repeated within the batch is new only once.
 */
export async function acceptInboundMany(
  db: Db,
  keys: InboxKeys,
  items: readonly Inbound[],
): Promise<AcceptResult[]> {
  if (items.length === 0) return [];
  const values = await Promise.all(items.map((inbound) => inboxRow(inbound, keys)));
  const rows = await db
    .insert(inbox)
    .values(values)
    .onConflictDoNothing({ target: inbox.dedupeKey })
    .returning({ id: inbox.id, dedupeKey: inbox.dedupeKey });
  const ids = new Map(rows.map((row) => [row.dedupeKey, row.id]));
  return items.map((inbound) => {
    const dedupeKey = storableText(inbound.dedupeKey);
    const id = ids.get(dedupeKey);
    if (id === undefined) return { accepted: false, duplicate: true };
    ids.delete(dedupeKey);
    return { accepted: true, id };
  });
}
