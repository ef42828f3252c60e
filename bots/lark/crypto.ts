/**
 * Lark's request crypto, on Web Crypto so it runs on Node and Workers alike: the signature over
 * the raw body, and decryption of `{"encrypt": …}` bodies (AES-256-CBC, key = SHA-256 of the
 * Encrypt Key, IV = the first 16 bytes of the decoded data, PKCS#7 padding).
 */

const encoder = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** hex(SHA-256(timestamp + nonce + encryptKey + rawBody)), computed over the body's exact bytes. */
export async function larkSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Uint8Array,
): Promise<string> {
  const data = concat(encoder.encode(timestamp + nonce + encryptKey), rawBody);
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
}

/** Compares two hex strings in time that does not depend on where they differ. */
export function sameHex(given: string, expected: string): boolean {
  const a = given.toLowerCase();
  const b = expected.toLowerCase();
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}

const hexDigest = async (text: string) =>
  toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));

/** Digests of configured secrets, computed once: they are compared on every request. */
const expectedDigests = new Map<string, Promise<string>>();

/** Compares two secrets through their digests, so neither length nor content leaks through timing. */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  let digest = expectedDigests.get(expected);
  if (!digest) {
    digest = hexDigest(expected);
    if (expectedDigests.size < 16) expectedDigests.set(expected, digest);
  }
  const [a, b] = await Promise.all([hexDigest(given), digest]);
  return sameHex(a, b);
}

/** Imported keys, one per Encrypt Key and use: importing on every request costs more than decrypting. */
const aesKeys = new Map<string, Promise<CryptoKey>>();

function aesKey(encryptKey: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const id = `${usage}:${encryptKey}`;
  let key = aesKeys.get(id);
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', encoder.encode(encryptKey))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, [usage]));
    if (aesKeys.size < 16) aesKeys.set(id, key);
  }
  return key;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The decrypted text, or null when the data is not something this key encrypted. */
export async function decryptLark(encryptKey: string, encrypted: string): Promise<string | null> {
  const data = fromBase64(encrypted);
  if (!data || data.length < 32 || data.length % 16 !== 0) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-CBC', iv: data.slice(0, 16) },
      await aesKey(encryptKey, 'decrypt'),
      data.slice(16),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return null;
  }
}

/** Encrypts as the platform does (used by the stand-in and tests to make real encrypted events). */
export async function encryptLark(encryptKey: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const cipher = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-CBC', iv },
      await aesKey(encryptKey, 'encrypt'),
      encoder.encode(plain),
    ),
  );
  return btoa(String.fromCharCode(...concat(iv, cipher)));
}
