/**
 * Long-connection mode: events arrive through the SDK's own EventDispatcher (as its WSClient
 * delivers them, flattened, unsigned) and take the same path into the inbox as webhooks.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longConnectionHandlers } from '../../src/runtime/lark-long-connection.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/databases.ts';
import { cardAction, larkApp, larkEnv, nextId, textMessage } from '../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../support/lark-stand-in.ts';
import { createStack, type Stack } from '../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let standIn: StandIn;
let dispatcher: lark.EventDispatcher;

const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

beforeAll(async () => {
  standIn = await startLarkStandIn({ ...larkApp });
  database = await openTestDatabase(primaryKind);
  stack = createStack(database, { env: { ...larkEnv(standIn.url), LARK_MODE: 'ws' } });
  const intake = stack.services.larkIntake;
  if (!intake) throw new Error('Lark is configured, so the intake must exist');
  dispatcher = new lark.EventDispatcher({ logger: silent }).register(longConnectionHandlers(intake));
});

afterAll(async () => {
  await standIn?.close();
  await database?.close();
});

const sentTo = (chatId: string) => standIn.sent.filter((m) => m.receiveId === chatId);

describe(`Lark long connection (${primaryKind})`, () => {
  it('takes messages and card presses into the inbox once, and replies through the API', async () => {
    const chatId = nextId('oc');
    const openId = nextId('ou');
    const message = textMessage({ openId, chatId, text: '菜单' });
    await dispatcher.invoke(message, { needCheck: false });
    await dispatcher.invoke(message, { needCheck: false });
    await stack.drain();
    expect(sentTo(chatId)).toHaveLength(1);
    const card = JSON.stringify(sentTo(chatId)[0]!.content);
    const value = JSON.parse(
      /"behaviors":\[\{"type":"callback","value":(\{"v":"(?:[^"\\]|\\.)*"\})/.exec(card)![1]!,
    );
    const answer = await dispatcher.invoke(cardAction({ openId, chatId, value }), { needCheck: false });
    expect(answer).toMatchObject({ toast: { type: 'info' } });
    await stack.drain();
    expect(JSON.stringify(sentTo(chatId)[1]!.content)).toContain('标题');
  });

  it('serves no webhook in long-connection mode', async () => {
    const res = await stack.request('/webhooks/lark', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});
