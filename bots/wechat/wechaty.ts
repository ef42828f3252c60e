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
import { roomIdOf } from './parse.ts';
import { createWechatSender, type WechatTarget } from './sender.ts';
import { showQr, takeMessage, why } from './wechaty-events.ts';

/** The log lines this adapter writes: event names and ids, never message text. */
export interface LinkLog {
  debug(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  info(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  warn(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
  error(event: string, fields?: Record<string, string | number | boolean | undefined>): void;
}

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

/** What the link keeps between calls: the running bot, whether it is logged in, and the restarts' backoff. */
interface LinkState {
  bot: Bot | null;
  loggedIn: boolean;
  stopped: boolean;
  failures: number;
  restartTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * The link to WeChat: its sender and room lister exist before the bot starts (the services are
 * built with them), and `start` brings the bot up with the intake the services provide.
 */
export function createWechatLink(options: WechatLinkOptions) {
  const state: LinkState = { bot: null, loggedIn: false, stopped: false, failures: 0, restartTimer: null };
  const target = linkTarget(state);
  const sender: ChannelSender = createWechatSender(target, new Pacing(options.limits));

  return {
    sender,
    chatMembers: (channel: ChannelName, chatId: string): Promise<string[] | null> =>
      roomMembers(state, channel, chatId),
    target,
    /** Starts the bot; a failure to start is retried with backoff. */
    async start(intake: Intake) {
      state.stopped = false;
      await startOrRetry(state, options, intake);
    },
    async stop() {
      state.stopped = true;
      if (state.restartTimer) clearTimeout(state.restartTimer);
      await state.bot?.stop();
      state.bot = null;
      state.loggedIn = false;
    },
    /** The bot, for tests. */
    bot: () => state.bot,
  };
}

export type WechatLink = ReturnType<typeof createWechatLink>;

/** Where the sender says things: whichever bot is up now, once it is logged in. */
function linkTarget(state: LinkState): WechatTarget {
  return {
    ready: () => state.bot !== null && state.loggedIn,
    async say(chatId, text) {
      if (!state.bot) throw new Error('wechat not started');
      const roomId = roomIdOf(chatId);
      const to = roomId
        ? await state.bot.Room.find({ id: roomId })
        : await state.bot.Contact.find({ id: chatId });
      if (!to) throw new Error(roomId ? 'room not found' : 'contact not found');
      const sent = await to.say(text);
      return sent && typeof sent === 'object' && 'id' in sent ? String(sent.id) : null;
    },
  };
}

/** A room's members but the bot itself; null for anything that is not a WeChat room the bot can see now. */
async function roomMembers(state: LinkState, channel: ChannelName, chatId: string): Promise<string[] | null> {
  if (channel !== 'wechat' || !state.bot || !state.loggedIn) return null;
  const roomId = roomIdOf(chatId);
  if (!roomId) return null;
  const room = await state.bot.Room.find({ id: roomId });
  if (!room) return null;
  const self = state.bot.currentUser.id;
  return (await room.memberAll()).map((m: { id: string }) => m.id).filter((id: string) => id !== self);
}

/** Starts the bot; a failure to start is logged and retried with backoff. */
function startOrRetry(state: LinkState, options: WechatLinkOptions, intake: Intake): Promise<void> {
  return startBot(state, options, intake).catch((error: unknown) => {
    options.log.error('wechat.start_failed', why(error));
    scheduleRestart(state, options, intake);
  });
}

/** Builds a bot with a new puppet, listens to it, and starts it. */
async function startBot(state: LinkState, options: WechatLinkOptions, intake: Intake): Promise<void> {
  const { log } = options;
  const { WechatyBuilder } = await import('wechaty');
  const built = WechatyBuilder.build({
    name: 'tongxin',
    ...(typeof options.puppet === 'function'
      ? { puppet: options.puppet() }
      : // Any installed puppet's package loads by name, not only the ones wechaty lists.
        { puppet: options.puppet as PuppetName }),
    ...(options.token ? { puppetOptions: { token: options.token } } : {}),
  });
  state.bot = built;
  built.on('scan', (qr, status) => showQr(qr, status, options));
  built.on('login', (user) => {
    state.loggedIn = true;
    state.failures = 0;
    options.onQr?.(null);
    log.info('wechat.login', { id: user.id.slice(0, 60) });
    options.onLogin?.();
  });
  built.on('logout', (user, reason) => {
    state.loggedIn = false;
    log.warn('wechat.logout', { id: user.id.slice(0, 60), reason: String(reason ?? '').slice(0, 100) });
  });
  built.on('error', (error) => {
    log.error('wechat.error', why(error));
    scheduleRestart(state, options, intake);
  });
  built.on('message', (message) => takeMessage(built, message, intake, log));
  await built.start();
}

/** Stops the bot and starts a new one after a backoff, unless the link is stopped or a restart is already due. */
function scheduleRestart(state: LinkState, options: WechatLinkOptions, intake: Intake) {
  if (state.stopped || state.restartTimer) return;
  state.failures++;
  const delay = Math.min(60_000, (options.restartMs ?? 1000) * 2 ** (state.failures - 1));
  options.log.warn('wechat.restart', { inMs: delay, failures: state.failures });
  state.restartTimer = setTimeout(async () => {
    state.restartTimer = null;
    try {
      await state.bot?.stop();
    } catch {
      // Already down.
    }
    state.loggedIn = false;
    state.bot = null;
    await startOrRetry(state, options, intake);
  }, delay);
}
