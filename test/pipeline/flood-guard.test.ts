/**
 * The per-person limit on incoming messages: past INBOUND_PER_MINUTE a person's web chat message
 * is refused with 429 and a message in both languages, a Lark delivery is answered 429 so the
 * platform sends it again later, nothing is written for either, and a minute later they go again.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbox, webChatMessages } from '../../db/schema/index.ts';
import { FloodGuard } from '../../src/pipeline/flood-guard.ts';
import type { HttpServer } from '../support/browser.ts';
import { primaryKind, type TestDatabase } from '../support/databases.ts';
import { delivery, nextId, textMessage } from '../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../support/lark-server.ts';

let database: TestDatabase;
let server: HttpServer;
let clock = Date.parse('2026-11-24T02:00:00Z');

let lark: LarkServer;

beforeAll(async () => {
  lark = await startLarkServer({ now: () => new Date(clock), env: { INBOUND_PER_MINUTE: '3' } });
  ({ database, server } = lark);
});

afterAll(() => lark?.close());

describe('the flood guard', () => {
  it('counts each sender over the last minute', () => {
    let now = 0;
    const guard = new FloodGuard(2, () => now);
    expect([guard.allow('a'), guard.allow('a'), guard.allow('a'), guard.allow('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    now = 60_001;
    expect(guard.allow('a')).toBe(true);
  });
});

describe(`per-person limits over HTTP (${primaryKind})`, () => {
  it('refuses a fourth web chat message in a minute with 429, writes nothing, and lets it through later', async () => {
    const page = await fetch(`${server.url}/chat`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    const say = (n: number) =>
      fetch(`${server.url}/chat/messages`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'accept-language': 'zh-CN' },
        body: JSON.stringify({ id: `flood-msg-${n}`, text: '你好' }),
      });
    for (let n = 0; n < 3; n++) expect((await say(n)).status).toBe(202);
    const [before] = await database.db.select({ n: count() }).from(webChatMessages);
    const refused = await say(3);
    expect(refused.status).toBe(429);
    const { error } = (await refused.json()) as { error: { message_zh: string; message_en: string } };
    expect(error.message_zh).toContain('太快');
    expect(error.message_en).toContain('too fast');
    expect(await database.db.select({ n: count() }).from(webChatMessages)).toEqual([before]);
    clock += 61_000;
    expect((await say(4)).status).toBe(202);
  });

  it('answers a fourth Lark message in a minute 429, so the platform delivers it again later', async () => {
    const openId = nextId('ou_flood');
    const chatId = nextId('oc_flood');
    const send = async (messageId: string) => {
      const { body, headers } = await delivery(textMessage({ openId, chatId, text: '你好', messageId }), {
        timestamp: Math.floor(clock / 1000),
      });
      return fetch(`${server.url}/webhooks/lark`, { method: 'POST', headers, body });
    };
    for (let n = 0; n < 3; n++) expect((await send(`om_flood_${n}`)).status).toBe(200);
    expect((await send('om_flood_3')).status).toBe(429);
    const stored = await database.db.select().from(inbox).where(eq(inbox.dedupeKey, 'lark:msg:om_flood_3'));
    expect(stored).toEqual([]);
    // Delivered again a minute later, it is taken.
    clock += 61_000;
    expect((await send('om_flood_3')).status).toBe(200);
    const taken = await database.db.select().from(inbox).where(eq(inbox.dedupeKey, 'lark:msg:om_flood_3'));
    expect(taken).toHaveLength(1);
  });
});
