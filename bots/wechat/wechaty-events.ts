/**
 * What the wechaty adapter does with its bot's events: shows a login QR code, and turns a message
 * into a neutral inbound event for the intake. Logs event names and ids, never message text.
 */
import type { Intake } from '../core/intake.ts';
import { parseWechat } from './parse.ts';
import type { LinkLog, WechatLinkOptions } from './wechaty.ts';

/** An error as log fields: its name and the start of its message. */
export const why = (error: unknown) => ({
  error: error instanceof Error ? error.name : typeof error,
  message: error instanceof Error ? error.message.slice(0, 300) : undefined,
});

/** Shows a login QR code: as a link in the log, to `onQr`, and drawn in the terminal. */
export async function showQr(qr: string, status: unknown, options: Pick<WechatLinkOptions, 'log' | 'onQr'>) {
  options.log.info('wechat.scan', {
    status: String(status),
    url: `https://wechaty.js.org/qrcode/${encodeURIComponent(qr)}`,
  });
  options.onQr?.(qr);
  try {
    const { toString: qrText } = await import('qrcode');
    process.stdout.write(
      `${await qrText(qr, { type: 'terminal', small: true })}\n扫码登录微信 · Scan to log in to WeChat\n`,
    );
  } catch {
    // The link in the log still works.
  }
}

/** Reads a message the bot received and takes it in; a failure is logged, as WeChat does not redeliver. */
export async function takeMessage(
  bot: import('wechaty').Wechaty,
  message: import('wechaty').Message,
  intake: Intake,
  log: LinkLog,
): Promise<void> {
  try {
    const room = message.room();
    const text = message.text();
    const facts = {
      id: message.id,
      talkerId: message.talker().id,
      talkerName: message.talker().name(),
      ...(room ? { roomId: room.id } : {}),
      self: message.self(),
      kind: message.type() === bot.Message.Type.Text ? 'text' : (bot.Message.Type[message.type()] ?? 'other'),
      text: room ? await message.mentionText() : text,
      mentionsBot: room ? await message.mentionSelf() : false,
      receivedAt: message.date(),
    };
    const inbound = parseWechat(facts);
    const taken = inbound ? await intake.take(inbound) : null;
    // Past the person's messages a minute the message is dropped: WeChat cannot be asked to send it again.
    if (taken?.outcome === 'throttled') log.warn('wechat.throttled', {});
    if (taken?.outcome === 'accepted') log.debug('inbox.accepted', { channel: 'wechat', id: taken.id });
  } catch (error) {
    // Not acknowledged to anyone: WeChat does not redeliver, so this one is logged and lost.
    log.error('wechat.intake_failed', why(error));
  }
}
