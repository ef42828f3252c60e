/**
 * Opens a Lark webhook request: size, signature over the raw bytes within a time window, JSON,
 * and decryption. Transport only: what the payload means is parse.ts's business, and the token
 * and app id are checked there, after decryption.
 *
 * One request comes unsigned even when an Encrypt Key is set: Lark's URL verification, sent when
 * the request URL is saved in the developer console, carries no signature headers (both official
 * SDKs answer it by decrypting alone). A request with none of the three headers is taken only if
 * its body opens to a `url_verification`, marked `unsigned`, so the intake insists on its token.
 */
import { type LarkCrypto, sameHex } from './crypto.ts';

/** Larger bodies are refused before anything else is done with them. */
export const maxLarkBodyBytes = 1024 * 1024;

export interface LarkRequest {
  rawBody: Uint8Array;
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

export interface LarkVerifySettings {
  /** When set, requests must be signed with it and may be encrypted with it. */
  encryptKey: string | undefined;
  windowSeconds: number;
  now: Date;
  crypto: LarkCrypto;
}

export type LarkOpened =
  | { ok: true; payload: Record<string, unknown>; unsigned?: true }
  | { ok: false; status: 413; reason: 'too_large' }
  | { ok: false; status: 400; reason: 'not_json' }
  | { ok: false; status: 401; reason: 'unsigned' | 'bad_signature' | 'undecryptable' }
  | { ok: false; status: 401; reason: 'stale'; skewSeconds: number };

export async function openLarkRequest(
  request: LarkRequest,
  settings: LarkVerifySettings,
): Promise<LarkOpened> {
  if (request.rawBody.length > maxLarkBodyBytes) return { ok: false, status: 413, reason: 'too_large' };
  const { encryptKey } = settings;
  if (encryptKey) {
    const { timestamp, nonce, signature } = request;
    if (timestamp === undefined && nonce === undefined && signature === undefined) {
      const opened = await openBody(request.rawBody, encryptKey, settings.crypto);
      return opened.ok && opened.payload.type === 'url_verification'
        ? { ...opened, unsigned: true }
        : { ok: false, status: 401, reason: 'unsigned' };
    }
    if (!timestamp || !nonce || !signature || !/^\d{1,12}$/.test(timestamp)) {
      return { ok: false, status: 401, reason: 'unsigned' };
    }
    const skewSeconds = Math.round(settings.now.getTime() / 1000 - Number(timestamp));
    if (Math.abs(skewSeconds) > settings.windowSeconds)
      return { ok: false, status: 401, reason: 'stale', skewSeconds };
    const expected = await settings.crypto.signature(timestamp, nonce, encryptKey, request.rawBody);
    if (!sameHex(signature, expected)) return { ok: false, status: 401, reason: 'bad_signature' };
  }
  return openBody(request.rawBody, encryptKey, settings.crypto);
}

/** The body as a JSON object, decrypted when it is `{"encrypt": …}`. */
async function openBody(
  rawBody: Uint8Array,
  encryptKey: string | undefined,
  crypto: LarkCrypto,
): Promise<LarkOpened> {
  const outer = parseObject(rawBody);
  if (!outer) return { ok: false, status: 400, reason: 'not_json' };
  if (typeof outer.encrypt !== 'string') return { ok: true, payload: outer };
  if (!encryptKey) return { ok: false, status: 401, reason: 'undecryptable' };
  const plain = await crypto.decrypt(encryptKey, outer.encrypt);
  const inner = plain === null ? null : parseObject(plain);
  if (!inner) return { ok: false, status: 401, reason: 'undecryptable' };
  return { ok: true, payload: inner };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseObject(body: Uint8Array | string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(typeof body === 'string' ? body : utf8.decode(body));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch /* Stryker disable next-line BlockStatement: equivalent, an empty catch returns undefined, which every caller treats as null */ {
    return null;
  }
}
