/**
 * The WeChat channel through wechaty (Node only; imported only when WECHATY_PUPPET is set). It
 * logs in (the QR code in the terminal, in the log as a link, and to `onQr` for the console),
 * turns messages into neutral inbound events for the caller's intake, sends rendered messages,
 * lists room members, and restarts the puppet with backoff after a disconnect or error. Transport
 * only: what happens to a message is the intake's business.
 */
import type { Intake } from '../core/intake.ts';
import type { ChannelName, ChannelSender } from '../core/messenger.ts';
import { Pacing } from './pacing.ts';
import { parseWechat, roomIdOf } from './parse.ts';
import { createWechatSender, type WechatTarget } from './sender.ts';

/** The log lines this adapter writes: event names and ids, never message text. */
export interface LinkLog {
  debug(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  info(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  warn(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  error(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
}

const why = (error: unknown) => ({
  error: error instanceof Error ? error.name : typeof error,
  message: error instanceof Error ? error.message.slice(0, 300) : undefined,
});

/** The part of a wechaty instance this adapter uses (kept narrow, so tests can build the real one). */
type Bot = import('wechaty').Wechaty;
/** What wechaty's builder accepts as a puppet: an instance, or an official puppet's package name. */
type BuildOptions = NonNullable<Parameters<typeof import('wechaty').WechatyBuilder.build>[0]>;
type PuppetInstance = Extract<BuildOptions, { puppet?: object }>['puppet'] & object;
type PuppetName = Extract<BuildOptions['puppet'], string>;

export interface WechatLinkOptions {
  /** A puppet's package name, or a function making a puppet (tests make wechaty-puppet-mock's); a restart makes a new one. */
  puppet: string | (() => PuppetInstance);
  token?: string;
  log: LinkLog;
  limits: { perChatPerSecond: number; perMinute: number };
  /** The latest login QR code (null once logged in), for the console's page. */
  onQr?: (qr: string | null) => void;
  /** First restart after this many ms, doubling to a minute. */
  restartMs?: number;
  /** Logged in: queued messages can go now. */
  onLogin?: () => void;
}

/**
 * The link to WeChat: its sender and room lister exist before the bot starts (the services are
 * built with them), and `start` brings the bot up with the intake the services provide.
 */
export function createWechatLink(options: WechatLinkOptions) {
  const { log } = options;
  let bot: Bot | null = null;
  let loggedIn = false;
  let stopped = false;
  let failures = 0;
  let restartTimer: ReturnType<typeof setTimeout> | null = null;

  const target: WechatTarget = {
    ready: () => bot !== null && loggedIn,
    async say(chatId, text) {
      if (!bot) throw new Error('wechat not started');
      const roomId = roomIdOf(chatId);
      const to = roomId ? await bot.Room.find({ id: roomId }) : await bot.Contact.find({ id: chatId });
      if (!to) throw new Error(roomId ? 'room not found' : 'contact not found');
      const sent = await to.say(text);
      return sent && typeof sent === 'object' && 'id' in sent ? String(sent.id) : null;
    },
  };
  const sender: ChannelSender = createWechatSender(target, new Pacing(options.limits));

  const chatMembers = async (channel: ChannelName, chatId: string): Promise<string[] | null> => {
    if (channel !== 'wechat' || !bot || !loggedIn) return null;
    const roomId = roomIdOf(chatId);
    if (!roomId) return null;
    const room = await bot.Room.find({ id: roomId });
    if (!room) return null;
    const self = bot.currentUser.id;
    return (await room.memberAll()).map((m: { id: string }) => m.id).filter((id: string) => id !== self);
  };

  async function start(intake: Intake): Promise<void> {
    const { WechatyBuilder } = await import('wechaty');
    const built = WechatyBuilder.build({
      name: 'tongxin',
      ...(typeof options.puppet === 'function'
        ? { puppet: options.puppet() }
        : // Any installed puppet's package loads by name, not only the ones wechaty lists.
          { puppet: options.puppet as PuppetName }),
      ...(options.token ? { puppetOptions: { token: options.token } } : {}),
    });
    bot = built;
    built.on('scan', async (qr, status) => {
      log.info('wechat.scan', {
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
    });
    built.on('login', (user) => {
      loggedIn = true;
      failures = 0;
      options.onQr?.(null);
      log.info('wechat.login', { id: user.id.slice(0, 60) });
      options.onLogin?.();
    });
    built.on('logout', (user, reason) => {
      loggedIn = false;
      log.warn('wechat.logout', { id: user.id.slice(0, 60), reason: String(reason ?? '').slice(0, 100) });
    });
    built.on('error', (error) => {
      log.error('wechat.error', why(error));
      scheduleRestart(intake);
    });
    built.on('message', async (message) => {
      try {
        const room = message.room();
        const text = message.text();
        const facts = {
          id: message.id,
          talkerId: message.talker().id,
          talkerName: message.talker().name(),
          ...(room ? { roomId: room.id } : {}),
          self: message.self(),
          kind:
            message.type() === built.Message.Type.Text
              ? 'text'
              : (built.Message.Type[message.type()] ?? 'other'),
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
    });
    await built.start();
  }

  function scheduleRestart(intake: Intake) {
    if (stopped || restartTimer) return;
    failures++;
    const delay = Math.min(60_000, (options.restartMs ?? 1000) * 2 ** (failures - 1));
    log.warn('wechat.restart', { inMs: delay, failures });
    restartTimer = setTimeout(async () => {
      restartTimer = null;
      try {
        await bot?.stop();
      } catch {
        // Already down.
      }
      loggedIn = false;
      bot = null;
      await start(intake).catch((error: unknown) => {
        log.error('wechat.start_failed', why(error));
        scheduleRestart(intake);
      });
    }, delay);
  }

  return {
    sender,
    chatMembers,
    target,
    /** Starts the bot; a failure to start is retried with backoff. */
    async start(intake: Intake) {
      stopped = false;
      await start(intake).catch((error: unknown) => {
        log.error('wechat.start_failed', why(error));
        scheduleRestart(intake);
      });
    },
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      await bot?.stop();
      bot = null;
      loggedIn = false;
    },
    /** The bot, for tests. */
    bot: () => bot,
  };
}

export type WechatLink = ReturnType<typeof createWechatLink>;
