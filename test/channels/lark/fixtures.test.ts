/**
 * The platform's own payloads (test/fixtures/lark, each from Lark's documentation or official SDK)
 * replayed through both transports: the webhook, plain and encrypted, and the long connection
 * through the official SDK's client. The only change made to a fixture is the one a real app sees:
 * the header carries this app's id and verification token. Then the stand-in is held to the same
 * fixtures: what it builds and answers has no field the platform's own payloads lack.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbox } from '../../../db/schema/index.ts';
import {
  docBotInfo,
  docFrequencyLimit,
  docMessageSent,
  docTenantToken,
} from '../../fixtures/lark/api-responses.ts';
import { docCardAction } from '../../fixtures/lark/card-action-trigger.ts';
import { docBotAdded, docP2pChatEntered } from '../../fixtures/lark/chat-entered.ts';
import { docMessageBotOpenId, docMessageEvent } from '../../fixtures/lark/message-receive.ts';
import { type HttpServer, startHttpServer } from '../../support/browser.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../../support/databases.ts';
import { eventually } from '../../support/eventually.ts';
import { cardAction, delivery, larkApp, larkEnv, nextId, textMessage } from '../../support/lark-events.ts';
import { type SentMessage, type StandIn, startLarkStandIn } from '../../support/lark-stand-in.ts';
import { quickClientSettings } from '../../support/lark-ws-gateway.ts';
import { createStack, type Stack } from '../../support/stack.ts';

type Payload = Record<string, unknown>;

/** A fixture as this app receives it: the header names this app and carries its verification token. */
function asOurApp<T>(
  fixture: T,
  change: (payload: Payload & { header: Payload; event: Payload }) => void = () => {},
): Payload {
  const payload = structuredClone(fixture) as unknown as Payload & { header: Payload; event: Payload };
  payload.header.app_id = larkApp.appId;
  payload.header.token = larkApp.verificationToken;
  change(payload);
  return payload;
}

interface Answer {
  /** HTTP status over the webhook; the code the SDK's client answered with over the long connection. */
  status: number;
  body: Record<string, unknown>;
}

const transports = ['webhook', 'encrypted webhook', 'long connection'] as const;

for (const transport of transports) {
  describe(`Lark's documented payloads through the ${transport} (${primaryKind})`, () => {
    let standIn: StandIn;
    let database: TestDatabase;
    let stack: Stack;
    let server: HttpServer | null = null;
    let connection: { close(): void } | null = null;

    beforeAll(async () => {
      // The bot is the one the documented message mentions.
      standIn = await startLarkStandIn({ ...larkApp, botOpenId: docMessageBotOpenId });
      standIn.gateway.settings = { ...quickClientSettings };
      database = await openTestDatabase(primaryKind);
      const ws = transport === 'long connection';
      stack = createStack(database, { env: { ...larkEnv(standIn.url), ...(ws ? { LARK_MODE: 'ws' } : {}) } });
      if (ws) {
        if (!stack.services.lark) throw new Error('Lark is configured, so the channel must exist');
        connection = stack.services.lark.connect(stack.services.intake);
        await eventually(() => standIn.gateway.ready() === 1, 'the long connection');
      } else {
        server = await startHttpServer(stack.services);
      }
    });

    afterAll(async () => {
      connection?.close();
      await server?.close();
      await standIn?.close();
      await database?.close();
    });

    async function deliver(payload: Payload): Promise<Answer> {
      if (!server) {
        const answer = await standIn.gateway.push(payload);
        return { status: answer.code, body: answer.data ?? {} };
      }
      const { body, headers } = await delivery(payload, { encrypt: transport === 'encrypted webhook' });
      const res = await fetch(`${server.url}/webhooks/lark`, { method: 'POST', headers, body });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }

    const sentTo = (chatId: string) => standIn.sent.filter((m) => m.receiveId === chatId);

    it('answers the documented message that mentions the bot in its group, in that group', async () => {
      const { chat_id: chatId, message_id: messageId } = docMessageEvent.event.message;
      expect(await deliver(asOurApp(docMessageEvent))).toEqual({ status: 200, body: {} });
      await stack.drain();
      expect(sentTo(chatId)).toHaveLength(1);
      const [row] = await database.db
        .select({ dedupeKey: inbox.dedupeKey, status: inbox.status })
        .from(inbox)
        .where(eq(inbox.dedupeKey, `lark:msg:${messageId}`));
      expect(row).toEqual({ dedupeKey: `lark:msg:${messageId}`, status: 'done' });
      // Delivered again, as the platform does when unsure: taken once.
      expect((await deliver(asOurApp(docMessageEvent))).status).toBe(200);
      await stack.drain();
      expect(sentTo(chatId)).toHaveLength(1);
    });

    it('welcomes a group the bot is added to, and a person opening a private chat with it', async () => {
      expect(await deliver(asOurApp(docBotAdded))).toEqual({ status: 200, body: {} });
      expect(await deliver(asOurApp(docP2pChatEntered))).toEqual({ status: 200, body: {} });
      await stack.drain();
      expect(sentTo(docBotAdded.event.chat_id)).toHaveLength(1);
      expect(sentTo(docP2pChatEntered.event.chat_id)).toHaveLength(1);
      expect(JSON.stringify(sentTo(docP2pChatEntered.event.chat_id)[0]!.content)).toContain('同心');
    });

    it('answers the documented card press carrying a button of ours, and tells the presser when the card is not ours', async () => {
      // Verbatim, its button's value `{"key":"value"}` is no card of this app: a toast, nothing stored.
      const foreign = await deliver(asOurApp(docCardAction));
      expect(foreign.status).toBe(200);
      expect(foreign.body).toMatchObject({
        toast: {
          type: 'warning',
          i18n: { zh_cn: expect.stringContaining('菜单'), en_us: expect.any(String) },
        },
      });
      const stored = await database.db
        .select({ id: inbox.id })
        .from(inbox)
        .where(eq(inbox.dedupeKey, `lark:event:${docCardAction.header.event_id}`));
      expect(stored).toEqual([]);

      // The same callback for the welcome card sent to the private chat, pressed by its person.
      const chatId = docP2pChatEntered.event.chat_id;
      const welcome = sentTo(chatId)[0] as SentMessage;
      const value = firstButtonValue(welcome);
      const pressed = await deliver(
        asOurApp(docCardAction, (payload) => {
          payload.header.event_id = nextId('ev');
          const event = payload.event as typeof docCardAction.event & Payload;
          Object.assign(event.operator, docP2pChatEntered.event.operator_id);
          Object.assign(event.action, { value });
          Object.assign(event.context, { open_chat_id: chatId, open_message_id: welcome.messageId });
        }),
      );
      expect(pressed.status).toBe(200);
      expect(pressed.body).toMatchObject({ toast: { type: 'info', content: '已收到' } });
      await stack.drain();
      expect(sentTo(chatId).length).toBeGreaterThan(1);
    });
  });
}

/** The callback value of the first button on a card the stand-in received. */
function firstButtonValue(card: SentMessage): unknown {
  const found = /"behaviors":\[\{"type":"callback","value":(\{"v":"(?:[^"\\]|\\.)*"\})/.exec(
    JSON.stringify(card.content),
  );
  if (!found) throw new Error(`no button on ${JSON.stringify(card.content)}`);
  return JSON.parse(found[1]!);
}

/**
 * Every leaf of a payload as `path:type`, arrays as `[]`. Below `opaque` paths (a button's own
 * value, which is the app's to choose) nothing is listed.
 */
function shapeOf(value: unknown, opaque: readonly string[] = [], path = ''): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, at: string) => {
    if (opaque.includes(at)) return void out.add(`${at}:opaque`);
    if (Array.isArray(v)) {
      out.add(`${at}:array`);
      for (const item of v) walk(item, `${at}[]`);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) walk(inner, at ? `${at}.${key}` : key);
    } else out.add(`${at}:${v === null ? 'null' : typeof v}`);
  };
  walk(value, path);
  return out;
}

const notIn = (ours: Set<string>, theirs: Set<string>) => [...ours].filter((leaf) => !theirs.has(leaf));

describe('the stand-in, held to the same fixtures', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startLarkStandIn({ ...larkApp });
  });
  afterAll(() => standIn?.close());

  it('builds events with no field and no type the documented events lack', () => {
    const mention = { key: '@_user_1', openId: 'ou_x', name: 'Tom' };
    const message = textMessage({
      openId: 'ou_a',
      chatId: 'oc_a',
      text: '@_user_1 hi',
      group: true,
      mentions: [mention],
    });
    expect(notIn(shapeOf(message), shapeOf(docMessageEvent))).toEqual([]);
    const press = cardAction({ openId: 'ou_a', chatId: 'oc_a', value: { v: 'x' } });
    const opaque = ['event.action.value'];
    expect(notIn(shapeOf(press, opaque), shapeOf(docCardAction, opaque))).toEqual([]);
    // And each reads as the fixture does.
    expect(shapeOf(docMessageEvent.header)).toEqual(shapeOf(message.header));
    expect(shapeOf(docCardAction.header)).toEqual(shapeOf(press.header));
  });

  it('answers the API with no field the documented answers lack, and limits as the platform does', async () => {
    const tokenRes = await fetch(`${standIn.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: larkApp.appId, app_secret: larkApp.appSecret }),
    });
    const token = (await tokenRes.json()) as typeof docTenantToken;
    expect(notIn(shapeOf(token), shapeOf(docTenantToken))).toEqual([]);
    expect(token.tenant_access_token).toMatch(/^t-/);
    const auth = { authorization: `Bearer ${token.tenant_access_token}`, 'content-type': 'application/json' };

    const info = await (await fetch(`${standIn.url}/open-apis/bot/v3/info`, { headers: auth })).json();
    expect(notIn(shapeOf(info), shapeOf(docBotInfo))).toEqual([]);

    const send = () =>
      fetch(`${standIn.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          receive_id: 'oc_a',
          msg_type: 'text',
          content: JSON.stringify({ text: '你好' }),
        }),
      });
    const sent = await (await send()).json();
    expect(notIn(shapeOf(sent), shapeOf(docMessageSent))).toEqual([]);

    standIn.faults.appPerSecond = 1;
    try {
      expect((await send()).status).toBe(200);
      const limited = await send();
      expect(limited.status).toBe(docFrequencyLimit.status);
      expect(await limited.json()).toMatchObject({ code: docFrequencyLimit.body.code });
      for (const name of docFrequencyLimit.headers) expect(limited.headers.get(name)).toMatch(/^\d+$/);
    } finally {
      delete standIn.faults.appPerSecond;
    }
  });
});
