/** Delivers outbox rows to the web chat: a bubble kept in the history per idempotency key, then a wake-up. */
import type { ChannelSender, OutboundEnvelope, SendResult } from '../core/messenger.ts';
import type { WebHistory } from './history.ts';
import type { WebChatHub } from './hub.ts';
import { renderBubble } from './render.ts';

export function createWebSender(history: WebHistory, hub: WebChatHub): ChannelSender {
  return {
    channel: 'web',
    async send(envelope: OutboundEnvelope): Promise<SendResult> {
      const id = await history.delivered(
        envelope.chatId,
        envelope.idempotencyKey,
        renderBubble(envelope.message),
        envelope.topic,
      );
      hub.notify(envelope.chatId);
      return { ok: true, platformMessageId: String(id) };
    },
  };
}
