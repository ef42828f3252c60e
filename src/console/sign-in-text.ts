/**
 * What the console's way in says, in both languages: the sign-in pages, why a link, a token or a
 * form was refused, and the bilingual paragraph pair these pages use (they are shown before the
 * reader's language is known, so they say everything in both).
 */
import { html } from 'hono/html';
import type { L10n } from '../../kernel/l10n.ts';

export const text = {
  signIn: { zh: '登录后台', en: 'Sign in' },
  howTo: {
    zh: '请在飞书、微信或网页聊天中给同心助手发送“后台”，点收到的链接登录。链接 10 分钟内有效，只能用一次。',
    en: 'Send "console" to the Tongxin bot in Lark, WeChat or the web chat, and open the link it sends you. The link works once, within 10 minutes.',
  },
  tokenLabel: { zh: '管理员令牌（ADMIN_TOKEN）', en: 'Admin token (ADMIN_TOKEN)' },
  tokenSignIn: { zh: '用令牌登录', en: 'Sign in with the token' },
  confirm: { zh: '确认登录', en: 'Confirm sign-in' },
  confirmBody: {
    zh: '点下面的按钮，用这条链接登录后台。',
    en: 'Press the button to sign in to the console with this link.',
  },
  linkRefused: {
    unknown: { zh: '这条登录链接无效。', en: 'This sign-in link is not valid.' },
    expired: {
      zh: '这条登录链接已过期（10 分钟内有效）。',
      en: 'This sign-in link has expired (it lasts 10 minutes).',
    },
    used: {
      zh: '这条登录链接已经用过，每条只能用一次。',
      en: 'This sign-in link was already used; each works once.',
    },
    not_officer: { zh: '后台只对工会干部开放。', en: 'The console is for union officers only.' },
  } satisfies Record<string, L10n>,
  again: {
    zh: '请给同心助手再发一次“后台”，获取新的链接。',
    en: 'Send "console" to the Tongxin bot again for a new link.',
  },
  badToken: { zh: '令牌不正确。', en: 'The token is not right.' },
  tooMany: (seconds: number) => ({
    zh: `登录尝试过多，请 ${seconds} 秒后再试。`,
    en: `Too many sign-in attempts. Please try again in ${seconds} seconds.`,
  }),
  noToken: {
    zh: '未设置 ADMIN_TOKEN，不能用令牌登录。',
    en: 'ADMIN_TOKEN is not set, so token sign-in is off.',
  },
  forged: {
    zh: '表单已失效或来源不明，没有执行。请刷新页面后重试。',
    en: 'The form is stale or did not come from this console, so nothing was done. Reload the page and try again.',
  },
  refusedTitle: { zh: '没有执行', en: 'Not done' },
};

export const both = (l: L10n) => html`<p>${l.zh}</p><p lang="en">${l.en}</p>`;
