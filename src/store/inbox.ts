/**
 * The inbox write that comes before every acknowledgement: one row per platform delivery,
 * unique on its dedupe key, so a re-delivered event is acknowledged and dropped.
 */
import { conversationKey, type Inbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/client.ts';
import { inbox } from '../../db/schema/index.ts';

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
      .values({
        channel: inbound.channel,
        dedupeKey: inbound.dedupeKey,
        conversationKey: conversationKey(inbound),
        payload: inbound,
      })
      .onConflictDoNothing({ target: inbox.dedupeKey })
      .returning({ id: inbox.id });
    if (!row) return { accepted: false, duplicate: true };
    if (alongside) await alongside(tx);
    return { accepted: true, id: row.id };
  };
  return alongside ? db.transaction((tx) => write(tx)) : write(db);
}
