/** Queues messages for delivery, inside the transaction of the change that caused them. */
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
