/**
 * Who is on the other end of the web chat: a random visitor id in a signed, HTTP-only cookie.
 * The signing keys never live in the database (they come from the environment), so a copy of
 * the database cannot mint a cookie for anyone. Where the site is HTTPS the cookie is `__Host-`
 * prefixed, so a sibling subdomain cannot plant one.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** Signs visitor ids and checks signatures; the keys behind it are the server's own. */
export interface VisitorSigner {
  /** The key new cookies are signed with. */
  currentKeyId: string;
  /** Whether this key id is one the signer holds. */
  holds(keyId: string): boolean;
  /** `<key id>.<signature>` for the value, under the current key. */
  sign(value: string): Promise<string>;
  /** Whether `signature` signs `value` under the key `keyId` (false for a key it does not hold). */
  verify(value: string, keyId: string, signature: string): Promise<boolean>;
}

const plainName = 'tx_visitor';
const hostName = '__Host-tx_visitor';
const cookiePattern = /^(v_[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{1,32})\.([0-9a-f]{64})$/;
/** The format of cookies signed before the key left the database: the id and a base64 HMAC. */
const earlierPattern = /^v_[A-Za-z0-9_-]{22}\.[A-Za-z0-9+/]{43}=$/;

/**
 * What the request's cookie says: a visitor (and whether their cookie should be signed again with
 * the current key), a cookie signed with a key the server no longer holds (or in the earlier
 * format), or none (absent, malformed or forged alike).
 */
export type VisitorCookie = { visitor: string; resign: boolean } | { stale: true } | null;

/** Whether the cookie is kept `__Host-` and Secure: the site is HTTPS, by its public URL or this request. */
export const secureSite = (c: Context, publicUrl: string): boolean =>
  publicUrl.startsWith('https:') || new URL(c.req.url).protocol === 'https:';

function newVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `v_${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** Reads the visitor cookie; on an HTTPS site only the `__Host-` one counts. */
export async function readVisitorCookie(
  c: Context,
  signer: VisitorSigner,
  secure: boolean,
): Promise<VisitorCookie> {
  const raw = getCookie(c, secure ? hostName : plainName);
  if (raw === undefined) return null;
  const match = cookiePattern.exec(raw);
  if (!match) return earlierPattern.test(raw) ? { stale: true } : null;
  const [, visitor, keyId, signature] = match;
  if (!signer.holds(keyId!)) return { stale: true };
  if (!(await signer.verify(visitor!, keyId!, signature!))) return null;
  return { visitor: visitor!, resign: keyId !== signer.currentKeyId };
}

/** The visitor id from a valid cookie, or null. */
export async function readVisitor(
  c: Context,
  signer: VisitorSigner,
  secure: boolean,
): Promise<string | null> {
  const cookie = await readVisitorCookie(c, signer, secure);
  return cookie && 'visitor' in cookie ? cookie.visitor : null;
}

async function issue(c: Context, signer: VisitorSigner, secure: boolean, visitor: string): Promise<void> {
  setCookie(c, secure ? hostName : plainName, `${visitor}.${await signer.sign(visitor)}`, {
    path: secure ? '/' : '/chat',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    maxAge: 400 * 24 * 3600,
  });
}

/**
 * The visitor's id, issuing a new signed cookie to a first-time visitor and signing an existing
 * one again when it was signed with an older key (so dropping that key later strands nobody).
 * `restarted` is true when the browser held a cookie signed with a key the server no longer holds
 * (or in the earlier format): the page then says so.
 */
export async function ensureVisitor(
  c: Context,
  signer: VisitorSigner,
  secure: boolean,
): Promise<{ visitor: string; restarted: boolean }> {
  const existing = await readVisitorCookie(c, signer, secure);
  if (existing && 'visitor' in existing) {
    if (existing.resign) await issue(c, signer, secure, existing.visitor);
    return { visitor: existing.visitor, restarted: false };
  }
  const visitor = newVisitorId();
  await issue(c, signer, secure, visitor);
  return { visitor, restarted: existing !== null };
}
