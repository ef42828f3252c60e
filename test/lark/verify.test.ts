import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptLark, encryptLark, larkSignature, sameHex } from '../../bots/lark/crypto.ts';
import { openLarkRequest } from '../../bots/lark/verify.ts';

const encryptKey = 'test-encrypt-key-0123';
const now = new Date('2026-11-23T08:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const settings = { encryptKey, windowSeconds: 3600, now };

async function signed(body: string, at = ts, key = encryptKey) {
  const rawBody = new TextEncoder().encode(body);
  return {
    rawBody,
    timestamp: at,
    nonce: 'nonce-1',
    signature: await larkSignature(at, 'nonce-1', key, rawBody),
  };
}

describe('Lark request crypto', () => {
  it('round-trips the platform cipher, and refuses data another key made', async () => {
    const encrypted = await encryptLark(encryptKey, '{"hello":"同心 👍"}');
    expect(await decryptLark(encryptKey, encrypted)).toBe('{"hello":"同心 👍"}');
    expect(await decryptLark('another-key', encrypted)).toBeNull();
    expect(await decryptLark(encryptKey, 'not base64 !!')).toBeNull();
    expect(await decryptLark(encryptKey, btoa('short'))).toBeNull();
  });

  it('signs timestamp + nonce + key + raw body as hex SHA-256', async () => {
    const signature = await larkSignature('1700000000', 'abc', 'k', new TextEncoder().encode('{}'));
    expect(signature).toBe(createHash('sha256').update('1700000000abck{}').digest('hex'));
    expect(sameHex(signature, signature.toUpperCase())).toBe(true);
    expect(sameHex(signature, `${signature.slice(0, 63)}0`)).toBe(signature.endsWith('0'));
  });
});

describe('opening a Lark request', () => {
  it('accepts a signed plain body and a signed encrypted one', async () => {
    const plain = await openLarkRequest(await signed('{"schema":"2.0"}'), settings);
    expect(plain).toEqual({ ok: true, payload: { schema: '2.0' } });
    const body = JSON.stringify({ encrypt: await encryptLark(encryptKey, '{"schema":"2.0","x":1}') });
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
    const open = { encryptKey: undefined, windowSeconds: 3600, now };
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
