/** Lark's request crypto on Web Crypto, for runtimes without node:crypto (Workers). */
import { concatBytes } from '../../kernel/bytes.ts';
import { isBase64, type LarkCrypto, plausibleCipherLength, remember, sameHex } from './crypto.ts';

const encoder = new TextEncoder();

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}

const hexDigest = async (data: Uint8Array<ArrayBuffer>) =>
  toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));

/** Imported keys, one per Encrypt Key and use: importing on every request costs more than decrypting. */
const aesKeys = new Map<string, Promise<CryptoKey>>();
const aesKey = (encryptKey: string, usage: 'encrypt' | 'decrypt') =>
  remember(aesKeys, `${usage}:${encryptKey}`, async () => {
    const raw = await crypto.subtle.digest('SHA-256', encoder.encode(encryptKey));
    // Stryker disable next-line BooleanLiteral: equivalent, the key never leaves this module, so whether it could be exported is not observable.
    return crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, [usage]);
  });

/** Digests of configured secrets, computed once: they are compared on every request. */
const secretDigests = new Map<string, Promise<string>>();

export const webLarkCrypto: LarkCrypto = {
  signature: (timestamp, nonce, encryptKey, rawBody) =>
    hexDigest(concatBytes([encoder.encode(timestamp + nonce + encryptKey), rawBody])),

  async decrypt(encryptKey, encrypted) {
    if (!isBase64(encrypted)) return null;
    const data = Uint8Array.from(atob(encrypted), (c) => c.charCodeAt(0));
    if (!plausibleCipherLength(data.length)) return null;
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
  },

  async encrypt(encryptKey, plain) {
    const iv = crypto.getRandomValues(new Uint8Array(16));
    const cipher = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: 'AES-CBC', iv },
        await aesKey(encryptKey, 'encrypt'),
        encoder.encode(plain),
      ),
    );
    let binary = '';
    for (const b of concatBytes([iv, cipher])) binary += String.fromCharCode(b);
    return btoa(binary);
  },

  async sameSecret(given, expected) {
    const [a, b] = await Promise.all([
      hexDigest(encoder.encode(given)),
      remember(secretDigests, expected, () => hexDigest(encoder.encode(expected))),
    ]);
    return sameHex(a, b);
  },
};
