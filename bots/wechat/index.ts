/**
 * Personal WeChat as a channel, over a wechaty link: its sender, its rooms' members, and the
 * puppet started and stopped by whoever may hold the login (one instance at a time).
 */
import type { Channel } from '../core/channel.ts';
import type { Intake } from '../core/intake.ts';
import type { createWechatLink } from './wechaty.ts';

type WechatLink = Pick<ReturnType<typeof createWechatLink>, 'sender' | 'chatMembers' | 'start' | 'stop'>;

export function createWechatChannel(
  link: WechatLink,
  options: {
    /** Whether this instance may send now (it holds the login); always when not given. */
    sending?: () => boolean;
  } = {},
): Channel {
  return {
    name: 'wechat',
    sender: {
      channel: 'wechat',
      send: (envelope) => link.sender.send(envelope),
      ...(options.sending ? { sending: options.sending } : {}),
    },
    start: (intake: Intake) => link.start(intake),
    stop: () => link.stop(),
    members: (chatId) => link.chatMembers('wechat', chatId),
  };
}
