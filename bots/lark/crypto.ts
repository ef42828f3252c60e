/**
 * What the Lark channel needs of cryptography: the request signature (hex SHA-256 of timestamp
 * + nonce + Encrypt Key + the raw body), the `{"encrypt": …}` cipher (AES-256-CBC, key =
 * SHA-256 of the Encrypt Key, IV = the first 16 bytes of the decoded data, PKCS#7 padding), and
 * comparing a presented secret with the configured one. Each runtime supplies the fastest
 * implementation it has: node:crypto on Node (crypto-node.ts), Web Crypto elsewhere
 * (crypto-web.ts).
 */

export { sameHex } from '../../kernel/same-hex.ts';

export type MaybePromise<T> = T | Promise<T>;

export interface LarkCrypto {
  /** hex(SHA-256(timestamp + nonce + encryptKey + rawBody)), over the body's exact bytes. */
  signature(timestamp: string, nonce: string, encryptKey: string, rawBody: Uint8Array): MaybePromise<string>;
  /** The decrypted text, or null when the data is not something this key encrypted. */
  decrypt(encryptKey: string, encrypted: string): MaybePromise<string | null>;
  /** Encrypts as the platform does (the stand-in and tests make real encrypted events with it). */
  encrypt(encryptKey: string, plain: string): MaybePromise<string>;
  /** Whether a presented secret equals the configured one, in time that leaks neither its length nor its content. */
  sameSecret(given: string, expected: string): MaybePromise<boolean>;
}

/** Standard base64 with padding, as the platform sends it; anything else is not its cipher text. */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

/** Cipher text that could hold an IV and at least one block. */
export const plausibleCipherLength = (bytes: number) => bytes >= 32 && bytes % 16 === 0;

/** Small caches for values derived from configured secrets (there are only ever a few). */
export function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size < 16) cache.set(key, value);
  }
  return value;
}
