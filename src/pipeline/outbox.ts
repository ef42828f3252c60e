/**
 * Queues messages for delivery, inside the transaction of the change that caused them. Every
 * payload is sealed with the data key as it is stored, so the outbox shows to whom, never what;
 * a recipient who must not be named beside the change (the author of an anonymous item) is
 * kept inside the seal as well, the row showing only a keyed hash of their chat.
 */
import { and, eq } from 'drizzle-orm';
import { type ChannelName, isSealedPayload, type Outbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { outbox } from '../../db/schema/index.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';

export interface Delivery {
  channel: ChannelName;
  chatId: string;
  message: Outbound;
  inboxId?: number;
  /** Bulk sends (news) wait while replies and notices are due. */
  bulk?: boolean;
  /** The idempotency key, when the caller recorded it elsewhere first (news recipients). */
  uuid?: string;
  /**
   * The recipient is the author of an anonymous item: their chat is kept only inside the seal,
   * so nothing at rest sets the person beside the change that caused the message.
   */
  hideRecipient?: boolean;
  /** A tag naming no one, to find rows later without opening them (`poll-reminder:<poll id>`). */
  topic?: string;
}

/** What is sealed in a row whose recipient is hidden. */
interface HiddenEnvelope {
  to: string;
  message: Outbound;
}

/** The chat column of a row whose recipient is hidden: `~` and a keyed hash, the same for every row to that chat. */
export const hiddenChatPrefix = '~';

export async function enqueue(tx: Db, keys: KeyRing, deliveries: readonly Delivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = [];
  for (const d of deliveries) {
    const hidden = d.hideRecipient === true;
    const sealed = await keys.seal(
      JSON.stringify(hidden ? ({ to: d.chatId, message: d.message } satisfies HiddenEnvelope) : d.message),
    );
    rows.push({
      channel: d.channel,
      chatId: hidden
        ? `${hiddenChatPrefix}${await keys.mac('outbox-recipient', `${d.channel}:${d.chatId}`)}`
        : d.chatId,
      payload: { sealed },
      inboxId: d.inboxId,
      ...(d.topic ? { topic: d.topic } : {}),
      ...(d.bulk ? { priority: 1 } : {}),
      ...(d.uuid ? { uuid: d.uuid } : {}),
    });
  }
  await tx.insert(outbox).values(rows);
}

/**
 * A stored row's message and real chat, opened. Rows written before payloads were sealed are
 * read as they are.
 */
export async function openOutboxRow(
  keys: Pick<KeyRing, 'open'>,
  row: { chatId: string; payload: Record<string, unknown> },
): Promise<{ chatId: string; message: unknown }> {
  if (!isSealedPayload(row.payload)) return { chatId: row.chatId, message: row.payload };
  const opened = JSON.parse(await keys.open(row.payload.sealed)) as unknown;
  if (row.chatId.startsWith(hiddenChatPrefix)) {
    const envelope = opened as HiddenEnvelope;
    return { chatId: envelope.to, message: envelope.message };
  }
  return { chatId: row.chatId, message: opened };
}

/** A message this server sent, by the id the platform gave it, opened; null for anyone else's. */
export async function findSent(db: Db, keys: KeyRing, channel: ChannelName, platformMessageId: string) {
  const [row] = await db
    .select({ chatId: outbox.chatId, payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.platformMessageId, platformMessageId)))
    .limit(1);
  if (!row) return null;
  const opened = await openOutboxRow(keys, row);
  return { chatId: opened.chatId, payload: opened.message };
}
