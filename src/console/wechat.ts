/**
 * 微信登录 (admins): the QR code the WeChat channel is waiting for, to scan with the bot's
 * account, or that none is waiting (not configured, or already logged in). The page reloads
 * itself every 20 seconds while a code is shown, as codes are replaced.
 */
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { type L10n, t } from '../../kernel/l10n.ts';
import { gate, pageUser } from './access.ts';
import type { ConsoleDeps, ConsoleEnv } from './context.ts';
import { type Html, page } from './layout.ts';

const text = {
  title: { zh: '微信登录', en: 'WeChat login' },
  scan: {
    zh: '用机器人所用的微信账号扫描下面的二维码登录。二维码会更新，本页每 20 秒刷新一次。',
    en: "Scan this QR code with the bot's WeChat account to log in. Codes are replaced; this page reloads every 20 seconds.",
  },
  none: {
    zh: '没有等待扫描的二维码：微信渠道未启用（未设置 WECHATY_PUPPET），或已经登录。',
    en: 'No QR code is waiting: the WeChat channel is off (WECHATY_PUPPET is not set) or already logged in.',
  },
} satisfies Record<string, L10n>;

export function wechatPage(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>().get('/console/wechat', gate(deps, 'wechat.login'), async (c) => {
    const user = c.get('user');
    const lang = user.language;
    const qr = deps.wechatQr?.() ?? null;
    let body: Html;
    if (qr) {
      const { toString: qrSvg } = await import('qrcode');
      const svg = await qrSvg(qr, { type: 'svg', margin: 2, width: 280 });
      c.header('refresh', '20');
      body = html`<p>${t(lang, text.scan)}</p><div class="card" style="max-width:320px" role="img" aria-label="${t(lang, text.title)}">${raw(svg)}</div>`;
    } else {
      body = html`<p>${t(lang, text.none)}</p>`;
    }
    return c.html(page({ title: text.title, user: pageUser(user), path: '/console/wechat', body }));
  });
}
