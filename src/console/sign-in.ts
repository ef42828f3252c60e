/**
 * The console's way in: by a one-time link from the bot (or ADMIN_TOKEN), each refusal a
 * bilingual page. The link opens a page with a button, so a preview fetched by a messenger cannot
 * use it up. Refused sign-ins are counted per address and minute; past ten, that address is
 * refused outright until the minute ends. A sign-in starts a session cookie (HttpOnly,
 * SameSite=Strict).
 */
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { secretsEqual } from '../http/bearer.ts';
import { attemptSignIn } from '../http/sign-in-limit.ts';
import type { ConsoleDeps } from './context.ts';
import { consoleCookie, refused, sameOrigin, security, tooMany } from './guard.ts';
import { bare } from './layout.ts';
import { openSession, sessionHours, useSignInLink } from './sessions.ts';
import { both, text } from './sign-in-text.ts';

async function startSession(c: Context, deps: ConsoleDeps, person: Parameters<typeof openSession>[1]) {
  const cookie = consoleCookie(deps.publicUrl);
  const token = await openSession(deps.db, person, deps.now());
  setCookie(c, cookie.name, token, {
    httpOnly: true,
    secure: cookie.secure,
    sameSite: 'Strict',
    path: cookie.path,
    maxAge: sessionHours * 3600,
  });
  return c.redirect('/console', 303);
}

/** How to sign in, with the token form when ADMIN_TOKEN is set. */
export function signInPage(c: Context, deps: ConsoleDeps) {
  security(c);
  return c.html(
    bare({
      title: text.signIn,
      lang: 'zh',
      body: html`${both(text.howTo)}
          ${
            deps.adminToken
              ? html`<form method="post" action="/console/signin/token" class="card">
              <label>${text.tokenLabel.zh} <span lang="en">${text.tokenLabel.en}</span>
                <input type="password" name="token" autocomplete="current-password" required></label>
              <p><button class="primary" type="submit">${text.tokenSignIn.zh} ${text.tokenSignIn.en}</button></p>
            </form>`
              : ''
          }`,
    }),
  );
}

/** The page a link opens: a button that signs in with it (a GET never uses it up). */
export function linkPage(c: Context) {
  security(c);
  const token = c.req.query('t') ?? '';
  return c.html(
    bare({
      title: text.confirm,
      lang: 'zh',
      body: html`${both(text.confirmBody)}
          <form method="post" action="/console/signin/link">
            <input type="hidden" name="t" value="${token}">
            <button class="primary" type="submit">${text.confirm.zh} ${text.confirm.en}</button>
          </form>`,
    }),
  );
}

export async function signInByLink(c: Context, deps: ConsoleDeps) {
  if (!sameOrigin(c, deps.publicUrl)) return refused(c, 403, text.forged);
  const form = await c.req.parseBody();
  const token = typeof form.t === 'string' ? form.t.slice(0, 200) : '';
  let used: Awaited<ReturnType<typeof useSignInLink>> | undefined;
  const outcome = await attemptSignIn(deps.signIns, c, 'console_link', async () => {
    used = await useSignInLink(deps.db, token, deps.now());
    return used.ok ? null : `link_${used.reason}`;
  });
  if (typeof outcome === 'object') return tooMany(c, outcome.wait);
  if (!used?.ok) {
    const reason = text.linkRefused[used?.reason ?? 'unknown'];
    return refused(c, used?.reason === 'not_officer' ? 403 : 410, {
      zh: `${reason.zh}${text.again.zh}`,
      en: `${reason.en} ${text.again.en}`,
    });
  }
  return startSession(c, deps, used.person);
}

export async function signInByToken(c: Context, deps: ConsoleDeps) {
  if (!sameOrigin(c, deps.publicUrl)) return refused(c, 403, text.forged);
  if (!deps.adminToken) return refused(c, 403, text.noToken);
  const form = await c.req.parseBody();
  const given = typeof form.token === 'string' ? form.token : '';
  const expected = deps.adminToken;
  const outcome = await attemptSignIn(deps.signIns, c, 'console_token', async () =>
    (await secretsEqual(given, expected)) ? null : 'console_token',
  );
  if (typeof outcome === 'object') return tooMany(c, outcome.wait);
  if (outcome === 'refused') return refused(c, 401, text.badToken);
  return startSession(c, deps, null);
}
