/**
 * Long-connection mode through the SDK's own WSClient, against the stand-in's gateway speaking
 * the platform's frames: events and card presses take the same path into the inbox as webhooks,
 * the client reconnects after a drop and after a dead link's ping timeout, a failure to store an
 * event is answered 500 (so the platform sends it again), and closing is a clean handshake.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshPostgresUrl,
  openTestDatabase,
  primaryKind,
  type TestDatabase,
} from '../../support/databases.ts';
import { eventually } from '../../support/eventually.ts';
import { cardAction, larkApp, larkEnv, nextId, textMessage } from '../../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../../support/lark-stand-in.ts';
import { quickClientSettings } from '../../support/lark-ws-gateway.ts';
import { startServerProcess } from '../../support/server-process.ts';
import { createStack, type Stack } from '../../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let standIn: StandIn;
let connection: { close(): void } | null = null;

const wsEnv = () => ({ ...larkEnv(standIn.url), LARK_MODE: 'ws' });
/**
 * A connection over this stack. The SDK re-arms its ping watchdog on every ping, so only a timeout
 * shorter than the ping interval ever fires: the default (30 s) never cuts a link a busy machine
 * is merely slow to answer; the ping-timeout test opens its own connection with a short one.
 */
const connect = (s: Stack, pingTimeoutSeconds?: number) => {
  if (!s.services.lark) throw new Error('Lark is configured, so the channel must exist');
  return s.services.lark.connect(
    s.services.intake,
    pingTimeoutSeconds === undefined ? {} : { pingTimeoutSeconds },
  );
};

const until = (check: () => boolean, what: string) => eventually(check, what);

beforeAll(async () => {
  standIn = await startLarkStandIn({ ...larkApp });
  // Quick pings and reconnects, so the tests below take a second, not minutes.
  standIn.gateway.settings = { ...quickClientSettings };
  database = await openTestDatabase(primaryKind);
  stack = createStack(database, { env: wsEnv() });
  connection = connect(stack);
  await until(() => standIn.gateway.ready() === 1, 'the long connection');
});

afterAll(async () => {
  connection?.close();
  await standIn?.close();
  await database?.close();
});

const sentTo = (chatId: string) => standIn.sent.filter((m) => m.receiveId === chatId);

describe(`Lark long connection (${primaryKind})`, () => {
  it('takes messages and card presses over the socket into the inbox once, and replies through the API', async () => {
    const chatId = nextId('oc');
    const openId = nextId('ou');
    const message = textMessage({ openId, chatId, text: '菜单' });
    expect(await standIn.gateway.push(message)).toEqual({ code: 200, data: {} });
    expect((await standIn.gateway.push(message)).code).toBe(200);
    await stack.drain();
    expect(sentTo(chatId)).toHaveLength(1);
    const card = JSON.stringify(sentTo(chatId)[0]!.content);
    const value = JSON.parse(
      /"behaviors":\[\{"type":"callback","value":(\{"v":"(?:[^"\\]|\\.)*"\})/.exec(card)![1]!,
    );
    const pressed = await standIn.gateway.push(cardAction({ openId, chatId, value }));
    expect(pressed.code).toBe(200);
    expect(pressed.data).toMatchObject({ toast: { type: 'info', content: '已收到' } });
    await stack.drain();
    expect(JSON.stringify(sentTo(chatId)[1]!.content)).toContain('标题');
  });

  it('puts an event sent in fragments back together', async () => {
    const chatId = nextId('oc');
    const answer = await standIn.gateway.push(textMessage({ openId: nextId('ou'), chatId, text: '我的' }), {
      fragments: 3,
    });
    expect(answer.code).toBe(200);
    await stack.drain();
    expect(JSON.stringify(sentTo(chatId)[0]!.content)).toContain('还没有提交');
  });

  it('reconnects after the connection drops and takes events on the new one', async () => {
    const before = standIn.gateway.connections();
    standIn.gateway.dropAll();
    await until(() => standIn.gateway.connections() > before && standIn.gateway.ready() === 1, 'a reconnect');
    const chatId = nextId('oc');
    expect(
      (await standIn.gateway.push(textMessage({ openId: nextId('ou'), chatId, text: '菜单' }))).code,
    ).toBe(200);
    await stack.drain();
    expect(sentTo(chatId)).toHaveLength(1);
    await until(
      () => stack.logLines.some((l) => l.includes('"lark.ws_reconnected"')),
      'the reconnect log line',
    );
  });

  it('cuts a link that stops answering pings and dials again', async () => {
    // Its own connection, with a watchdog (0.5 s) shorter than the ping interval (1 s).
    const opened = standIn.gateway.connections();
    const watched = connect(stack, 0.5);
    try {
      await until(
        () => standIn.gateway.connections() > opened && standIn.gateway.ready() === 2,
        'the watched connection',
      );
      const before = standIn.gateway.connections();
      standIn.gateway.silent = true;
      await until(() => standIn.gateway.connections() > before, 'a reconnect after the ping timeout');
      standIn.gateway.silent = false;
      await until(() => standIn.gateway.ready() === 2, 'both connections open');
      expect(stack.logLines.some((l) => l.includes('"lark.ws"') && l.includes('no pong'))).toBe(true);
      const chatId = nextId('oc');
      expect(
        (await standIn.gateway.push(textMessage({ openId: nextId('ou'), chatId, text: '菜单' }))).code,
      ).toBe(200);
    } finally {
      watched.close();
    }
    await until(() => standIn.gateway.open() === 1, 'the watched connection to close');
  });

  it('closes with a close handshake and does not dial again', async () => {
    const closes = standIn.gateway.closedByClient.length;
    const accepted = standIn.gateway.connections();
    connection?.close();
    connection = null;
    await until(() => standIn.gateway.closedByClient.length > closes, 'the close handshake');
    // A close frame came (1005: one without a status code, which is how the SDK sends it), not a dropped socket.
    expect([1000, 1005]).toContain(standIn.gateway.closedByClient.at(-1));
    await until(() => standIn.gateway.open() === 0, 'the socket to close');
    // The client drops its timers when closed, so nothing would redial; a redial would come within
    // the reconnect interval (0.1 s). This wait can only let a wrong redial pass, never fail a
    // right close.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(standIn.gateway.connections()).toBe(accepted);
    expect(standIn.gateway.open()).toBe(0);
  });

  it('answers 500 when an event cannot be stored, so the platform sends it again', async () => {
    const broken = await openTestDatabase(primaryKind);
    const brokenStack = createStack(broken, { env: wsEnv() });
    await broken.close();
    const second = connect(brokenStack);
    try {
      // The first connection is closed by now (see above): this one is the only one.
      await until(() => standIn.gateway.ready() === 1, 'the connection over the broken database');
      const answer = await standIn.gateway.push(
        textMessage({ openId: nextId('ou'), chatId: nextId('oc'), text: '菜单' }),
      );
      expect(answer.code).toBe(500);
      expect(brokenStack.logLines.some((l) => l.includes('"lark.ws_intake_failed"'))).toBe(true);
    } finally {
      second.close();
    }
    await until(() => standIn.gateway.open() === 0, 'the connection to close');
  });

  it('serves no webhook in long-connection mode', async () => {
    const res = await stack.request('/webhooks/lark', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});

describe(`the server in long-connection mode (${primaryKind})`, () => {
  it('dials out on start, replies to what comes over the socket, and hangs up cleanly on SIGTERM', async () => {
    let dbEnv: Record<string, string>;
    let cleanup: () => Promise<void>;
    if (primaryKind === 'postgres') {
      const fresh = await freshPostgresUrl();
      dbEnv = { DATABASE_URL: fresh.url };
      cleanup = fresh.drop;
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'tongxin-ws-'));
      dbEnv = { DATA_DIR: dir };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    const opened = standIn.gateway.connections();
    const server = await startServerProcess({ ...dbEnv, ...wsEnv() });
    try {
      await until(
        () => standIn.gateway.ready() === 1 && standIn.gateway.connections() > opened,
        'the server to dial',
      );
      const chatId = nextId('oc');
      const answer = await standIn.gateway.push(textMessage({ openId: nextId('ou'), chatId, text: '菜单' }));
      expect(answer.code).toBe(200);
      await until(() => sentTo(chatId).length === 1, 'the reply at the stand-in');
      const closes = standIn.gateway.closedByClient.length;
      expect(await server.kill('SIGTERM')).toBe(0);
      expect(standIn.gateway.closedByClient.length).toBe(closes + 1);
      expect(server.logs.some((l) => l.includes('"lark.ws_connected"'))).toBe(true);
    } finally {
      if (server.child.exitCode === null) await server.kill('SIGKILL');
      await cleanup();
    }
    // A server process starting under the full suite's load may take a good part of a minute.
  }, 240_000);
});
