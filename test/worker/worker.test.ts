/**
 * The Workers build in the real workerd runtime (Miniflare, offline) against the local PostgreSQL,
 * through a Hyperdrive binding and a queue: signed Lark events and web-chat messages are answered
 * after the acknowledgement (waitUntil), the Cron Trigger fires a due schedule once however many
 * runs overlap, and a broadcast fans out through the queue consumer. Replies are checked at the
 * Lark stand-in, rows in the database. PostgreSQL only: a Worker has no embedded database.
 */

import type { Readable } from 'node:stream';
import { and, count, eq, inArray } from 'drizzle-orm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbox, newsItems, outbox, scheduleRuns, schedules, submissions } from '../../db/schema/index.ts';
import { generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import { openTestDatabase, postgresUrl, type TestDatabase } from '../support/databases.ts';
import { eventually, gate, within } from '../support/eventually.ts';
import {
  cardAction,
  cardButtonValue,
  delivery,
  larkApp,
  larkEnv,
  nextId,
  textMessage,
} from '../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../support/lark-stand-in.ts';
import { adminToken, bubbleText } from '../support/stack.ts';
import { buildWorker, type WorkerBuild } from '../support/worker-build.ts';

let build: WorkerBuild;
let database: TestDatabase;
let standIn: StandIn;
let mf: Miniflare;
const logs: string[] = [];
const origin = 'https://tongxin.example.workers.dev';

/** Hyperdrive's binding wants a password; the local server trusts any. */
function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password ||= 'local';
  return parsed.toString();
}

beforeAll(async () => {
  if (!postgresUrl) return;
  [build, database, standIn] = await Promise.all([
    buildWorker(),
    openTestDatabase('postgres'),
    startLarkStandIn({ ...larkApp }),
  ]);
  mf = new Miniflare({
    modulesRoot: build.dir,
    modules: build.modules,
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      ...larkEnv(standIn.url),
      DATA_KEY: generateDataKey(),
      PUBLIC_URL: origin,
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'info',
    },
    hyperdrives: { HYPERDRIVE: withPassword(database.url!) },
    queueProducers: { BROADCAST_QUEUE: 'tongxin-broadcast' },
    queueConsumers: { 'tongxin-broadcast': { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 3 } },
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      for (const stream of [stdout, stderr])
        stream.on('data', (chunk: Buffer) =>
          logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
        );
    },
  });
  await mf.ready;
}, 180_000);

afterAll(async () => {
  if (process.env.SHOW_WORKER_LOGS) console.log(logs.filter((l) => !l.includes('http.request')).join('\n'));
  // Work still running after a failed test ends with the runtime, not in the middle of a query.
  if (database)
    await eventually(
      async () => {
        const [busy] = await database.db
          .select({ n: count() })
          .from(outbox)
          .where(inArray(outbox.status, ['pending', 'sending']));
        return busy?.n === 0;
      },
      'work to settle',
      { timeoutMs: 10_000 },
    ).catch(() => undefined);
  await mf?.dispose();
  await standIn?.close();
  await database?.close();
  await build?.remove();
});

const call = (path: string, init?: RequestInit) =>
  mf.dispatchFetch(`${origin}${path}`, init as Parameters<Miniflare['dispatchFetch']>[1]);

const api = (path: string, body?: unknown) =>
  call(`/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function postLark(payload: unknown) {
  const { body, headers } = await delivery(payload, { encrypt: true });
  return call('/webhooks/lark', { method: 'POST', headers, body });
}

describe.skipIf(!postgresUrl)('the Worker in workerd, on PostgreSQL through Hyperdrive', () => {
  it('serves health, the web chat page and its script, and the console’s Chart.js from the bundle', async () => {
    const health = await call('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const page = await call('/chat');
    expect(page.status).toBe(200);
    // The page's script comes from the bundle too, at the URL the page names.
    const src = /<script src="([^"]+)"><\/script>/.exec(await page.text())?.[1] ?? '';
    const script = await call(src);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('/chat/messages');
    const chart = await call('/console/assets/chart.js');
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('Chart');
  });

  it('acknowledges a signed Lark message before replying, replies after, and takes a redelivery once', async () => {
    const chatId = nextId('oc_p2p');
    const openId = nextId('ou_worker');
    const event = textMessage({ openId, chatId, text: '菜单' });
    const toChat = () => standIn.sent.filter((m) => m.receiveId === chatId);
    // Every send waits at the stand-in: the acknowledgement must come while the reply is held.
    const held = gate();
    standIn.faults.hold = held.wait;
    try {
      const first = await within(postLark(event), 'the acknowledgement while the reply is held');
      expect(first.status).toBe(200);
      await eventually(
        () =>
          standIn.calls.some((c) => c.path === '/open-apis/im/v1/messages' && c.body?.receive_id === chatId),
        'the reply to reach the stand-in after the acknowledgement',
      );
      expect(toChat()).toEqual([]);
    } finally {
      delete standIn.faults.hold;
      held.open();
    }
    const reply = await eventually(() => toChat()[0], 'the reply');
    expect(reply.msgType).toBe('interactive');

    // A redelivery is acknowledged and dropped. Conversations are worked in order, so once a later
    // message's reply is in, a second reply to the redelivery would have come before it.
    expect((await postLark(event)).status).toBe(200);
    expect((await postLark(textMessage({ openId, chatId, text: '我的' }))).status).toBe(200);
    await eventually(() => toChat()[1], 'the reply to the message after the redelivery');
    expect(toChat()).toHaveLength(2);
    expect(JSON.stringify(toChat()[1]!.content)).toContain('还没有提交');
    const [stored] = await database.db
      .select()
      .from(inbox)
      .where(eq(inbox.conversationKey, `lark:${chatId}`));
    expect(stored).toBeUndefined();
    const rows = await database.db.select().from(outbox).where(eq(outbox.chatId, chatId));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.platformMessageId === reply.messageId)).toMatchObject({ status: 'sent' });

    // A button on that card: the callback is answered with a toast and the card updated in place,
    // and the next question follows.
    const value = cardButtonValue(reply, '提合理化建议');
    const pressed = await postLark(cardAction({ openId, chatId, value, messageId: reply.messageId }));
    expect(pressed.status).toBe(200);
    const answer = (await pressed.json()) as { toast: { content: string }; card?: { data: unknown } };
    expect(answer.toast.content).toBe('已收到');
    expect(JSON.stringify(answer.card?.data)).toContain('✓ 提合理化建议');
    const next = await eventually(() => toChat()[2], 'the question after the press');
    expect(JSON.stringify(next.content)).toContain('标题');
  });

  it('refuses a delivery with a bad signature and stores nothing', async () => {
    const chatId = nextId('oc_forged');
    const { body, headers } = await delivery(textMessage({ openId: 'ou_forger', chatId, text: '你好' }), {
      key: 'not-the-encrypt-key',
    });
    const before = await database.db.select({ n: count() }).from(inbox);
    const res = await call('/webhooks/lark', { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    expect(await database.db.select({ n: count() }).from(inbox)).toEqual(before);
  });

  it('files a whole suggestion in the web chat, each reply read by long-polling', async () => {
    const page = await call('/chat');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    let after = 0;
    let seq = 0;
    const say = async (text: string) => {
      const sent = await call('/chat/messages', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `worker-msg-${seq++}`, text }),
      });
      expect(sent.status).toBe(202);
      const bubbles: Parameters<typeof bubbleText>[0] = [];
      // The reply is written after the answer, by the waitUntil work; the poll waits for it.
      for (let round = 0; round < 4 && bubbles.length === 0; round++) {
        const res = await call(`/chat/messages?after=${after}&wait=5`, { headers: { cookie } });
        const { messages } = (await res.json()) as {
          messages: { id: number; direction: string; payload: Parameters<typeof bubbleText>[0][number] }[];
        };
        if (messages.length > 0) after = messages.at(-1)!.id;
        bubbles.push(...messages.filter((m) => m.direction === 'out').map((m) => m.payload));
      }
      return { text: bubbleText(bubbles), bubbles };
    };
    expect((await say('建议')).text).toContain('标题');
    await say('工具间增加一台空压机');
    await say('1');
    await say('三号车间早班用气高峰时压力不足，影响装配节拍，建议增加一台空压机。');
    await say('跳过');
    // Signed, by someone whose name nobody knows yet: asked for it first.
    expect((await say('1')).text).toContain('您怎么称呼？');
    const summary = await say('周师傅');
    const submit = summary.bubbles.flatMap((b) => b.buttons ?? []).find((b) => b.label === '提交');
    expect(submit).toBeDefined();
    const pressed = await call('/chat/messages', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `worker-msg-${seq++}`, action: submit!.value, label: '提交' }),
    });
    expect(pressed.status).toBe(202);
    const receipt = await eventually(async () => {
      const res = await call(`/chat/messages?after=${after}&wait=5`, { headers: { cookie } });
      const { messages } = (await res.json()) as { messages: { payload: never; direction: string }[] };
      const text = bubbleText(messages.filter((m) => m.direction === 'out').map((m) => m.payload));
      return /JY-\d{4}-\d{4}/.exec(text)?.[0];
    }, 'the receipt');
    const [row] = await database.db.select().from(submissions).where(eq(submissions.referenceCode, receipt));
    expect(row).toMatchObject({ kind: 'suggestion', title: '工具间增加一台空压机' });
  });

  it('fires a due schedule from the Cron Trigger once, however many minutes’ runs overlap', async () => {
    const chatId = nextId('oc_sched');
    const created = await api('/schedules', {
      name: '每日安全提醒',
      cron: '0 8 * * *',
      kind: 'message',
      payload: { channel: 'lark', chatId, text: '今天也请注意安全生产。' },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Its fire time has come (as at 08:00): three scheduled runs start together.
    await database.db
      .update(schedules)
      .set({ nextFireAt: new Date(Date.now() - 30_000) })
      .where(eq(schedules.id, id));
    // Miniflare types its handle with Cloudflare's own types, which this project does not load.
    const worker = (await mf.getWorker()) as unknown as {
      scheduled(options: { cron: string }): Promise<{ outcome: string }>;
    };
    const runs = await Promise.all([1, 2, 3].map(() => worker.scheduled({ cron: '* * * * *' })));
    expect(runs.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok']);
    await eventually(() => standIn.sent.some((m) => m.receiveId === chatId), 'the scheduled message');
    await worker.scheduled({ cron: '* * * * *' });
    expect(standIn.sent.filter((m) => m.receiveId === chatId)).toHaveLength(1);
    const claimed = await database.db
      .select()
      .from(scheduleRuns)
      .where(and(eq(scheduleRuns.scheduleId, id), eq(scheduleRuns.status, 'claimed')));
    expect(claimed).toHaveLength(1);
  });

  it('fans a broadcast out through the queue: every chat once, none by the dispatcher', async () => {
    const chats = Array.from({ length: 120 }, (_, i) => `oc_bcast_${String(i).padStart(3, '0')}`);
    // The stand-in keeps the platform's limits, and refuses any send over them.
    standIn.faults.appPerSecond = 50;
    standIn.faults.userPerSecond = 5;
    const callsBefore = standIn.calls.length;
    const res = await api('/news', {
      topic: 'news',
      title: '职工之家装修完工',
      body: '**职工之家**已重新开放，欢迎大家前来。',
      audience: { kind: 'chats', chats: chats.map((chatId) => ({ channel: 'lark', chatId })) },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await eventually(
      () => chats.every((chat) => standIn.sent.some((m) => m.receiveId === chat)),
      'every chat to get the news',
    );
    for (const chat of chats) expect(standIn.sent.filter((m) => m.receiveId === chat)).toHaveLength(1);
    const rows = await database.db.select().from(outbox).where(inArray(outbox.chatId, chats));
    expect(rows).toHaveLength(120);
    await eventually(async () => {
      const left = await database.db.select().from(outbox).where(inArray(outbox.chatId, chats));
      return left.every((r) => r.status === 'sent');
    }, 'every row to be marked sent');
    // Queue consumers and requests count in one budget in the database: none went over.
    expect(standIn.calls.slice(callsBefore).filter((c) => c.limited)).toEqual([]);
    const [item] = await database.db.select().from(newsItems).where(eq(newsItems.id, id));
    expect(item).toMatchObject({ status: 'sent', queued: 120 });
    // The queue consumer sent them all: the dispatcher leaves handed-off rows alone for two minutes.
    const sentByQueue = () =>
      logs
        .map((line) => /"event":"queue\.batch".*"sent":(\d+)/.exec(line)?.[1])
        .reduce((sum, n) => sum + Number(n ?? 0), 0);
    // The consumer logs each batch after its sends: wait for all of them, then count exactly.
    await eventually(() => sentByQueue() >= 120, 'the queue consumer to report its batches');
    expect(sentByQueue()).toBe(120);
  });

  it('keeps secrets and message text out of the logs', () => {
    const joined = logs.join('\n');
    expect(joined).toContain('"event":"http.request"');
    for (const secret of [larkApp.appSecret, larkApp.encryptKey, adminToken, '工具间增加一台空压机'])
      expect(joined).not.toContain(secret);
  });
});
