/**
 * The Lark webhook's door over real HTTP: url_verification answered (plain, encrypted, and
 * unsigned as the developer console sends it) after checking the token; bad deliveries refused
 * with the right status, stored nowhere and counted by reason; a message delivered again processed
 * once. What follows a delivery (conversations, replies at the stand-in) is in
 * webhook-replies.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webLarkCrypto } from '../../../bots/lark/crypto-web.ts';
import { docChallenge } from '../../fixtures/lark/url-verification.ts';
import type { HttpServer } from '../../support/browser.ts';
import { primaryKind } from '../../support/databases.ts';
import { cardAction, delivery, envelope, larkApp, nextId, textMessage } from '../../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../../support/lark-server.ts';
import { adminToken, type Stack } from '../../support/stack.ts';
import { textOfSent, webhookDriver } from './webhook-helpers.ts';

let stack: Stack;
let server: HttpServer;

let lark: LarkServer;

beforeAll(async () => {
  lark = await startLarkServer({ env: { OUTBOX_MAX_ATTEMPTS: '20' } });
  ({ stack, server } = lark);
});

afterAll(() => lark?.close());

const { post, settle, counts, sentTo } = webhookDriver(() => lark);

/** Sends the delivery in pieces without a Content-Length (chunked), as a proxy may. */
async function postChunked(payload: unknown, pieces = 3) {
  const { body, headers } = await delivery(payload);
  const bytes = new TextEncoder().encode(body);
  const size = Math.ceil(bytes.length / pieces);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size));
      controller.close();
    },
  });
  return fetch(`${server.url}/webhooks/lark`, {
    method: 'POST',
    headers,
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

describe(`Lark webhook (${primaryKind})`, () => {
  it('answers url_verification with the challenge, plain and encrypted, after checking the token', async () => {
    const challenge = { type: 'url_verification', token: larkApp.verificationToken, challenge: 'ch-123' };
    const plain = await post(challenge);
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ challenge: 'ch-123' });
    const encrypted = await post(challenge, { encrypt: true });
    expect(await encrypted.json()).toEqual({ challenge: 'ch-123' });
    const wrong = await post({ ...challenge, token: 'not-the-token' });
    expect(wrong.status).toBe(401);
  });

  it('answers the URL verification Lark sends without signature headers once an Encrypt Key is set', async () => {
    const before = await counts();
    /** As the developer console sends it: encrypted (or not), and no X-Lark-* headers at all. */
    const unsignedPost = async (payload: unknown, encrypt = true) =>
      fetch(`${server.url}/webhooks/lark`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encrypt
          ? JSON.stringify({
              encrypt: await webLarkCrypto.encrypt(larkApp.encryptKey, JSON.stringify(payload)),
            })
          : JSON.stringify(payload),
      });
    const ours = { ...docChallenge, token: larkApp.verificationToken };
    const answered = await unsignedPost(ours);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ challenge: docChallenge.challenge });
    expect(await (await unsignedPost(ours, false)).json()).toEqual({ challenge: docChallenge.challenge });
    // The documentation's token is not this app's; no token at all is no better.
    const refused = await unsignedPost(docChallenge);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { message_zh: '请求未通过校验。' } });
    const { token: _dropped, ...tokenless } = ours;
    expect((await unsignedPost(tokenless)).status).toBe(401);
    // Only a verification comes unsigned: a message without the headers is refused, and kept nowhere.
    const message = textMessage({ openId: 'ou_unsigned', chatId: 'oc_unsigned', text: '建议' });
    expect((await unsignedPost(message)).status).toBe(401);
    expect((await unsignedPost({ ...message, type: 'url_verification' })).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('refuses bad deliveries with the right status, and stores nothing', async () => {
    const before = await counts();
    const message = textMessage({ openId: 'ou_bad', chatId: 'oc_bad', text: '建议' });
    const good = await delivery(message);
    const cases: { name: string; send: () => Promise<Response>; status: number }[] = [
      {
        name: 'wrong signature',
        send: () =>
          fetch(`${server.url}/webhooks/lark`, {
            method: 'POST',
            headers: { ...good.headers, 'x-lark-signature': '0'.repeat(64) },
            body: good.body,
          }),
        status: 401,
      },
      {
        name: 'missing signature',
        send: () =>
          fetch(`${server.url}/webhooks/lark`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: good.body,
          }),
        status: 401,
      },
      {
        name: 'stale',
        send: () => post(message, { timestamp: Math.floor(Date.now() / 1000) - 7200 }),
        status: 401,
      },
      {
        name: 'future',
        send: () => post(message, { timestamp: Math.floor(Date.now() / 1000) + 7200 }),
        status: 401,
      },
      { name: 'signed with another key', send: () => post(message, { key: 'other-key' }), status: 401 },
      {
        name: 'wrong token',
        send: () => post({ ...message, header: { ...message.header, token: 'not-the-token' } }),
        status: 401,
      },
      {
        name: 'wrong token on a malformed event',
        send: () => post(envelope('im.message.receive_v1', {}, { token: 'nope' })),
        status: 401,
      },
      {
        name: 'malformed event with the right token',
        send: () => post(envelope('im.message.receive_v1', { message: 'garbage' })),
        status: 400,
      },
      {
        name: 'wrong app id',
        send: () =>
          post(
            envelope(
              'im.chat.access_event.bot_p2p_chat_entered_v1',
              { chat_id: 'oc_bad', operator_id: { open_id: 'ou_bad' } },
              { appId: 'cli_someoneelse00000' },
            ),
          ),
        status: 401,
      },
      { name: 'not JSON', send: () => post('not json' as never), status: 400 },
      { name: 'undecryptable', send: () => post({ encrypt: btoa('x'.repeat(64)) }), status: 401 },
      { name: 'over 1 MiB', send: () => post({ pad: 'x'.repeat(1024 * 1024) }), status: 413 },
      {
        name: 'over 1 MiB, chunked without a length',
        send: () => postChunked({ pad: 'x'.repeat(1024 * 1024) }, 40),
        status: 413,
      },
      {
        // Answered with a toast saying the card no longer works (Lark shows an error on any other status).
        name: 'tampered card value',
        send: () => post(cardAction({ openId: 'ou_bad', chatId: 'oc_bad', value: { v: 'x', extra: 1 } })),
        status: 200,
      },
    ];
    for (const c of cases) {
      const res = await c.send();
      expect(res.status, c.name).toBe(c.status);
    }
    const unknown = await post(envelope('contact.user.created_v3', { anything: true }));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({});
    expect(await counts()).toEqual(before);
    expect(stack.logLines.some((l) => /"reason":"stale","skewSeconds":720[0-2]\b/.test(l))).toBe(true);
    // Counted, for the operator: the unknown event as ignored, each refusal by its reason.
    const unauthenticated = await fetch(`${server.url}/metrics`);
    expect(unauthenticated.status).toBe(401);
    const metrics = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain(
      'tongxin_lark_deliveries_total{event_type="contact.user.created_v3",outcome="ignored",reason="unknown_event"} 1',
    );
    for (const reason of [
      'bad_signature',
      'stale',
      'unsigned',
      'bad_token',
      'bad_app_id',
      'too_large',
      'not_json',
    ]) {
      expect(text).toMatch(
        new RegExp(`tongxin_lark_deliveries_total\\{outcome="refused",reason="${reason}"\\} [1-9]`),
      );
    }
    expect(text).toMatch(/tongxin_inbox_events\{status="pending"\} \d+/);
  });

  it('processes a message delivered three times once, and replies once', async () => {
    const chatId = nextId('oc');
    const message = textMessage({ openId: nextId('ou'), chatId, text: '我的' });
    for (let i = 0; i < 3; i++) {
      const res = await post(message, { encrypt: i === 1 });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
    }
    // The same message again under a new event id (the platform does that too), in chunks.
    const again = await postChunked({ ...message, header: { ...message.header, event_id: nextId('ev') } });
    expect(again.status).toBe(200);
    await settle();
    expect(sentTo(chatId)).toHaveLength(1);
    expect(textOfSent(sentTo(chatId)[0]!)).toContain('还没有提交');
  });
});
