/**
 * Lark's request crypto on node:crypto: synchronous, so a request costs no trips through the
 * Web Crypto thread pool (three per encrypted event, which showed in the acknowledgement rate).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isBase64, type LarkCrypto, plausibleCipherLength, remember } from './crypto.ts';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

const aesKeys = new Map<string, Buffer>();
const aesKey = (encryptKey: string) => remember(aesKeys, encryptKey, () => sha256(encryptKey));

const secretDigests = new Map<string, Buffer>();
const utf8 = new TextDecoder('utf-8', { fatal: true });

export const nodeLarkCrypto: LarkCrypto = {
  signature: (timestamp, nonce, encryptKey, rawBody) =>
    createHash('sha256')
      .update(timestamp + nonce + encryptKey)
      .update(rawBody)
      .digest('hex'),

  decrypt(encryptKey, encrypted) {
    if (!isBase64(encrypted)) return null;
    const data = Buffer.from(encrypted, 'base64');
    if (!plausibleCipherLength(data.length)) return null;
    try {
      const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), data.subarray(0, 16));
      return utf8.decode(Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]));
    } catch {
      return null;
    }
  },

  encrypt(encryptKey, plain) {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
    return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
  },

  sameSecret(given, expected) {
    // Equal-length digests: timingSafeEqual then reveals nothing about either secret.
    return timingSafeEqual(
      sha256(given),
      remember(secretDigests, expected, () => sha256(expected)),
    );
  },
};
