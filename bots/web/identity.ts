/** Who is on the other end of the web chat: a random visitor id in a signed, HTTP-only cookie. */
import type { Context } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';

const cookieName = 'tx_visitor';
const visitorPattern = /^v_[A-Za-z0-9_-]{22}$/;

function newVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `v_${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** The visitor id from a valid cookie, or null when there is none or its signature does not match. */
export async function readVisitor(c: Context, secret: string): Promise<string | null> {
  const value = await getSignedCookie(c, secret, cookieName);
  return typeof value === 'string' && visitorPattern.test(value) ? value : null;
}

/** The visitor's id, issuing a new signed cookie to a first-time visitor. */
export async function ensureVisitor(c: Context, secret: string): Promise<string> {
  const existing = await readVisitor(c, secret);
  if (existing) return existing;
  const id = newVisitorId();
  const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  await setSignedCookie(c, cookieName, id, secret, {
    path: '/chat',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    maxAge: 400 * 24 * 3600,
  });
  return id;
}
