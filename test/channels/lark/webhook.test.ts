/**
 * The Lark channel end to end over real HTTP: signed and encrypted deliveries into the running
 * app, replies checked at the local stand-in for the Lark Open API.
 */
import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webLarkCrypto } from '../../../bots/lark/crypto-web.ts';
import { inbox, outbox } from '../../../db/schema/index.ts';
import { docChallenge } from '../../fixtures/lark/url-verification.ts';
import { type HttpServer, startHttpServer } from '../../support/browser.ts';
import { primaryKind, type TestDatabase } from '../../support/databases.ts';
import { patienceMs } from '../../support/eventually.ts';
import {
  cardAction,
  cardButtonValue,
  delivery,
  envelope,
  larkApp,
  larkEnv,
  nextId,
  textMessage,
} from '../../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../../support/lark-server.ts';
import type { StandIn } from '../../support/lark-stand-in.ts';
import { adminToken, createStack, type Stack } from '../../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let server: HttpServer;
let standIn: StandIn;

let lark: LarkServer;

beforeAll(async () => {
  lark = await startLarkServer({ env: { OUTBOX_MAX_ATTEMPTS: '20' } });
  ({ standIn, database, stack, server } = lark);
});

afterAll(() => lark?.close());

async function post(payload: unknown, opts: Parameters<typeof delivery>[1] = {}) {
  const { body, headers } = await delivery(payload, opts);
  return fetch(`${server.url}/webhooks/lark`, { method: 'POST', headers, body });
}

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

/**
 * Runs the jobs until every outbox row is sent or given up (retries included). With `hurry`, a
 * retry's backoff is cut short each round, as if its time had passed, so how many retries there
 * are does not depend on how fast the machine is.
 */
async function settle(timeoutMs = patienceMs, opts: { hurry?: boolean } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (opts.hurry)
      await database.db
        .update(outbox)
        .set({ nextAttemptAt: new Date(0) })
        .where(eq(outbox.status, 'pending'));
    await stack.drain();
    const [row] = await database.db
      .select({ n: count() })
      .from(outbox)
      .where(inArray(outbox.status, ['pending', 'sending']));
    if (row!.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${row!.n} messages still waiting`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const counts = async () => {
  const [[i], [o]] = await Promise.all([
    database.db.select({ n: count() }).from(inbox),
    database.db.select({ n: count() }).from(outbox),
  ]);
  return { inbox: i!.n, outbox: o!.n };
};

/** Everything the stand-in received for a chat, as text, newest last. */
const sentTo = (chatId: string) => standIn.sent.filter((m) => m.receiveId === chatId);
const textOfSent = (m: { content: Record<string, unknown> }) => JSON.stringify(m.content);

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

  it('files a whole suggestion in a private chat by buttons, with a receipt at the stand-in', async () => {
    const chatId = nextId('oc');
    const openId = nextId('ou');
    const say = async (text: string) => {
      expect((await post(textMessage({ openId, chatId, text }), { encrypt: true })).status).toBe(200);
      await settle();
    };
    const press = async (label: string) => {
      const card = sentTo(chatId).at(-1)!;
      const value = cardButtonValue(sentTo(chatId).at(-1), label);
      const res = await post(cardAction({ openId, chatId, value, messageId: card.messageId }), {
        encrypt: true,
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { toast: unknown; card?: { type: string; data: unknown } };
      expect(answer).toMatchObject({ toast: { type: 'info', content: '已收到' }, card: { type: 'raw' } });
      // The pressed card now shows the choice and can no longer be pressed.
      expect(JSON.stringify(answer.card?.data)).toContain(`✓ ${label}`);
      expect(JSON.stringify(answer.card?.data)).not.toContain('"behaviors"');
      await settle();
    };
    await post(
      envelope('im.chat.access_event.bot_p2p_chat_entered_v1', {
        chat_id: chatId,
        operator_id: { open_id: openId },
      }),
    );
    await settle();
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('提合理化建议');
    await press('提合理化建议');
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('标题');
    await say('锅炉房增设余热回收装置');
    await press('节能降耗');
    await say('锅炉排烟温度高，热量白白浪费。建议加装余热回收装置预热给水。');
    await say('跳过');
    await press('署名提交');
    expect(textOfSent(sentTo(chatId).at(-1)!)).toContain('请确认');
    await press('提交');
    const receipt = sentTo(chatId).at(-1)!;
    expect(receipt.msgType).toBe('interactive');
    expect(textOfSent(receipt)).toMatch(/JY-\d{4}-\d{4}/);
    expect(receipt.content).toMatchObject({ schema: '2.0', header: { template: 'green' } });
    expect(sentTo(chatId).every((m) => m.receiveIdType === 'chat_id' && typeof m.uuid === 'string')).toBe(
      true,
    );
  });

  it('never hands back a card from another chat when a callback names it', async () => {
    const mine = nextId('oc');
    const theirs = nextId('oc');
    for (const chatId of [mine, theirs])
      await post(textMessage({ openId: `ou_${chatId}`, chatId, text: '菜单' }));
    await settle();
    const value = cardButtonValue(sentTo(mine).at(-1), '我的事项');
    const res = await post(
      cardAction({ openId: `ou_${mine}`, chatId: mine, value, messageId: sentTo(theirs)[0]!.messageId }),
    );
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer.toast).toBeDefined();
    expect(answer.card).toBeUndefined();
  });

  it('in a group, answers only when the bot is mentioned, with the mention stripped', async () => {
    const chatId = nextId('oc');
    const openId = nextId('ou');
    await post(
      envelope('im.chat.member.bot.added_v1', {
        chat_id: chatId,
        operator_id: { open_id: openId },
        name: '检修车间',
      }),
    );
    await settle();
    expect(textOfSent(sentTo(chatId)[0]!)).toContain('大家好');
    expect(sentTo(chatId)[0]!.msgType).toBe('text');
    await post(textMessage({ openId, chatId, group: true, text: '我的' }));
    await post(
      textMessage({
        openId,
        chatId,
        group: true,
        text: '@_user_1 我的',
        mentions: [{ key: '@_user_1', openId: 'ou_someone_else', name: '王师傅' }],
      }),
    );
    await settle();
    expect(sentTo(chatId)).toHaveLength(1);
    await post(
      textMessage({
        openId,
        chatId,
        group: true,
        text: '@_user_1 我的',
        mentions: [{ key: '@_user_1', openId: larkApp.botOpenId, name: '同心' }],
      }),
    );
    await settle();
    expect(sentTo(chatId)).toHaveLength(2);
    expect(textOfSent(sentTo(chatId)[1]!)).toContain('还没有提交');
  });

  it('asks for a group mention again (503) while the bot cannot tell whether it was meant', async () => {
    // A second app whose Open API does not answer: the bot's own open_id is unknown.
    const cut = createStack(database, {
      env: { ...larkEnv('http://127.0.0.1:9'), OUTBOX_MAX_ATTEMPTS: '20' },
    });
    const cutServer = await startHttpServer(cut.services);
    try {
      const chatId = nextId('oc');
      const mention = textMessage({
        openId: nextId('ou'),
        chatId,
        group: true,
        text: '@_user_1 我的',
        mentions: [{ key: '@_user_1', openId: larkApp.botOpenId, name: '同心' }],
      });
      const before = await counts();
      const { body, headers } = await delivery(mention);
      const res = await fetch(`${cutServer.url}/webhooks/lark`, { method: 'POST', headers, body });
      expect(res.status).toBe(503);
      expect((await counts()).inbox).toBe(before.inbox);
      // Unmentioned group talk and private chats do not need it.
      const plain = await delivery(
        textMessage({ openId: nextId('ou'), chatId, group: true, text: '开会了' }),
      );
      expect((await fetch(`${cutServer.url}/webhooks/lark`, { method: 'POST', ...plain })).status).toBe(200);
    } finally {
      await cutServer.close();
    }
  });

  it('answers images and rich text politely, asking for text', async () => {
    const chatId = nextId('oc');
    await post(textMessage({ openId: nextId('ou'), chatId, text: '', type: 'image' }));
    await settle();
    expect(textOfSent(sentTo(chatId)[0]!)).toContain('只能处理文字');
  });

  it('delivers every reply exactly once while the platform refuses 30% of sends', async () => {
    standIn.faults.rate = 0.3;
    standIn.faults.kind = 'mixed';
    const chats = Array.from({ length: 8 }, () => nextId('oc'));
    try {
      for (const chatId of chats) {
        for (const text of ['菜单', '我的', '建议']) {
          await post(textMessage({ openId: `ou_${chatId}`, chatId, text }));
        }
      }
      await settle(patienceMs, { hurry: true });
    } finally {
      standIn.faults.rate = 0;
    }
    const rows = await database.db.select().from(outbox);
    const bad = rows.filter((r) => chats.includes(r.chatId) && r.status !== 'sent');
    expect(bad.map((r) => `${r.status} ${r.attempts} ${r.lastError}`)).toEqual([]);
    for (const chatId of chats) {
      expect(sentTo(chatId).map((m) => m.uuid)).toHaveLength(3);
      expect(new Set(sentTo(chatId).map((m) => m.uuid)).size).toBe(3);
    }
    const refused = standIn.calls.filter((c) => c.status === 429 || c.status === 500);
    expect(refused.length).toBeGreaterThan(0);
  });

  it('fetches a new token when the platform says the old one expired', async () => {
    const chatId = nextId('oc');
    const before = standIn.tokensIssued();
    standIn.expireTokens();
    await post(textMessage({ openId: nextId('ou'), chatId, text: '我的' }));
    await settle();
    expect(sentTo(chatId)).toHaveLength(1);
    expect(standIn.tokensIssued()).toBe(before + 1);
  });

  it('records a permanent refusal (bot not in chat) and does not retry it', async () => {
    const chatId = nextId('oc');
    standIn.closedChats.add(chatId);
    await post(textMessage({ openId: nextId('ou'), chatId, text: '我的' }));
    await settle();
    const rows = await database.db.select().from(outbox);
    const row = rows.find((r) => r.chatId === chatId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row?.lastError).toContain('230002');
  });
});
