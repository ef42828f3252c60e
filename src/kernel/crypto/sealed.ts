/**
 * Sensitive text (help requests, contact details, officers' case notes) is sealed with
 * AES-256-GCM in the application before it reaches the database. A sealed value names the key
 * that sealed it, so keys can be rotated: the first key of the ring seals, every key opens.
 * Web Crypto, so every runtime seals the same way.
 *
 *   tx1.<key id>.<base64 of 12-byte IV + cipher text + 16-byte tag>
 */

import { concatBytes } from '../../../kernel/bytes.ts';

export interface DataKey {
  id: string;
  key: CryptoKey;
}

export interface KeyRing {
  /** Seals with the current key. */
  seal(plain: string): Promise<string>;
  /** Opens a value sealed with any key of the ring; throws on a value it cannot open. */
  open(sealed: string): Promise<string>;
  /** Whether a stored value is sealed (rather than plain text). */
  isSealed(value: string): boolean;
  /** Seals bytes (a file) with the current key: `<key id>.` then the IV, cipher text and tag. */
  sealBytes(plain: Uint8Array): Promise<Uint8Array>;
  /** Opens bytes sealed by `sealBytes` under any key of the ring; throws on bytes it cannot open. */
  openBytes(sealed: Uint8Array): Promise<Uint8Array>;
  currentId: string;
  /** Every key id of the ring, the sealing key first. */
  ids: readonly string[];
  /**
   * HMAC-SHA-256 (hex) of `data` under a key derived (HKDF) from one data key for one purpose:
   * a value keyed to a person (a lookup tag, a cookie signature) that a copy of the database
   * alone cannot recompute. The current key unless `keyId` names another of the ring.
   */
  mac(purpose: string, data: string, keyId?: string): Promise<string>;
}

const prefix = 'tx1';
const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyRingError extends Error {}

/**
 * A value sealed with a key this ring does not hold: during a rolling change of DATA_KEY another
 * instance may hold it, so what meets one waits rather than fails.
 */
export class UnknownKeyError extends KeyRingError {}

/**
 * Reads DATA_KEY: one or more `id:base64` pairs separated by commas, the first sealing new
 * values (a bare base64 key gets the id `k1`). Each key is 32 random bytes.
 */
export function parseDataKeys(text: string): { id: string; raw: Uint8Array<ArrayBuffer> }[] {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyRingError('DATA_KEY is empty');
  const seen = new Set<string>();
  return entries.map((entry) => {
    const at = entry.indexOf(':');
    const id = at === -1 ? 'k1' : entry.slice(0, at);
    // A bare key has no colon: at is -1, and this is the whole entry.
    const encoded = entry.slice(at + 1);
    if (!keyIdPattern.test(id))
      throw new KeyRingError(`key id "${id.slice(0, 40)}" should be letters, digits, - or _`);
    if (seen.has(id)) throw new KeyRingError(`key id "${id}" appears twice`);
    seen.add(id);
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    } catch {
      throw new KeyRingError(`key "${id}" is not base64`);
    }
    if (raw.length !== 32) throw new KeyRingError(`key "${id}" should be 32 bytes, it is ${raw.length}`);
    return { id, raw };
  });
}

/** Lower-case hex of bytes, two digits each. */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** A new key in DATA_KEY's format. */
export function generateDataKey(id = 'k1'): string {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const b of raw) binary += String.fromCharCode(b);
  return `${id}:${btoa(binary)}`;
}

/**
 * AES-256-GCM over a raw 32-byte key, 12-byte IV and additional data; the sealed form is the cipher
 * text followed by its 16-byte tag. Web Crypto by default, which every runtime has; on Node,
 * node:crypto does the same about ten times faster (src/kernel/crypto/aes-gcm-node.ts).
 */
export interface AesGcm {
  encrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plain: Uint8Array): Promise<Uint8Array>;
  /** Rejects when the data, the additional data or the key is not the one it was sealed with. */
  decrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;
}

/** AES-256-GCM with Web Crypto, each raw key imported once. */
export function webAesGcm(): AesGcm {
  const imported = new WeakMap<Uint8Array, Promise<CryptoKey>>();
  const keyOf = (raw: Uint8Array) => {
    const key =
      imported.get(raw) ??
      // Stryker disable next-line BooleanLiteral: equivalent, the key never leaves this module, so whether it could be exported is not observable.
      crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, [
        'encrypt',
        'decrypt',
      ]);
    imported.set(raw, key);
    return key;
  };
  /** One AES-GCM operation under a raw key, with this IV and additional data. */
  const run =
    (op: 'encrypt' | 'decrypt') =>
    async (raw: Uint8Array, iv: Uint8Array, aad: Uint8Array, data: Uint8Array) =>
      new Uint8Array(
        await crypto.subtle[op](
          {
            name: 'AES-GCM',
            iv: iv as Uint8Array<ArrayBuffer>,
            additionalData: aad as Uint8Array<ArrayBuffer>,
          },
          await keyOf(raw),
          data as Uint8Array<ArrayBuffer>,
        ),
      );
  return { encrypt: run('encrypt'), decrypt: run('decrypt') };
}

/**
 * A key ring over DATA_KEY's text; a malformed text throws at once. `aes` is the runtime's
 * AES-GCM (Web Crypto unless given).
 */
export function createKeyRing(dataKeys: string, aes: AesGcm = webAesGcm()): KeyRing {
  const parsed = parseDataKeys(dataKeys);
  const currentId = parsed[0]!.id;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const raws = new Map(parsed.map(({ id, raw }) => [id, raw]));
  /** Derives the MAC key for one data key and purpose (HKDF-SHA-256, empty salt, info `tongxin:<purpose>`). */
  const deriveMacKey = (keyId: string, purpose: string): Promise<CryptoKey> => {
    const raw = raws.get(keyId);
    if (!raw) return Promise.reject(new UnknownKeyError(`no key "${keyId}" in DATA_KEY`));
    return crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']).then((base) =>
      crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: new Uint8Array(0),
          info: encoder.encode(`tongxin:${purpose}`),
        },
        base,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        // Stryker disable next-line BooleanLiteral: equivalent, the derived key never leaves the ring, so whether it could be exported is not observable.
        false,
        ['sign'],
      ),
    );
  };
  /** Derived MAC keys by key id and purpose, each derived once. */
  const macKeys = new Map<string, Promise<CryptoKey>>();
  const macKey = (keyId: string, purpose: string): Promise<CryptoKey> => {
    const name = `${keyId}\n${purpose}`;
    const key = macKeys.get(name) ?? deriveMacKey(keyId, purpose);
    macKeys.set(name, key);
    return key;
  };

  return {
    currentId,
    ids: parsed.map((p) => p.id),
    async mac(purpose, data, keyId = currentId) {
      const signature = await crypto.subtle.sign('HMAC', await macKey(keyId, purpose), encoder.encode(data));
      return hex(new Uint8Array(signature));
    },
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const cipher = await aes.encrypt(
        raws.get(currentId)!,
        iv,
        encoder.encode(currentId),
        encoder.encode(plain),
      );
      const joined = concatBytes([iv, cipher]);
      let binary = '';
      for (const b of joined) binary += String.fromCharCode(b);
      return `${prefix}.${currentId}.${btoa(binary)}`;
    },
    async open(sealed) {
      const [tag, id, body] = sealed.split('.');
      if (tag !== prefix || !id || body === undefined) throw new KeyRingError('not a sealed value');
      const key = raws.get(id);
      if (!key) throw new UnknownKeyError(`no key "${id}" in DATA_KEY to open this value`);
      const data = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
      return decoder.decode(await aes.decrypt(key, data.slice(0, 12), encoder.encode(id), data.slice(12)));
    },
    isSealed: (value) => value.startsWith(`${prefix}.`),
    sealBytes: (plain) => sealBytes(aes, raws, currentId, plain),
    openBytes: (sealed) => openBytes(aes, raws, sealed),
  };
}

/** Bytes sealed under the current key: `<key id>.`, then the IV, cipher text and tag. */
async function sealBytes(
  aes: AesGcm,
  raws: ReadonlyMap<string, Uint8Array>,
  currentId: string,
  plain: Uint8Array,
): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const head = encoder.encode(`${currentId}.`);
  const cipher = await aes.encrypt(raws.get(currentId)!, iv, encoder.encode(currentId), plain);
  return concatBytes([head, iv, cipher]);
}

/** Opens bytes from `sealBytes` with the key they name. */
async function openBytes(
  aes: AesGcm,
  raws: ReadonlyMap<string, Uint8Array>,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  // A key id is at most 32 characters of [A-Za-z0-9_-], then a dot.
  const dot = sealed.subarray(0, 34).indexOf(0x2e);
  const id = dot > 0 ? new TextDecoder().decode(sealed.subarray(0, dot)) : '';
  if (!keyIdPattern.test(id)) throw new KeyRingError('not sealed bytes');
  const key = raws.get(id);
  if (!key) throw new UnknownKeyError(`no key "${id}" in DATA_KEY to open these bytes`);
  const body = sealed.subarray(dot + 1);
  const plain = await aes.decrypt(key, body.slice(0, 12), new TextEncoder().encode(id), body.slice(12));
  // A plain view of the bytes, whichever runtime's array the cipher handed back.
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
}
