/** Delivers outbox rows to the web chat: a stored bubble per idempotency key, then a wake-up. */
import type { Db } from '../../db/client.ts';
import type { ChannelSender, OutboundEnvelope, SendResult } from '../core/messenger.ts';
import type { WebChatHub } from './hub.ts';
import { renderBubble } from './render.ts';
import { storeOutgoing } from './store.ts';

export function createWebSender(db: Db, hub: WebChatHub): ChannelSender {
  return {
    channel: 'web',
    async send(envelope: OutboundEnvelope): Promise<SendResult> {
      const id = await storeOutgoing(
        db,
        envelope.chatId,
        envelope.idempotencyKey,
        renderBubble(envelope.message),
      );
      hub.notify(envelope.chatId);
      return { ok: true, platformMessageId: String(id) };
    },
  };
}
