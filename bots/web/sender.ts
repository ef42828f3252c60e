/** Delivers outbox rows to the web chat: a stored bubble per idempotency key, then a wake-up. */
import type { Db } from '../../db/handle.ts';
import type { ChannelSender, OutboundEnvelope, Sealer, SendResult } from '../core/messenger.ts';
import type { WebChatHub } from './hub.ts';
import { renderBubble } from './render.ts';
import { storeOutgoing } from './store.ts';

export function createWebSender(db: Db, hub: WebChatHub, sealer: Sealer): ChannelSender {
  return {
    channel: 'web',
    async send(envelope: OutboundEnvelope): Promise<SendResult> {
      // The history keeps every bubble sealed; it is opened when the visitor reads it.
      const bubble = renderBubble(envelope.message);
      const id = await storeOutgoing(
        db,
        sealer,
        envelope.chatId,
        envelope.idempotencyKey,
        bubble,
        envelope.topic,
      );
      hub.notify(envelope.chatId);
      return { ok: true, platformMessageId: String(id) };
    },
  };
}
