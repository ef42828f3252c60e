/**
 * AES-256-GCM with node:crypto, for the key ring on Node (the same sealed form as Web Crypto,
 * which on Node is about ten times slower: every stored message is sealed and opened).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { AesGcm } from './sealed.ts';

/** GCM's tag, written after the cipher text (as Web Crypto writes it). */
const tagLength = 16;

export const nodeAesGcm: AesGcm = {
  async encrypt(key, iv, aad, plain) {
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  },
  async decrypt(key, iv, aad, sealed) {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad);
    // Data shorter than a tag gives a short tag, which is refused like any wrong one.
    decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - tagLength)), decipher.final()]);
  },
};
