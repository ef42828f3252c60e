/**
 * Who is on the other end of the web chat: a random visitor id in a signed, HTTP-only cookie.
 * The signing keys never live in the database (they come from the environment), so a copy of
 * the database cannot mint a cookie for anyone. Over HTTPS the cookie is `__Host-` prefixed,
 * so a sibling subdomain cannot plant one.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** Signs visitor ids and checks signatures; the keys behind it are the server's own. */
export interface VisitorSigner {
  /** `<key id>.<signature>` for the value, under the current key. */
  sign(value: string): Promise<string>;
  /** Whether `signature` signs `value` under the key `keyId` (false for a key it does not hold). */
  verify(value: string, keyId: string, signature: string): Promise<boolean>;
}

const plainName = 'tx_visitor';
const hostName = '__Host-tx_visitor';
const cookiePattern = /^(v_[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{1,32})\.([0-9a-f]{64})$/;

/** What the request's cookie says: a visitor, a cookie that no longer verifies, or none. */
export type VisitorCookie = { visitor: string } | { stale: true } | null;

function secureRequest(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

function newVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `v_${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** Reads the visitor cookie; over HTTPS only the `__Host-` one counts. */
export async function readVisitorCookie(c: Context, signer: VisitorSigner): Promise<VisitorCookie> {
  const raw = getCookie(c, secureRequest(c) ? hostName : plainName);
  if (raw === undefined) return null;
  const match = cookiePattern.exec(raw);
  if (!match) return { stale: true };
  const [, visitor, keyId, signature] = match;
  return (await signer.verify(visitor!, keyId!, signature!)) ? { visitor: visitor! } : { stale: true };
}

/** The visitor id from a valid cookie, or null. */
export async function readVisitor(c: Context, signer: VisitorSigner): Promise<string | null> {
  const cookie = await readVisitorCookie(c, signer);
  return cookie && 'visitor' in cookie ? cookie.visitor : null;
}

/**
 * The visitor's id, issuing a new signed cookie to a first-time visitor. `restarted` is true when
 * the browser held a cookie that no longer verifies (the server's key changed): the page says so.
 */
export async function ensureVisitor(
  c: Context,
  signer: VisitorSigner,
): Promise<{ visitor: string; restarted: boolean }> {
  const existing = await readVisitorCookie(c, signer);
  if (existing && 'visitor' in existing) return { visitor: existing.visitor, restarted: false };
  const visitor = newVisitorId();
  const secure = secureRequest(c);
  setCookie(c, secure ? hostName : plainName, `${visitor}.${await signer.sign(visitor)}`, {
    path: secure ? '/' : '/chat',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    maxAge: 400 * 24 * 3600,
  });
  return { visitor, restarted: existing !== null };
}
