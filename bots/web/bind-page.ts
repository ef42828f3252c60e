/**
 * The page an invitation link opens (/chat/bind?code=…): whose invitation it is (the name masked)
 * and a button that binds this browser to that person. The binding itself is a chat message
 * ("绑定 <code>") taken in through the intake like any other, so it is processed once and answered
 * in the chat; opening the link binds nothing, and a post from another site is refused.
 */

import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Intake } from '../core/intake.ts';
import { ensureVisitor, readVisitor, secureSite } from './identity.ts';
import type { WebChatDeps } from './routes.ts';
import { fromThisSite } from './upload.ts';

/** Whose code it is, or why it cannot be used: the server's answer, as the page shows it. */
export type BindingPreview =
  | { ok: true; name: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

const text = {
  title: '绑定身份 · Link your account',
  invited: (name: string): readonly [string, string] => [
    `这是给 ${name} 的邀请。绑定后，您在这个浏览器里提交过和将要提交的事项都归入这个身份，换浏览器或手机也能用新的邀请或绑定码找回。`,
    `This invitation is for ${name}. Once linked, what you filed and will file in this browser belongs to that person, and a new invitation or binding code brings it back in another browser or phone.`,
  ],
  notYou: [
    '如果这不是您的名字，请不要绑定，并告诉工会。',
    'If that is not your name, do not link, and tell the union.',
  ],
  confirm: '绑定 · Link',
  refused: {
    unknown: [
      '这个邀请链接不对，请核对或向工会索取新的邀请。',
      'This invitation link is not valid; check it or ask the union for a new one.',
    ],
    used: [
      '这个邀请已经用过了，每个邀请只能用一次。请向工会索取新的邀请，或在已绑定的渠道发送“绑定码”。',
      'This invitation has been used; each works once. Ask the union for a new one, or send "binding code" in a linked channel.',
    ],
    expired: [
      '这个邀请已过期，请向工会索取新的邀请。',
      'This invitation has expired; ask the union for a new one.',
    ],
  },
  toChat: '进入聊天 · Open the chat',
  forged: ['请从邀请链接打开本页后再绑定。', 'Please open this page from the invitation link, then link.'],
} as const;

const page = (body: ReturnType<typeof html>) => html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${text.title}</title>
<style>body{margin:0;font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f6f8fa;color:#1f2328}
main{max-width:520px;margin:0 auto;padding:24px 16px}h1{font-size:20px}p[lang=en]{color:#5b6470;font-size:14px}
button,a.button{display:inline-block;min-height:44px;padding:10px 20px;border-radius:8px;border:0;background:#b3261e;color:#fff;font-size:16px;text-decoration:none}</style></head>
<body><main><h1>${text.title}</h1>${body}</main></body></html>`;

const both = (pair: readonly [string, string]) => html`<p>${pair[0]}</p><p lang="en">${pair[1]}</p>`;

function headers(c: Context) {
  c.header('cache-control', 'no-store');
  c.header(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.header('referrer-policy', 'no-referrer');
  c.header('x-content-type-options', 'nosniff');
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, 32);
}

export function bindRoutes(deps: WebChatDeps, intake: Intake) {
  return new Hono()
    .get('/chat/bind', async (c) => {
      headers(c);
      const code = (c.req.query('code') ?? '').slice(0, 40);
      const preview: BindingPreview = deps.bindingPreview
        ? await deps.bindingPreview(code)
        : { ok: false, reason: 'unknown' };
      if (!preview.ok) {
        return c.html(
          page(
            html`${both(text.refused[preview.reason])}<p><a class="button" href="/chat">${text.toChat}</a></p>`,
          ),
          preview.reason === 'unknown' ? 404 : 410,
        );
      }
      await ensureVisitor(c, deps.signer, secureSite(c, deps.publicUrl));
      return c.html(
        page(html`${both(text.invited(preview.name))}${both(text.notYou)}
<form method="post" action="/chat/bind"><input type="hidden" name="code" value="${code}"><button type="submit">${text.confirm}</button></form>`),
      );
    })
    .post('/chat/bind', async (c) => {
      headers(c);
      const form = await c.req.parseBody();
      const code = typeof form.code === 'string' ? form.code.slice(0, 40) : '';
      const visitor = await readVisitor(c, deps.signer, secureSite(c, deps.publicUrl));
      if (!fromThisSite(c, deps.publicUrl) || !visitor || code === '') {
        return c.html(
          page(html`${both(text.forged)}<p><a class="button" href="/chat">${text.toChat}</a></p>`),
          403,
        );
      }
      const throttled = await intake.admit({ channel: 'web', sender: { externalId: visitor } });
      if (!throttled) {
        const now = deps.now();
        await intake.take(
          {
            channel: 'web',
            // The code itself is kept nowhere in clear: a second post of it is known by its hash.
            dedupeKey: `web:${visitor}:bind:${await sha256(code.toUpperCase().replace(/[^A-Z0-9]/g, ''))}`,
            sender: { externalId: visitor },
            chat: { id: visitor, type: 'private' },
            receivedAt: now.toISOString(),
            content: { type: 'text', text: `绑定 ${code}` },
          },
          { admitted: true, shown: { label: '使用邀请链接绑定 · Link with the invitation' } },
        );
        deps.hub.notify(visitor);
      }
      return c.redirect('/chat', 303);
    });
}
