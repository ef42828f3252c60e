/**
 * The channels this deployment speaks, built from its configuration: the web chat always, Lark
 * when its app is configured. Other channels (WeChat) come from the runtime that can run them.
 */

import type { ChannelLog } from '../../bots/core/telemetry.ts';
import { createLarkChannel, type LarkChannel, type LarkChannelDeps } from '../../bots/lark/index.ts';
import type { Shortcut } from '../../bots/web/page.ts';
import { encodeAction } from '../../flows/engine/actions.ts';
import type { Config } from '../kernel/config.ts';
import { errorFields, type Logger } from '../kernel/log.ts';

/** The chips under the web chat's message box: words pressed rather than typed, so they never become answers. */
export const webShortcuts: readonly Shortcut[] = [
  { label: '菜单 Menu', said: '菜单', value: encodeAction({ k: 'word', v: 'menu' }) },
  { label: '提建议 Suggest', said: '提建议', value: encodeAction({ k: 'word', v: 'flow:suggestion' }) },
  { label: '我的 Mine', said: '我的', value: encodeAction({ k: 'word', v: 'cmd:mine' }) },
  { label: 'English', said: 'English', value: encodeAction({ k: 'word', v: 'lang_en' }) },
  { label: '中文', said: '中文', value: encodeAction({ k: 'word', v: 'lang_zh' }) },
];

/** The server's log as a channel writes to it: failures described the server's way. */
export function channelLog(log: Logger): ChannelLog {
  return {
    debug: (event, fields) => log.debug(event, fields),
    info: (event, fields) => log.info(event, fields),
    warn: (event, fields) => log.warn(event, fields),
    error: (event, fields) => log.error(event, fields),
    failed: (event, error) => log.error(event, errorFields(error)),
  };
}

export type LarkConfig = Pick<
  Config,
  | 'LARK_APP_ID'
  | 'LARK_APP_SECRET'
  | 'LARK_ENCRYPT_KEY'
  | 'LARK_VERIFICATION_TOKEN'
  | 'LARK_API_BASE'
  | 'LARK_MODE'
  | 'LARK_TIMESTAMP_WINDOW_SECONDS'
  | 'LARK_RATE_APP_PER_SECOND'
  | 'LARK_RATE_APP_PER_MINUTE'
  | 'LARK_RATE_CHAT_PER_SECOND'
>;

/** What the Lark channel is built with, the server's log given as it is (the channel gets its view of it). */
export type LarkParts = Omit<LarkChannelDeps, 'log'> & { log: Logger };

/** Lark, when its app id, secret and verification token are all set. */
export function larkChannelOf(config: LarkConfig, parts: LarkParts): LarkChannel | null {
  if (!config.LARK_APP_ID || !config.LARK_APP_SECRET || !config.LARK_VERIFICATION_TOKEN) return null;
  return createLarkChannel(
    {
      appId: config.LARK_APP_ID,
      appSecret: config.LARK_APP_SECRET,
      verificationToken: config.LARK_VERIFICATION_TOKEN,
      encryptKey: config.LARK_ENCRYPT_KEY,
      apiBase: config.LARK_API_BASE,
      mode: config.LARK_MODE,
      windowSeconds: config.LARK_TIMESTAMP_WINDOW_SECONDS,
      limits: {
        appPerSecond: config.LARK_RATE_APP_PER_SECOND,
        appPerMinute: config.LARK_RATE_APP_PER_MINUTE,
        chatPerSecond: config.LARK_RATE_CHAT_PER_SECOND,
      },
    },
    { ...parts, log: channelLog(parts.log) },
  );
}
