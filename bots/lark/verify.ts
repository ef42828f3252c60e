/**
 * Opens a Lark webhook request: size, signature over the raw bytes within a time window, JSON,
 * and decryption. Transport only: what the payload means is parse.ts's business, and the token
 * and app id are checked there, after decryption.
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
  | { ok: true; payload: Record<string, unknown> }
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
    if (!timestamp || !nonce || !signature || !/^\d{1,12}$/.test(timestamp)) {
      return { ok: false, status: 401, reason: 'unsigned' };
    }
    const skewSeconds = Math.round(settings.now.getTime() / 1000 - Number(timestamp));
    if (Math.abs(skewSeconds) > settings.windowSeconds)
      return { ok: false, status: 401, reason: 'stale', skewSeconds };
    const expected = await settings.crypto.signature(timestamp, nonce, encryptKey, request.rawBody);
    if (!sameHex(signature, expected)) return { ok: false, status: 401, reason: 'bad_signature' };
  }
  const outer = parseObject(request.rawBody);
  if (!outer) return { ok: false, status: 400, reason: 'not_json' };
  if (typeof outer.encrypt !== 'string') return { ok: true, payload: outer };
  if (!encryptKey) return { ok: false, status: 401, reason: 'undecryptable' };
  const plain = await settings.crypto.decrypt(encryptKey, outer.encrypt);
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
