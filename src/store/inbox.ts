/**
 * The inbox write that comes before every acknowledgement: one row per platform delivery,
 * unique on its dedupe key, so a re-delivered event is acknowledged and dropped.
 */
import { conversationKey, type Inbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { inbox } from '../../db/schema/index.ts';
import { storableJson, storableText } from '../../db/storable.ts';

/** The row for an event, with text PostgreSQL cannot hold replaced (see db/storable.ts). */
function inboxRow(inbound: Inbound) {
  return {
    channel: inbound.channel,
    dedupeKey: storableText(inbound.dedupeKey),
    conversationKey: storableText(conversationKey(inbound)),
    payload: storableJson(inbound),
  };
}

export type AcceptResult = { accepted: true; id: number } | { accepted: false; duplicate: true };

/**
 * Writes the event (and whatever the channel must store with it, in the same transaction).
 * Resolves once the row is durable; the caller acknowledges only then.
 */
export async function acceptInbound(
  db: Db,
  inbound: Inbound,
  alongside?: (tx: Db) => Promise<void>,
): Promise<AcceptResult> {
  const write = async (tx: Db): Promise<AcceptResult> => {
    const [row] = await tx
      .insert(inbox)
      .values(inboxRow(inbound))
      .onConflictDoNothing({ target: inbox.dedupeKey })
      .returning({ id: inbox.id });
    if (!row) return { accepted: false, duplicate: true };
    if (alongside) await alongside(tx);
    return { accepted: true, id: row.id };
  };
  return alongside ? db.transaction((tx) => write(tx)) : write(db);
}

/**
 * Writes several events in one statement (in the given order, so ids keep arrival order); each
 * result says whether its event was new. An event repeated within the batch is new only once.
 */
export async function acceptInboundMany(db: Db, items: readonly Inbound[]): Promise<AcceptResult[]> {
  if (items.length === 0) return [];
  const rows = await db
    .insert(inbox)
    .values(items.map(inboxRow))
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
