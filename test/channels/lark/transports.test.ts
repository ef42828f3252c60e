/**
 * The Lark client over both transports, the official SDK (Node) and fetch (Workers), against the
 * stand-in for the Open API: the same sends, refusals, token renewal and lookups, the same results.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundEnvelope } from '../../../bots/core/messenger.ts';
import { fetchTransport } from '../../../bots/lark/fetch-transport.ts';
import { sdkTransport } from '../../../bots/lark/sdk-transport.ts';
import { createLarkClient } from '../../../bots/lark/sender.ts';
import type { LarkAppCredentials, LarkTransport } from '../../../bots/lark/transport.ts';
import { larkApp } from '../../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../../support/lark-stand-in.ts';

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startLarkStandIn({ ...larkApp, botOpenId: 'ou_bot_transports' });
});

afterAll(async () => {
  await standIn?.close();
});

beforeEach(() => {
  standIn.faults.rate = 0;
  standIn.closedChats.clear();
});

const limits = { appPerSecond: 50, appPerMinute: 1000, chatPerSecond: 5 };

const transports: [string, (credentials: LarkAppCredentials) => LarkTransport][] = [
  ['the official SDK', sdkTransport],
  ['fetch', (credentials) => fetchTransport(credentials)],
];

function envelope(chatId: string, text: string, key = crypto.randomUUID()): OutboundEnvelope {
  return { channel: 'lark', chatId, idempotencyKey: key, message: { type: 'text', text } };
}

describe.each(transports)('the Lark client through %s', (_name, transport) => {
  const client = () =>
    createLarkClient(
      { limits },
      transport({ appId: larkApp.appId, appSecret: larkApp.appSecret, apiBase: standIn.url }),
    );

  it('sends with the uuid as idempotency key, to open_ids and chat_ids, and a resend shows once', async () => {
    const lark = client();
    const key = crypto.randomUUID();
    const first = await lark.sender.send(envelope('ou_person_1', '您好', key));
    expect(first).toEqual({ ok: true, platformMessageId: expect.stringMatching(/^om_/) });
    const again = await lark.sender.send(envelope('ou_person_1', '您好', key));
    expect(again).toEqual(first);
    expect(standIn.sent.filter((m) => m.uuid === key)).toHaveLength(1);
    const sent = standIn.sent.find((m) => m.uuid === key)!;
    expect(sent).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_person_1', msgType: 'text' });
    expect(sent.content).toEqual({ text: '您好' });

    const card = await lark.sender.send({
      channel: 'lark',
      chatId: 'oc_group_1',
      idempotencyKey: crypto.randomUUID(),
      message: {
        type: 'choices',
        text: '请选择类别',
        choices: [
          { label: '安全', value: 'safety' },
          { label: '效率', value: 'efficiency' },
        ],
      },
    });
    expect(card.ok).toBe(true);
    expect(standIn.sent.at(-1)).toMatchObject({ receiveIdType: 'chat_id', msgType: 'interactive' });
  });

  it('fetches a new token when the platform says the old one expired, and carries on', async () => {
    const lark = client();
    expect((await lark.sender.send(envelope('ou_person_2', '第一条'))).ok).toBe(true);
    const issued = standIn.tokensIssued();
    standIn.expireTokens();
    expect((await lark.sender.send(envelope('ou_person_2', '第二条'))).ok).toBe(true);
    expect(standIn.tokensIssued()).toBe(issued + 1);
  });

  it('calls rate limits and server errors retryable, with the reset, and a bot outside the chat permanent', async () => {
    const lark = client();
    standIn.faults.rate = 1;
    standIn.faults.kind = '429';
    const limited = await lark.sender.send(envelope('ou_person_3', '限流'));
    expect(limited).toMatchObject({ ok: false, retryable: true, retryAfterMs: 1000 });
    expect(limited.ok ? '' : limited.error).toContain('99991400');
    standIn.faults.kind = '500';
    expect(await lark.sender.send(envelope('ou_person_3', '出错'))).toMatchObject({
      ok: false,
      retryable: true,
    });
    standIn.faults.rate = 0;
    standIn.closedChats.add('oc_left');
    const closed = await lark.sender.send(envelope('oc_left', '不在群里'));
    expect(closed).toMatchObject({ ok: false, retryable: false });
    expect(closed.ok ? '' : closed.error).toContain('230002');
  });

  it('reads a big group’s members over several pages, and the bot’s own open_id', async () => {
    const members = Array.from({ length: 250 }, (_, i) => `ou_member_${i}`);
    standIn.chatMembers.set('oc_big', members);
    const lark = client();
    expect(await lark.chatMembers('oc_big')).toEqual(members);
    await expect(lark.chatMembers('oc_unknown')).rejects.toThrow(/232011/);
    expect(await lark.botOpenId()).toBe('ou_bot_transports');
  });

  it('answers a send retryable when nothing answers, and fails nothing for good on a wrong secret', async () => {
    const nowhere = createLarkClient(
      { limits },
      transport({ appId: larkApp.appId, appSecret: larkApp.appSecret, apiBase: 'http://127.0.0.1:9' }),
    );
    expect(await nowhere.sender.send(envelope('ou_person_4', '无人应答'))).toMatchObject({
      ok: false,
      retryable: true,
    });
    const wrong = createLarkClient(
      { limits },
      transport({ appId: larkApp.appId, appSecret: 'not-the-secret', apiBase: standIn.url }),
    );
    expect(await wrong.sender.send(envelope('ou_person_4', '密钥错误'))).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(await wrong.botOpenId()).toBeNull();
  });
});

describe('the fetch transport’s token', () => {
  it('is kept between clients sharing a store, and renewed before the platform’s expiry', async () => {
    const tokens = {};
    const credentials = { appId: larkApp.appId, appSecret: larkApp.appSecret, apiBase: standIn.url };
    const before = standIn.tokensIssued();
    for (let i = 0; i < 3; i++) {
      const lark = createLarkClient({ limits }, fetchTransport(credentials, tokens));
      expect((await lark.sender.send(envelope('ou_person_5', `第${i + 1}次`))).ok).toBe(true);
    }
    expect(standIn.tokensIssued()).toBe(before + 1);
    // Twenty sends at once on a cold store ask for one token between them.
    const cold = createLarkClient({ limits }, fetchTransport(credentials, {}));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cold.sender.send(envelope(`ou_cold_${i}`, '同时发送'))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(standIn.tokensIssued()).toBe(before + 2);
    const held = (tokens as { token?: { expiresAt: number } }).token!;
    // The stand-in grants 7200 s; the token is renewed three minutes early.
    expect(held.expiresAt - Date.now()).toBeLessThanOrEqual(7200_000 - 180_000);
    expect(held.expiresAt - Date.now()).toBeGreaterThan(7200_000 - 190_000);
  });
});
