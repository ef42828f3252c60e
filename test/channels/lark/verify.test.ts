/**
 * Opening a Lark webhook request: size, signature over the exact bytes within the time window,
 * JSON, decryption. Every refusal is asserted whole (ok, status, reason), on both runtimes' crypto.
 */
import { describe, expect, it } from 'vitest';
import type { LarkCrypto } from '../../../bots/lark/crypto.ts';
import { nodeLarkCrypto } from '../../../bots/lark/crypto-node.ts';
import { webLarkCrypto } from '../../../bots/lark/crypto-web.ts';
import { type LarkRequest, maxLarkBodyBytes, openLarkRequest } from '../../../bots/lark/verify.ts';
import { docChallenge, docCipher } from '../../fixtures/lark/url-verification.ts';

const encryptKey = 'test-encrypt-key-0123';
const now = new Date('2026-11-23T08:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const encode = (text: string) => new TextEncoder().encode(text);
const implementations: [string, LarkCrypto][] = [
  ['node:crypto', nodeLarkCrypto],
  ['Web Crypto', webLarkCrypto],
];

const unsigned = { ok: false, status: 401, reason: 'unsigned' };
const badSignature = { ok: false, status: 401, reason: 'bad_signature' };
const notJson = { ok: false, status: 400, reason: 'not_json' };
const undecryptable = { ok: false, status: 401, reason: 'undecryptable' };
const tooLarge = { ok: false, status: 413, reason: 'too_large' };

describe.each(implementations)('opening a Lark request with %s', (_name, crypto) => {
  const settings = { encryptKey, windowSeconds: 3600, now, crypto };

  async function signed(
    body: string | Uint8Array,
    { at = ts, nonce = 'nonce-1', key = encryptKey }: { at?: string; nonce?: string; key?: string } = {},
  ): Promise<LarkRequest> {
    const rawBody = typeof body === 'string' ? encode(body) : body;
    return { rawBody, timestamp: at, nonce, signature: await crypto.signature(at, nonce, key, rawBody) };
  }
  const open = (request: LarkRequest, overrides: Partial<typeof settings> = {}) =>
    openLarkRequest(request, { ...settings, ...overrides });

  it('accepts a signed plain body and a signed encrypted one', async () => {
    expect(await open(await signed('{"schema":"2.0"}'))).toEqual({ ok: true, payload: { schema: '2.0' } });
    const body = JSON.stringify({ encrypt: await crypto.encrypt(encryptKey, '{"schema":"2.0","x":1}') });
    expect(await open(await signed(body))).toEqual({ ok: true, payload: { schema: '2.0', x: 1 } });
    // A signature in capitals is the same signature.
    const request = await signed('{}');
    expect(await open({ ...request, signature: request.signature?.toUpperCase() })).toEqual({
      ok: true,
      payload: {},
    });
  });

  it('checks the signature over the exact bytes, not a re-serialised body', async () => {
    const request = await signed('{"a": 1}');
    expect(await open({ ...request, rawBody: encode('{"a":1}') })).toEqual(badSignature);
  });

  it('refuses a request without a timestamp, nonce or signature', async () => {
    const good = await signed('{}');
    for (const missing of ['timestamp', 'nonce', 'signature'] as const) {
      expect(await open({ ...good, [missing]: undefined }), `no ${missing}`).toEqual(unsigned);
      expect(await open({ ...good, [missing]: '' }), `empty ${missing}`).toEqual(unsigned);
    }
    // Even signed over an empty nonce, an empty nonce is not a nonce.
    expect(await open(await signed('{}', { nonce: '' }))).toEqual(unsigned);
  });

  it('takes a timestamp of whole seconds only, checked before anything is signed', async () => {
    for (const at of ['soon', 'x123', `x${ts}`, `${ts}x`, ` ${ts}`, `${ts}.5`, '-1', '1'.repeat(13), '']) {
      // Properly signed over that very timestamp: the form alone refuses it.
      expect(await open(await signed('{}', { at })), JSON.stringify(at)).toEqual(unsigned);
    }
    // Up to twelve digits is a timestamp, here far in the past.
    expect(await open(await signed('{}', { at: '1' }))).toMatchObject({ ok: false, reason: 'stale' });
    expect(await open(await signed('{}', { at: '9'.repeat(12) }))).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses a wrong signature, and one made with another key', async () => {
    const good = await signed('{}');
    expect(await open({ ...good, signature: 'a'.repeat(64) })).toEqual(badSignature);
    expect(await open({ ...good, signature: good.signature?.slice(0, 63) })).toEqual(badSignature);
    expect(await open(await signed('{}', { key: 'wrong-key' }))).toEqual(badSignature);
    expect(await open({ ...good, nonce: 'nonce-2' })).toEqual(badSignature);
    expect(await open({ ...good, timestamp: String(Number(ts) - 1) })).toEqual(badSignature);
  });

  it('accepts exactly the window either side of now, and refuses a second more, saying by how much', async () => {
    // The platform retries with the first timestamp for hours: inside the window is fine.
    for (const skew of [-3600, -1, 0, 1, 3500, 3600]) {
      const at = String(Number(ts) - skew);
      expect(await open(await signed('{}', { at })), `${skew}`).toEqual({ ok: true, payload: {} });
    }
    expect(await open(await signed('{}', { at: String(Number(ts) - 3601) }))).toEqual({
      ok: false,
      status: 401,
      reason: 'stale',
      skewSeconds: 3601,
    });
    expect(await open(await signed('{}', { at: String(Number(ts) + 3601) }))).toEqual({
      ok: false,
      status: 401,
      reason: 'stale',
      skewSeconds: -3601,
    });
  });

  it('measures the skew in whole seconds from a clock with milliseconds', async () => {
    const later = new Date(now.getTime() + 600);
    // 60.6 s old rounds to 61: past a 60-second window.
    expect(
      await open(await signed('{}', { at: String(Number(ts) - 60) }), { now: later, windowSeconds: 60 }),
    ).toEqual({ ok: false, status: 401, reason: 'stale', skewSeconds: 61 });
    // 59.6 s old rounds to 60: inside it.
    expect(
      await open(await signed('{}', { at: String(Number(ts) - 59) }), { now: later, windowSeconds: 60 }),
    ).toEqual({ ok: true, payload: {} });
  });

  it('refuses a body that is not a JSON object: not JSON, not UTF-8, null, a number, a string, an array', async () => {
    for (const body of ['not json', 'null', '1', '"s"', 'true', '[1,2]', '']) {
      expect(await open(await signed(body)), body).toEqual(notJson);
    }
    expect(
      await open(await signed(Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))),
    ).toEqual(notJson);
  });

  it('refuses an encrypted body that does not open to a JSON object', async () => {
    const garbage = await signed(JSON.stringify({ encrypt: btoa('x'.repeat(48)) }));
    expect(await open(garbage)).toEqual(undecryptable);
    for (const inner of ['not json', 'null', '1', '"s"', '[1]']) {
      const body = JSON.stringify({ encrypt: await crypto.encrypt(encryptKey, inner) });
      expect(await open(await signed(body)), inner).toEqual(undecryptable);
    }
    // An `encrypt` field that is not a string is not cipher text: the body is the payload.
    expect(await open(await signed('{"encrypt":1}'))).toEqual({ ok: true, payload: { encrypt: 1 } });
  });

  it('takes a body of exactly 1 MiB and refuses one byte more before checking anything', async () => {
    expect(maxLarkBodyBytes).toBe(1024 * 1024);
    const exact = `{"x":"${'a'.repeat(maxLarkBodyBytes - 8)}"}`;
    expect(encode(exact).length).toBe(maxLarkBodyBytes);
    expect(await open(await signed(exact))).toMatchObject({ ok: true });
    const over = await signed(`{"x":"${'a'.repeat(maxLarkBodyBytes - 7)}"}`);
    expect(await open(over)).toEqual(tooLarge);
    expect(await open({ ...over, signature: undefined })).toEqual(tooLarge);
  });

  it('without an Encrypt Key, takes plain bodies unsigned and refuses encrypted ones', async () => {
    const noKey = { encryptKey: undefined };
    const plain = {
      rawBody: encode('{"a":1}'),
      timestamp: undefined,
      nonce: undefined,
      signature: undefined,
    };
    expect(await open(plain, noKey)).toEqual({ ok: true, payload: { a: 1 } });
    expect(await open({ ...plain, rawBody: encode('{"encrypt":"abc"}') }, noKey)).toEqual(undecryptable);
    // Not even cipher text made with an empty key, which is what an unset key would derive.
    const emptyKeyed = JSON.stringify({ encrypt: await crypto.encrypt('', '{"a":1}') });
    expect(await open({ ...plain, rawBody: encode(emptyKeyed) }, noKey)).toEqual(undecryptable);
    expect(await open({ ...plain, rawBody: encode('[1]') }, noKey)).toEqual(notJson);
    expect(await open({ ...plain, rawBody: encode('{"a":1}'), timestamp: '1' }, { encryptKey: '' })).toEqual({
      ok: true,
      payload: { a: 1 },
    });
  });

  it('takes Lark’s URL verification without signature headers, encrypted or plain, and nothing else unsigned', async () => {
    const bare = (body: string): LarkRequest => ({
      rawBody: encode(body),
      timestamp: undefined,
      nonce: undefined,
      signature: undefined,
    });
    const encrypted = JSON.stringify({
      encrypt: await crypto.encrypt(encryptKey, JSON.stringify(docChallenge)),
    });
    expect(await open(bare(encrypted))).toEqual({ ok: true, payload: docChallenge, unsigned: true });
    expect(await open(bare(JSON.stringify(docChallenge)))).toEqual({
      ok: true,
      payload: docChallenge,
      unsigned: true,
    });
    // Signed, it is an ordinary request (not marked unsigned).
    expect(await open(await signed(encrypted))).toEqual({ ok: true, payload: docChallenge });
    // Anything else without the headers is refused: an event, encrypted or not, a body that does not open.
    const event = JSON.stringify({ schema: '2.0', header: { event_type: 'im.message.receive_v1' } });
    expect(await open(bare(event))).toEqual(unsigned);
    expect(await open(bare(JSON.stringify({ encrypt: await crypto.encrypt(encryptKey, event) })))).toEqual(
      unsigned,
    );
    expect(
      await open(
        bare(JSON.stringify({ encrypt: await crypto.encrypt('another-key', JSON.stringify(docChallenge)) })),
      ),
    ).toEqual(unsigned);
    expect(await open(bare('not json'))).toEqual(unsigned);
    expect(await open(bare(JSON.stringify({ ...docChallenge, type: 'event_callback' })))).toEqual(unsigned);
    // One header or two are not "unsigned": they must all be there and verify.
    for (const present of ['timestamp', 'nonce', 'signature'] as const) {
      const partial = { ...bare(encrypted), [present]: (await signed(encrypted))[present] };
      expect(await open(partial), `only ${present}`).toEqual(unsigned);
    }
  });

  it('opens the documentation’s own example of the event cipher', async () => {
    expect(await crypto.decrypt(docCipher.encryptKey, docCipher.encrypt)).toBe(docCipher.plain);
  });
});
