/** Queues messages for delivery, inside the transaction of the change that caused them. */
import { and, eq } from 'drizzle-orm';
import type { ChannelName, Outbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';

export interface Delivery {
  channel: ChannelName;
  chatId: string;
  message: Outbound;
  inboxId?: number;
}

export async function enqueue(tx: Db, deliveries: readonly Delivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await tx.insert(outbox).values(
    deliveries.map((d) => ({
      channel: d.channel,
      chatId: d.chatId,
      payload: d.message,
      inboxId: d.inboxId,
    })),
  );
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
