/**
 * What guards every console response: the security headers, the session cookie's name and flags
 * (`__Host-` and Secure over https), the same-origin check a form post must pass, and the
 * bilingual page that refuses (with Retry-After when there were too many sign-in attempts).
 */
import type { Context } from 'hono';
import type { L10n, Lang } from '../../kernel/l10n.ts';
import { bare } from './layout.ts';
import { sessionCookie } from './sessions.ts';
import { both, text } from './sign-in-text.ts';

/** The session cookie for a console served at `publicUrl`, and whether it is Secure. */
export function consoleCookie(publicUrl: string) {
  const secure = publicUrl.startsWith('https:');
  return { secure, ...sessionCookie(secure) };
}

export function security(c: Context) {
  c.header(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  c.header('x-content-type-options', 'nosniff');
  // Same-origin requests keep their origin (the forms' check uses it); nothing leaks elsewhere.
  c.header('referrer-policy', 'same-origin');
  c.header('cache-control', 'no-store');
}

/** A form post must come from this origin (browsers send Origin on every POST). */
export function sameOrigin(c: Context, publicUrl: string) {
  const origin = c.req.header('origin');
  // A browser that withholds the origin ("null") still says where the request came from.
  if (!origin || origin === 'null') {
    const site = c.req.header('sec-fetch-site');
    return origin === 'null' ? site === 'same-origin' : site !== 'cross-site';
  }
  return origin === new URL(c.req.url).origin || origin === new URL(publicUrl).origin;
}

export function refused(c: Context, status: 400 | 401 | 403 | 410 | 429, message: L10n, lang: Lang = 'zh') {
  security(c);
  return c.html(bare({ title: text.refusedTitle, lang, body: both(message) }), status);
}

export function tooMany(c: Context, seconds: number) {
  c.header('retry-after', String(seconds));
  return refused(c, 429, text.tooMany(seconds));
}
