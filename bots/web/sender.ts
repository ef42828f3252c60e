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
      const bubble = renderBubble(envelope.message);
      // The history keeps a sensitive bubble sealed; it is opened when the visitor reads it.
      const stored = envelope.sensitive ? { sealed: await sealer.seal(JSON.stringify(bubble)) } : bubble;
      const id = await storeOutgoing(db, envelope.chatId, envelope.idempotencyKey, stored);
      hub.notify(envelope.chatId);
      return { ok: true, platformMessageId: String(id) };
    },
  };
}
