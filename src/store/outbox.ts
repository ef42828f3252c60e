/** Queues messages for delivery, inside the transaction of the change that caused them. */
import { and, eq } from 'drizzle-orm';
import type { ChannelName, Outbound, Sealer } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { outbox } from '../../db/schema/index.ts';

export interface Delivery {
  channel: ChannelName;
  chatId: string;
  message: Outbound;
  inboxId?: number;
  /** It shows sealed data (a reply on a help request): stored sealed, opened just before sending. */
  sensitive?: boolean;
  /** Bulk sends (news) wait while replies and notices are due. */
  bulk?: boolean;
  /** The idempotency key, when the caller recorded it elsewhere first (news recipients). */
  uuid?: string;
}

export async function enqueue(tx: Db, deliveries: readonly Delivery[], sealer?: Sealer): Promise<void> {
  if (deliveries.length === 0) return;
  const payloadOf = async (d: Delivery): Promise<Record<string, unknown>> => {
    if (!d.sensitive) return d.message;
    if (!sealer) throw new Error('a sensitive message needs the key ring to be queued');
    return { sealed: await sealer.seal(JSON.stringify(d.message)) };
  };
  const rows = [];
  for (const d of deliveries) {
    rows.push({
      channel: d.channel,
      chatId: d.chatId,
      payload: await payloadOf(d),
      inboxId: d.inboxId,
      ...(d.bulk ? { priority: 1 } : {}),
      ...(d.uuid ? { uuid: d.uuid } : {}),
    });
  }
  await tx.insert(outbox).values(rows);
}

/** A message this server sent, by the id the platform gave it; null for anyone else's. */
export async function findSent(db: Db, channel: ChannelName, platformMessageId: string) {
  const [row] = await db
    .select({ chatId: outbox.chatId, payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.platformMessageId, platformMessageId)))
    .limit(1);
  return row ?? null;
}
