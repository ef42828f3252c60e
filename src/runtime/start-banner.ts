/**
 * What the Node server says once it listens: in one line, where to open the web chat and the
 * officers' console; and, when messages go to people's phones (a messenger channel is set up)
 * while their links lead to this machine, a warning that says so and what to set.
 */

import { linkBase, listenUrl, pointsAtThisMachine, shownUrl } from '../http/public-url.ts';
import type { Config } from '../kernel/config.ts';

export interface Opening {
  chat: string;
  console: string;
  message: string;
}

/** Where to open the web chat and the console: under PUBLIC_URL, else at the address listened on. */
export function opening(
  publicUrl: string | undefined,
  listening: { address: string; port: number },
): Opening {
  const base = shownUrl(publicUrl ?? listenUrl(listening.address, listening.port));
  const chat = `${base}/chat`;
  const officers = `${base}/console`;
  return {
    chat,
    console: officers,
    message: `网页聊天 ${chat}，干部后台 ${officers} / Web chat ${chat}, officers' console ${officers}`,
  };
}

type Messenger = 'lark' | 'wechat';

const names: Record<Messenger, { zh: string; en: string }> = {
  lark: { zh: '飞书', en: 'Lark' },
  wechat: { zh: '微信', en: 'WeChat' },
};

export type MessengerConfig = Pick<Config, 'LARK_APP_ID' | 'WECHATY_PUPPET'>;

/** The messenger channels set up: what they send is read on phones. The web chat is not one. */
export function messengerChannels(config: MessengerConfig): Messenger[] {
  return [
    ...(config.LARK_APP_ID ? ['lark' as const] : []),
    ...(config.WECHATY_PUPPET ? ['wechat' as const] : []),
  ];
}

export interface PhoneLinkWarning {
  channels: string;
  links: string;
  message: string;
}

/**
 * A warning when links sent through a messenger would not open on a phone: PUBLIC_URL unset (the
 * links then lead to the listen address) or pointing at this machine. None without a messenger.
 */
export function phoneLinkWarning(
  config: MessengerConfig & Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>,
): PhoneLinkWarning | null {
  const channels = messengerChannels(config);
  if (channels.length === 0) return null;
  if (config.PUBLIC_URL && !pointsAtThisMachine(config.PUBLIC_URL)) return null;
  const links = shownUrl(linkBase(config));
  const zh = channels.map((c) => names[c].zh).join('、');
  const en = channels.map((c) => names[c].en).join(' and ');
  const why = config.PUBLIC_URL
    ? { zh: 'PUBLIC_URL 指向本机', en: 'PUBLIC_URL points at this machine' }
    : { zh: '未设置 PUBLIC_URL', en: 'PUBLIC_URL is not set' };
  const reach = pointsAtThisMachine(links)
    ? { zh: '手机上打不开', en: 'which no phone can open' }
    : { zh: '不在同一网络的手机打不开', en: 'which phones outside this network cannot open' };
  const example = 'https://tongxin.example.com';
  return {
    channels: channels.join(','),
    links,
    message:
      `${why.zh}：发到${zh}的消息里的链接（动态全文、后台登录链接等）指向 ${links}，${reach.zh}。` +
      `请把 PUBLIC_URL 设为手机能访问的地址，如 ${example} / ` +
      `${why.en}: links in messages sent to ${en} (a news item's full text, a console sign-in link) ` +
      `point at ${links}, ${reach.en}. Set PUBLIC_URL to an address phones can reach, such as ${example}`,
  };
}
