/**
 * The whole server over a test database, driven in process: requests go through the real Hono
 * app, and the jobs are run step by step until there is nothing left to do.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Channel } from '../../bots/core/channel.ts';
import type { SendLimiter } from '../../bots/core/rate-limiter.ts';
import { channelIdentities, people } from '../../db/schema/index.ts';
import { loadConfig } from '../../src/kernel/config.ts';
import { nodeAesGcm } from '../../src/kernel/crypto/aes-gcm-node.ts';
import { createKeyRing, generateDataKey, type KeyRing } from '../../src/kernel/crypto/sealed.ts';
import { createLogger } from '../../src/kernel/log.ts';
import { nodeParts } from '../../src/runtime/node-parts.ts';
import { createServices } from '../../src/runtime/services.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from './databases.ts';

export const adminToken = 'test-admin-token-0123456789';

/** One data key for every stack of a test file: instances sharing a database share DATA_KEY. */
export const testKeyRing = createKeyRing(generateDataKey(), nodeAesGcm);

export function createStack(
  database: TestDatabase,
  opts: {
    now?: () => Date;
    /** Channels besides the web chat and Lark (WeChat over a mock puppet, a recording sender). */
    channels?: Channel[];
    env?: Record<string, string>;
    keyRing?: KeyRing;
    /** Keep the limits in the database, as several instances on one PostgreSQL do. */
    sharedLimits?: boolean;
    sendLimiter?: SendLimiter;
  } = {},
) {
  const logLines: string[] = [];
  const log = createLogger('debug', (line) => logLines.push(line));
  const keyRing = opts.keyRing ?? testKeyRing;
  const services = createServices({
    db: database.db,
    keyRing,
    log,
    // The same parser as the server's, so defaults are the real ones.
    config: loadConfig({ ADMIN_TOKEN: adminToken, OUTBOX_MAX_ATTEMPTS: '5', ...opts.env }),
    now: opts.now,
    ...(opts.channels ? { channels: opts.channels } : {}),
    ...(opts.sharedLimits ? { sharedLimits: true } : {}),
    ...(opts.sendLimiter ? { sendLimiter: opts.sendLimiter } : {}),
    ...nodeParts,
    // Card presses get their vote's own answer however slow a busy machine is; the budget that
    // answers "still being processed" is tested on its own (test/channels/lark/answer-deadline.test.ts).
    cardAnswerMs: 120_000,
  });

  /**
   * Runs the inbox processor and the outbox dispatcher until both are idle. Calls made while one
   * runs wait for it and then run themselves, so a caller's own message is always processed when
   * its call returns, even with a test's background pump draining too.
   */
  let draining: Promise<void> = Promise.resolve();
  function drain(): Promise<void> {
    const run = draining.then(drainOnce, drainOnce);
    draining = run.catch(() => undefined);
    return run;
  }

  async function drainOnce() {
    for (let round = 0; round < 1000; round++) {
      let busy = false;
      while (await services.jobs.processNext()) busy = true;
      while ((await services.jobs.broadcast()) > 0) busy = true;
      while ((await services.jobs.fetchFiles()) > 0) busy = true;
      while ((await services.jobs.dispatch()) > 0) busy = true;
      if (!busy) return;
    }
    throw new Error('jobs did not settle');
  }

  const request = (path: string, init?: RequestInit) => services.app.request(path, init);

  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${adminToken}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return request(`/api${path}`, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
  };

  return { services, drain, request, api, log, logLines, keyRing };
}

export type Stack = ReturnType<typeof createStack>;

/** A stack over a fresh database of the primary kind for the whole test file. */
export function useStack(opts: Parameters<typeof createStack>[1] = {}): {
  readonly database: TestDatabase;
  readonly stack: Stack;
} {
  let database: TestDatabase | undefined;
  let stack: Stack | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(primaryKind);
    stack = createStack(database, opts);
  });
  afterAll(() => database?.close());
  return {
    get database() {
      if (!database) throw new Error('the database opens in beforeAll');
      return database;
    },
    get stack() {
      if (!stack) throw new Error('the stack is built in beforeAll');
      return stack;
    },
  };
}

type Bubble = {
  title?: string;
  notice?: string;
  text?: string;
  label?: string;
  fields?: { label: string; value: string }[];
  hint?: string;
  footer?: string;
  buttons?: { label: string; value: string }[];
};

let visitors = 0;

/**
 * A person in the web chat: keeps the cookie, sends text and presses buttons, reads replies.
 * Unless `named` is false they have told the bot their name already (测试员 1, 测试员 2, …), as
 * most people have by their second item, so a signed submission goes straight to its summary.
 */
export async function webVisitor(stack: Stack, opts: { named?: boolean } = {}) {
  const page = await stack.request('/chat');
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (opts.named !== false) {
    const visitorId = /=(v_[A-Za-z0-9_-]{22})\./.exec(cookie)?.[1];
    if (!visitorId) throw new Error('no visitor id in the cookie');
    const db = stack.services.ctx.db;
    const [person] = await db
      .insert(people)
      .values({ displayName: `测试员 ${++visitors}`, nameSource: 'self' })
      .returning({ id: people.id });
    await db
      .insert(channelIdentities)
      .values({ personId: person!.id, channel: 'web', externalId: visitorId });
  }
  let lastSeen = 0;
  let seq = 0;
  let latest: Bubble[] = [];
  /** Every reply read so far: older buttons stay on the page and can still be pressed. */
  const seen: Bubble[] = [];

  const post = (body: unknown) =>
    stack.request('/chat/messages', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The bot's replies since the last read. */
  async function replies(): Promise<Bubble[]> {
    const res = await stack.request(`/chat/messages?after=${lastSeen}`, { headers: { cookie } });
    const { messages } = (await res.json()) as {
      messages: { id: number; direction: string; payload: Bubble }[];
    };
    if (messages.length > 0) lastSeen = messages.at(-1)!.id;
    latest = messages.filter((m) => m.direction === 'out').map((m) => m.payload);
    seen.push(...latest);
    return latest;
  }

  async function say(text: string) {
    const res = await post({ id: `msg-${Date.now()}-${seq++}`, text });
    if (res.status !== 202) throw new Error(`send failed: ${res.status} ${await res.text()}`);
    await stack.drain();
    return replies();
  }

  /** Presses the newest button with this label (on the latest replies, else on earlier ones). */
  async function press(label: string) {
    const button =
      latest.flatMap((b) => b.buttons ?? []).find((b) => b.label === label) ??
      [...seen]
        .reverse()
        .flatMap((b) => b.buttons ?? [])
        .find((b) => b.label === label);
    if (!button) throw new Error(`no button "${label}"`);
    const res = await post({ id: `msg-${Date.now()}-${seq++}`, action: button.value, label });
    if (res.status !== 202) throw new Error(`press failed: ${res.status}`);
    await stack.drain();
    return replies();
  }

  return { cookie, post, say, press, replies };
}

/** Everything a bubble says, for assertions. */
export function bubbleText(bubbles: Bubble[]): string {
  return bubbles
    .map((b) =>
      [
        b.notice,
        b.title,
        b.text,
        b.label,
        ...(b.fields ?? []).map((f) => `${f.label}: ${f.value}`),
        b.hint,
        b.footer,
        ...(b.buttons ?? []).map((x) => `[${x.label}]`),
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n---\n');
}

/** A new person in the web chat and the member number they read under 我的信息. */
export async function webPerson(stack: Stack) {
  const visitor = await webVisitor(stack);
  const memberNo = Number(/成员号: (\d+)/.exec(bubbleText(await visitor.say('我的信息')))?.[1]);
  if (!(memberNo > 1000)) throw new Error('no member number under 我的信息');
  return { visitor, memberNo };
}

/**
 * A web chat visitor an admin has vouched for (placed in a unit), so they count as a verified
 * member: asked by polls to everyone or to their unit, and counted toward a poll's threshold.
 */
export async function verifiedVisitor(stack: Stack, unitName = '测试工会') {
  const { visitor, memberNo } = await webPerson(stack);
  const units = (await (await stack.api('/org-units')).json()) as { items: { id: string; nameZh: string }[] };
  let unit = units.items.find((u) => u.nameZh === unitName);
  if (!unit) {
    const res = await stack.api('/org-units', {
      method: 'POST',
      json: { nameZh: unitName, nameEn: 'Test union' },
    });
    if (res.status !== 201) throw new Error(`unit not created: ${res.status} ${await res.text()}`);
    unit = (await res.json()) as { id: string; nameZh: string };
  }
  const res = await stack.api(`/people/${memberNo}`, { method: 'PATCH', json: { orgUnitId: unit.id } });
  if (res.status !== 200) throw new Error(`not placed in the unit: ${res.status} ${await res.text()}`);
  await visitor.replies();
  return { visitor, memberNo, unitId: unit.id };
}
