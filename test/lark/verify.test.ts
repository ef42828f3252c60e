import { createHash, createCipheriv as nodeCreateCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type LarkCrypto, sameHex } from '../../bots/lark/crypto.ts';
import { nodeLarkCrypto } from '../../bots/lark/crypto-node.ts';
import { webLarkCrypto } from '../../bots/lark/crypto-web.ts';
import { openLarkRequest } from '../../bots/lark/verify.ts';

const encryptKey = 'test-encrypt-key-0123';
const now = new Date('2026-11-23T08:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const implementations: [string, LarkCrypto][] = [
  ['node:crypto', nodeLarkCrypto],
  ['Web Crypto', webLarkCrypto],
];

describe.each(implementations)('Lark request crypto on %s', (_name, crypto) => {
  const other = crypto === nodeLarkCrypto ? webLarkCrypto : nodeLarkCrypto;

  it('round-trips the platform cipher, also with the other implementation, and refuses data another key made', async () => {
    const text = '{"hello":"同心 👍"}';
    const encrypted = await crypto.encrypt(encryptKey, text);
    expect(await crypto.decrypt(encryptKey, encrypted)).toBe(text);
    expect(await other.decrypt(encryptKey, encrypted)).toBe(text);
    expect(await crypto.decrypt(encryptKey, await other.encrypt(encryptKey, text))).toBe(text);
    expect(await crypto.decrypt('another-key', encrypted)).toBeNull();
    expect(await crypto.decrypt(encryptKey, 'not base64 !!')).toBeNull();
    expect(await crypto.decrypt(encryptKey, `${encrypted.slice(0, -4)}*${encrypted.slice(-3)}`)).toBeNull();
    expect(await crypto.decrypt(encryptKey, btoa('short'))).toBeNull();
    // Valid padding but not UTF-8 inside.
    const cipher = createCipheriv(encryptKey);
    expect(await crypto.decrypt(encryptKey, cipher(Buffer.from([0xff, 0xfe, 0xfd])))).toBeNull();
  });

  it('signs timestamp + nonce + key + raw body as hex SHA-256', async () => {
    const signature = await crypto.signature('1700000000', 'abc', 'k', new TextEncoder().encode('{}'));
    expect(signature).toBe(createHash('sha256').update('1700000000abck{}').digest('hex'));
    expect(sameHex(signature, signature.toUpperCase())).toBe(true);
    expect(sameHex(signature, `${signature.slice(0, 63)}0`)).toBe(signature.endsWith('0'));
  });

  it('compares secrets of any length', async () => {
    expect(await crypto.sameSecret('verification-token', 'verification-token')).toBe(true);
    expect(await crypto.sameSecret('verification-toke', 'verification-token')).toBe(false);
    expect(await crypto.sameSecret('', 'verification-token')).toBe(false);
    expect(await crypto.sameSecret('verification-token-and-more', 'verification-token')).toBe(false);
  });
});

/** Encrypts raw bytes the platform's way, to make cipher text whose plain text is not UTF-8. */
function createCipheriv(key: string) {
  return (plain: Buffer) => {
    const iv = randomBytes(16);
    const cipher = nodeCreateCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
    return Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString('base64');
  };
}

describe.each(implementations)('opening a Lark request with %s', (_name, crypto) => {
  const settings = { encryptKey, windowSeconds: 3600, now, crypto };

  async function signed(body: string, at = ts, key = encryptKey) {
    const rawBody = new TextEncoder().encode(body);
    return {
      rawBody,
      timestamp: at,
      nonce: 'nonce-1',
      signature: await crypto.signature(at, 'nonce-1', key, rawBody),
    };
  }

  it('accepts a signed plain body and a signed encrypted one', async () => {
    const plain = await openLarkRequest(await signed('{"schema":"2.0"}'), settings);
    expect(plain).toEqual({ ok: true, payload: { schema: '2.0' } });
    const body = JSON.stringify({ encrypt: await crypto.encrypt(encryptKey, '{"schema":"2.0","x":1}') });
    expect(await openLarkRequest(await signed(body), settings)).toEqual({
      ok: true,
      payload: { schema: '2.0', x: 1 },
    });
  });

  it('checks the signature over the exact bytes, not a re-serialised body', async () => {
    const request = await signed('{"a": 1}');
    const reformatted = { ...request, rawBody: new TextEncoder().encode('{"a":1}') };
    expect(await openLarkRequest(reformatted, settings)).toMatchObject({
      status: 401,
      reason: 'bad_signature',
    });
  });

  it('refuses missing, wrong, stale and future signatures', async () => {
    const good = await signed('{}');
    expect(await openLarkRequest({ ...good, signature: undefined }, settings)).toMatchObject({
      reason: 'unsigned',
    });
    expect(await openLarkRequest({ ...good, timestamp: 'soon' }, settings)).toMatchObject({
      reason: 'unsigned',
    });
    expect(await openLarkRequest(await signed('{}', ts, 'wrong-key'), settings)).toMatchObject({
      reason: 'bad_signature',
    });
    const old = await signed('{}', String(Number(ts) - 3601));
    expect(await openLarkRequest(old, settings)).toEqual({
      ok: false,
      status: 401,
      reason: 'stale',
      skewSeconds: 3601,
    });
    const future = await signed('{}', String(Number(ts) + 3601));
    expect(await openLarkRequest(future, settings)).toMatchObject({ reason: 'stale', skewSeconds: -3601 });
    // The platform retries with the first timestamp for hours: inside the window is fine.
    expect(await openLarkRequest(await signed('{}', String(Number(ts) - 3500)), settings)).toMatchObject({
      ok: true,
    });
  });

  it('refuses non-JSON, undecryptable and oversized bodies', async () => {
    expect(await openLarkRequest(await signed('not json'), settings)).toMatchObject({
      status: 400,
      reason: 'not_json',
    });
    expect(await openLarkRequest(await signed('[1,2]'), settings)).toMatchObject({ status: 400 });
    const garbage = await signed(JSON.stringify({ encrypt: btoa('x'.repeat(48)) }));
    expect(await openLarkRequest(garbage, settings)).toMatchObject({ status: 401, reason: 'undecryptable' });
    const big = await signed(`{"x":"${'a'.repeat(1024 * 1024)}"}`);
    expect(await openLarkRequest(big, settings)).toMatchObject({ status: 413 });
  });

  it('without an Encrypt Key, takes plain bodies and refuses encrypted ones', async () => {
    const open = { encryptKey: undefined, windowSeconds: 3600, now, crypto };
    const plain = {
      rawBody: new TextEncoder().encode('{"a":1}'),
      timestamp: undefined,
      nonce: undefined,
      signature: undefined,
    };
    expect(await openLarkRequest(plain, open)).toEqual({ ok: true, payload: { a: 1 } });
    const encrypted = { ...plain, rawBody: new TextEncoder().encode('{"encrypt":"abc"}') };
    expect(await openLarkRequest(encrypted, open)).toMatchObject({ reason: 'undecryptable' });
  });
});
