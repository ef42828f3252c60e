/**
 * The README's mixed topology under load: the Workers build in workerd (Miniflare, through a
 * Hyperdrive binding) and a Node instance with WeChat (wechaty-puppet-mock, holding the login
 * lease) on one PostgreSQL. Lark events go to both at random, WeChat messages come in through the
 * Node instance, and either instance may process any event; the Worker, which cannot send on
 * WeChat, must leave those replies to Node. Mid-load the Worker's runtime is killed. Then: every
 * acknowledged Lark event processed once with its one reply shown once, every WeChat message
 * answered once, and no reply marked failed for want of a sender.
 */
import net from 'node:net';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatChannel } from '../../bots/wechat/index.ts';
import { createWechatLink, type WechatLink } from '../../bots/wechat/wechaty.ts';
import { type Database, openDatabase } from '../../db/client.ts';
import { queryRows } from '../../db/handle.ts';
import { nodeAesGcm } from '../../src/kernel/crypto/aes-gcm-node.ts';
import { createKeyRing, generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import { createLogger } from '../../src/kernel/log.ts';
import { keepWechatLease, type WechatLease } from '../../src/runtime/wechat-lease.ts';
import { type HttpServer, startHttpServer } from '../support/browser.ts';
import { freshPostgresUrl } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { larkApp } from '../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../support/lark-stand-in.ts';
import type { ScratchDatabase } from '../support/scratch-database.ts';
import { createStack, type Stack } from '../support/stack.ts';
import { buildWorker, type WorkerBuild } from '../support/worker-build.ts';
import { exactlyOnce, larkLoad, pause, seeded, serverEnv, settled } from './load.ts';

type Mocker = InstanceType<typeof mock.Mocker>;
type MockContact = ReturnType<Mocker['createContact']>;

const botId = 'wxid_tongxin_bot';
const dataKey = generateDataKey();
const keyRing = createKeyRing(dataKey, nodeAesGcm);

let scratch: ScratchDatabase;
let database: Database;
let standIn: StandIn;
let build: WorkerBuild;
let worker: Miniflare | null = null;
let workerUrl: string | null = null;
const workerLogs: string[] = [];
let node: { stack: Stack; server: HttpServer; link: WechatLink; lease: WechatLease };
let mocker: Mocker;
let botUser: MockContact;
const said = new Map<string, string[]>();

/** Hyperdrive's binding wants a password; the local server trusts any. */
function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password ||= 'local';
  return parsed.toString();
}

/**
 * Miniflare's Hyperdrive proxy pipes workerd's sockets to PostgreSQL with no error handler, so a
 * runtime killed mid-query raises ECONNRESET in this process as an uncaught exception (Miniflare's,
 * not the app's). Sockets opened with net.connect and accepted by servers made from here on are
 * given a handler that destroys them and what they were piped to, as a broken pipe should.
 */
function handleProxySocketErrors() {
  // The other end of the pipe goes too: left open, it would hold a PostgreSQL connection for ever.
  const quiet = (socket: net.Socket) =>
    socket.on('error', () => {
      const piped = (socket as unknown as { _readableState?: { pipes?: net.Socket[] } })._readableState
        ?.pipes;
      for (const other of piped ?? []) other.destroy();
      socket.destroy();
    });
  const connect = net.connect;
  net.connect = ((...args: Parameters<typeof net.connect>) =>
    quiet((connect as (...a: unknown[]) => net.Socket)(...args))) as typeof net.connect;
  const createServer = net.createServer;
  net.createServer = ((...args: unknown[]) => {
    const server = (createServer as (...a: unknown[]) => net.Server)(...args);
    server.prependListener('connection', quiet);
    return server;
  }) as typeof net.createServer;
}

beforeAll(async () => {
  handleProxySocketErrors();
  [scratch, standIn, build] = await Promise.all([
    freshPostgresUrl(),
    startLarkStandIn({ ...larkApp }),
    buildWorker(),
  ]);
  database = await openDatabase({ kind: 'postgres', url: scratch.url });
  await database.migrate();
  const { DATABASE_URL: _url, ...env } = serverEnv(scratch.url, standIn);

  // The Node instance, with WeChat.
  const logLines: string[] = [];
  const log = createLogger('info', (line) => logLines.push(line));
  const link = createWechatLink({
    puppet: () => {
      mocker = new mock.Mocker();
      botUser = mocker.createContact({ id: botId, name: '同心助手' });
      return new PuppetMock({ mocker });
    },
    log,
    limits: { perChatPerSecond: 50, perMinute: 100_000 },
    restartMs: 50,
  });
  let lease: WechatLease | null = null;
  const channel = createWechatChannel(link, { sending: () => lease?.holding() ?? false });
  const stack = createStack(
    { ...database, url: scratch.url },
    {
      env,
      keyRing,
      channels: [channel],
      sharedLimits: true,
    },
  );
  lease = keepWechatLease({
    db: database.db,
    log,
    ttlSeconds: 30,
    link: {
      start: async () => {
        await channel.start?.(stack.services.intake);
        link.bot()?.on('message', (message) => {
          if (!message.self()) return;
          const to = message.listener()?.id ?? '';
          said.set(to, [...(said.get(to) ?? []), message.text()]);
        });
        mocker.login(botUser);
      },
      stop: () => link.stop(),
    },
  });
  const server = await startHttpServer(stack.services);
  stack.services.startJobs();
  node = { stack, server, link, lease };
  await eventually(() => link.target.ready(), 'WeChat to log in on the Node instance');

  // The Worker, on the same database and with the same data key.
  worker = new Miniflare({
    modulesRoot: build.dir,
    modules: build.modules,
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      ...env,
      DATA_KEY: dataKey,
      PUBLIC_URL: 'https://tongxin.example.workers.dev',
      LOG_LEVEL: 'info',
    },
    hyperdrives: { HYPERDRIVE: withPassword(scratch.url) },
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      for (const stream of [stdout, stderr])
        stream.on('data', (chunk: Buffer) => workerLogs.push(...chunk.toString('utf8').split('\n')));
    },
  });
  workerUrl = (await worker.ready).toString().replace(/\/$/, '');
}, 300_000);

afterAll(async () => {
  await worker?.dispose().catch(() => undefined);
  await node?.lease.stop();
  await node?.stack.services.stopJobs();
  await node?.server.close();
  await standIn?.close();
  await database?.close();
  await scratch?.drop();
  await build?.remove();
});

describe('a Worker and a Node instance with WeChat on one PostgreSQL', () => {
  it('lose nothing, duplicate nothing and fail nothing for want of a sender when the Worker is killed', async () => {
    const cluster = { up: () => [node.server.url, ...(workerUrl ? [workerUrl] : [])] };
    // WeChat: 40 people, five messages each ('我的', one reply each), spread over the run.
    const people = Array.from({ length: 40 }, (_, i) => mocker.createContact({ name: `职工${i + 1}` }));
    const perPerson = 5;
    // A notice to all of them on WeChat, published through the Worker: its WeChat rows are made
    // where no WeChat sender is, and must wait for the Node instance, not fail.
    const notice = await fetch(`${workerUrl}/api/news`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer reliability-admin-token-0123456789',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        topic: 'notice',
        title: '冬季送温暖活动通知',
        body: '请各位职工留意本周安排。',
        audience: { kind: 'chats', chats: people.map((p) => ({ channel: 'wechat', chatId: p.id })) },
      }),
    });
    expect(notice.status).toBe(201);
    const wechatTraffic = (async () => {
      for (let round = 0; round < perPerson; round++) {
        for (const person of people) person.say('我的').to(botUser);
        await pause(700);
      }
    })();
    // Lark: 1,500 events over both instances; the Worker is killed a third of the way in.
    const killWorker = (async () => {
      await eventually(
        async () => {
          const [row] = await queryRows<{ n: number }>(
            database.db,
            sql`select count(*)::int as n from inbox`,
          );
          return row!.n >= 500;
        },
        'a third of the load',
        { timeoutMs: 300_000 },
      );
      const dying = worker;
      workerUrl = null;
      worker = null;
      await dying?.dispose();
    })();
    const load = await larkLoad(cluster, {
      events: 1500,
      chats: 150,
      concurrency: 16,
      random: seeded(11),
      prefix: 'mixed',
    });
    await Promise.all([wechatTraffic, killWorker]);
    expect(load.acked.size).toBe(1500);
    // Rows the Worker had claimed when it died are taken again once their claims lapse.
    await settled(database, 300_000);

    const lark = await exactlyOnce(database, standIn, load.acked, 'mixed');
    expect({ lost: lark.lost, repliesNotOne: lark.repliesNotOne, shownNever: lark.shownNever }).toEqual({
      lost: 0,
      repliesNotOne: 0,
      shownNever: 0,
    });

    const [wechat] = await queryRows<{ events: number; done: number; replies: number; sent: number }>(
      database.db,
      sql`select (select count(*)::int from inbox where channel = 'wechat') as events,
                 (select count(*)::int from inbox where channel = 'wechat' and status = 'done') as done,
                 (select count(*)::int from outbox where channel = 'wechat') as replies,
                 (select count(*)::int from outbox where channel = 'wechat' and status = 'sent') as sent`,
    );
    expect(wechat).toEqual({
      events: people.length * perPerson,
      done: people.length * perPerson,
      replies: people.length * (perPerson + 1),
      sent: people.length * (perPerson + 1),
    });
    const noticesTo = (p: MockContact) =>
      (said.get(p.id) ?? []).filter((t) => t.includes('冬季送温暖活动通知'));
    await eventually(
      () => people.every((p) => (said.get(p.id) ?? []).length === perPerson + 1),
      'every WeChat message answered once, and the notice shown once',
    );
    for (const person of people) {
      expect(said.get(person.id)).toHaveLength(perPerson + 1);
      expect(noticesTo(person)).toHaveLength(1);
    }

    const [failed] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from outbox where status = 'failed'`,
    );
    expect(failed!.n).toBe(0);
    // The Worker took part: it acknowledged a share of the events before it died.
    const byWorker = [...load.ackedBy]
      .filter(([url]) => url !== node.server.url)
      .reduce((n, [, k]) => n + k, 0);
    expect(byWorker).toBeGreaterThan(0);
    console.log(
      `mixed topology: ${load.acked.size} Lark events in ${load.seconds.toFixed(1)} s (refusals ${JSON.stringify(Object.fromEntries(load.refusals))}), ` +
        `${byWorker} of them acknowledged by the Worker, ${wechat!.events} WeChat messages; lost ${lark.lost}, replies not one ${lark.repliesNotOne}, ` +
        `shown never ${lark.shownNever}, resends ${lark.resends}, failed ${failed!.n}`,
    );
  });
});
