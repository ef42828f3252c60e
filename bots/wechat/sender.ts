/**
 * Sends through WeChat: the neutral message rendered as text (bots/wechat/render.ts), kept to the
 * pace personal accounts survive (bots/wechat/pacing.ts). The account itself is reached through
 * `WechatTarget`, which the wechaty adapter provides once logged in.
 */
import type { ChannelSender, OutboundEnvelope, SendResult } from '../core/messenger.ts';
import type { Pacing } from './pacing.ts';
import { renderWechat } from './render.ts';

export interface WechatTarget {
  /** Says the text to a contact (by id) or a room (room:<id>); resolves to the message id if known. */
  say(chatId: string, text: string): Promise<string | null>;
  /** Whether an account is logged in to send with. */
  ready(): boolean;
}

/** Waits up to this long for the pace; a longer wait is put back for later. */
const holdMs = 1500;

export function createWechatSender(
  target: WechatTarget,
  pacing: Pacing,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): ChannelSender {
  let queue: Promise<unknown> = Promise.resolve();
  const send = async (envelope: OutboundEnvelope): Promise<SendResult> => {
    if (!target.ready()) {
      return {
        ok: false,
        retryable: true,
        deferred: true,
        retryAfterMs: 10_000,
        error: 'wechat not logged in',
      };
    }
    const wait = pacing.waitFor(envelope.chatId);
    if (wait > holdMs)
      return { ok: false, retryable: true, deferred: true, retryAfterMs: wait, error: 'wechat pace' };
    if (wait > 0) await sleep(wait);
    pacing.note(envelope.chatId);
    try {
      const id = await target.say(envelope.chatId, renderWechat(envelope.message));
      return { ok: true, platformMessageId: id ?? `wechat:${envelope.idempotencyKey}` };
    } catch (error) {
      return {
        ok: false,
        retryable: true,
        error: error instanceof Error ? error.message.slice(0, 200) : 'send failed',
      };
    }
  };
  return {
    channel: 'wechat',
    // One send at a time: the pace is counted before the next one looks.
    send(envelope) {
      const turn = queue.then(() => send(envelope));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
