/**
 * Lark's request crypto on both runtimes: node:crypto (Node) and Web Crypto (Workers) must give
 * the same signature for every body and read each other's cipher text, and the helpers that
 * screen input before any cipher work must hold to their contracts. Pure and fast.
 */
import { createHash, createCipheriv as nodeCreateCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isBase64,
  type LarkCrypto,
  plausibleCipherLength,
  remember,
  sameHex,
} from '../../../bots/lark/crypto.ts';
import { nodeLarkCrypto } from '../../../bots/lark/crypto-node.ts';
import { webLarkCrypto } from '../../../bots/lark/crypto-web.ts';

const encryptKey = 'test-encrypt-key-0123';
const seed = 20261202;
const implementations: [string, LarkCrypto][] = [
  ['node:crypto', nodeLarkCrypto],
  ['Web Crypto', webLarkCrypto],
];

/** Encrypts raw bytes the platform's way, to make cipher text whose plain text is not UTF-8. */
function platformCipher(key: string, plain: Buffer): string {
  const iv = randomBytes(16);
  const cipher = nodeCreateCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString('base64');
}

describe('both implementations agree', () => {
  it('give the hex SHA-256 node:crypto gives, over many random bodies, timestamps, nonces and keys', async () => {
    // About one digest in eight holds a byte below 0x11, so 300 runs meet every hex edge case.
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.stringMatching(/^\d{1,12}$/),
        fc.string({ maxLength: 32 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        async (body, timestamp, nonce, key) => {
          const expected = createHash('sha256')
            .update(timestamp + nonce + key)
            .update(body)
            .digest('hex');
          expect(await nodeLarkCrypto.signature(timestamp, nonce, key, body)).toBe(expected);
          expect(await webLarkCrypto.signature(timestamp, nonce, key, body)).toBe(expected);
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it('write every byte as two hex digits, 0x00, 0x0f, 0x10 and 0xff included', async () => {
    // Bodies found by search whose digests hold these bytes, checked against node:crypto.
    for (const wanted of [0x00, 0x0f, 0x10, 0x11, 0xff]) {
      let n = 0;
      let body = new TextEncoder().encode('0');
      while (!createHash('sha256').update('tsnk').update(body).digest().includes(wanted)) {
        n += 1;
        body = new TextEncoder().encode(String(n));
      }
      const expected = createHash('sha256').update('tsnk').update(body).digest('hex');
      expect(await webLarkCrypto.signature('ts', 'n', 'k', body)).toBe(expected);
    }
  });

  it('read each other’s cipher text, for any text and key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        async (text, key) => {
          expect(await webLarkCrypto.decrypt(key, await nodeLarkCrypto.encrypt(key, text))).toBe(text);
          expect(await nodeLarkCrypto.decrypt(key, await webLarkCrypto.encrypt(key, text))).toBe(text);
        },
      ),
      { seed, numRuns: 60 },
    );
  });
});

describe.each(implementations)('Lark request crypto on %s', (_name, crypto) => {
  it('round-trips the platform cipher under several keys and refuses data another key made', async () => {
    const text = '{"hello":"同心 👍"}';
    const encrypted = await crypto.encrypt(encryptKey, text);
    expect(encrypted).not.toBe(await crypto.encrypt(encryptKey, text));
    expect(await crypto.decrypt(encryptKey, encrypted)).toBe(text);
    expect(await crypto.decrypt(encryptKey, platformCipher(encryptKey, Buffer.from(text)))).toBe(text);
    // A second key in the same process: keys are cached per Encrypt Key and per use.
    const other = await crypto.encrypt('another-key', 'second');
    expect(await crypto.decrypt('another-key', other)).toBe('second');
    expect(await crypto.decrypt(encryptKey, other)).toBeNull();
    expect(await crypto.decrypt('another-key', encrypted)).toBeNull();
  });

  it('refuses what the platform would never send, without attempting it', async () => {
    const encrypted = await crypto.encrypt(encryptKey, '{"a":1}');
    // Lenient decoders skip stray characters: the bytes would still decrypt, so the text is refused first.
    const stray = `${encrypted.slice(0, 8)}****${encrypted.slice(8)}`;
    const spaced = `${encrypted.slice(0, 8)}    ${encrypted.slice(8)}`;
    for (const bad of ['not base64 !!', stray, spaced, `${encrypted}=`, encrypted.slice(0, -1)]) {
      expect(await crypto.decrypt(encryptKey, bad), bad).toBeNull();
    }
    // Base64, but too short to hold an IV and a block, or not whole blocks.
    for (const bytes of [0, 16, 31, 33, 47]) {
      expect(await crypto.decrypt(encryptKey, randomBytes(bytes).toString('base64')), `${bytes}`).toBeNull();
    }
    // Whole blocks that are not this key's cipher text (bad padding).
    expect(await crypto.decrypt(encryptKey, btoa('x'.repeat(48)))).toBeNull();
    // Valid padding, but not UTF-8 inside.
    expect(
      await crypto.decrypt(encryptKey, platformCipher(encryptKey, Buffer.from([0xff, 0xfe, 0xfd]))),
    ).toBeNull();
  });

  it('signs timestamp + nonce + key + raw body as lowercase hex SHA-256', async () => {
    const signature = await crypto.signature('1700000000', 'abc', 'k', new TextEncoder().encode('{}'));
    expect(signature).toBe(createHash('sha256').update('1700000000abck{}').digest('hex'));
  });

  it('compares secrets of any length', async () => {
    expect(await crypto.sameSecret('verification-token', 'verification-token')).toBe(true);
    expect(await crypto.sameSecret('verification-toke', 'verification-token')).toBe(false);
    expect(await crypto.sameSecret('verification-tokeN', 'verification-token')).toBe(false);
    expect(await crypto.sameSecret('', 'verification-token')).toBe(false);
    expect(await crypto.sameSecret('verification-token-and-more', 'verification-token')).toBe(false);
    // Another configured secret is compared with its own digest, not the first one's.
    expect(await crypto.sameSecret('second-token', 'second-token')).toBe(true);
    expect(await crypto.sameSecret('verification-token', 'second-token')).toBe(false);
  });
});

describe('the helpers', () => {
  it('compare hex in either case, and tell apart any other difference, also in length', () => {
    const hex = createHash('sha256').update('x').digest('hex');
    expect(sameHex(hex, hex)).toBe(true);
    expect(sameHex(hex.toUpperCase(), hex)).toBe(true);
    expect(sameHex(hex, hex.toUpperCase())).toBe(true);
    expect(sameHex(`${hex.slice(0, 63)}${hex.endsWith('0') ? '1' : '0'}`, hex)).toBe(false);
    expect(sameHex(`${hex[0] === '0' ? '1' : '0'}${hex.slice(1)}`, hex)).toBe(false);
    expect(sameHex(hex.slice(0, 63), hex)).toBe(false);
    expect(sameHex(`${hex}0`, hex)).toBe(false);
    expect(sameHex('', hex)).toBe(false);
    expect(sameHex('', '')).toBe(true);
  });

  it('take standard padded base64 only', () => {
    for (const text of ['', 'QUJD', 'QUI=', 'QQ==', 'a+/9', 'QUJDRA=='])
      expect(isBase64(text), text).toBe(true);
    for (const text of ['QUJ', 'QQ=', 'Q===', 'QU=D', 'QUJD\n', ' QUJD', 'QU-_', 'QUJD*', '*QUJ'])
      expect(isBase64(text), JSON.stringify(text)).toBe(false);
  });

  it('take cipher text of at least an IV and a block, in whole blocks', () => {
    for (const n of [32, 48, 4096]) expect(plausibleCipherLength(n), `${n}`).toBe(true);
    for (const n of [0, 16, 31, 33, 40, 47]) expect(plausibleCipherLength(n), `${n}`).toBe(false);
  });

  it('remember what they derive from secrets, at most sixteen of them', () => {
    const cache = new Map<string, number>();
    let made = 0;
    const make = () => ++made;
    expect(remember(cache, 'a', make)).toBe(1);
    expect(remember(cache, 'a', make)).toBe(1);
    expect(made).toBe(1);
    for (let i = 0; i < 20; i++) remember(cache, `k${i}`, make);
    expect(cache.size).toBe(16);
    expect(made).toBe(21);
    // Past the bound a value is still made, just not kept.
    expect(remember(cache, 'k19', make)).toBe(22);
    expect(cache.has('k19')).toBe(false);
  });
});
