/**
 * Property-based fuzzing (fast-check) of every public input, over real HTTP into the app: Lark
 * webhook bodies and headers (unsigned, signed with garbage inside, card callbacks with any value),
 * web chat messages, and officer API bodies. For every input: no crash, no 5xx, and when the input
 * is refused, not a row written anywhere.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import type { HttpServer } from '../support/browser.ts';
import { primaryKind, type TestDatabase } from '../support/databases.ts';
import { cardAction, delivery, envelope, nextId, textMessage } from '../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../support/lark-server.ts';
import type { StandIn } from '../support/lark-stand-in.ts';
import { adminToken, type Stack } from '../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let server: HttpServer;
let standIn: StandIn;

let lark: LarkServer;

beforeAll(async () => {
  lark = await startLarkServer();
  ({ standIn, database, stack, server } = lark);
});

afterAll(() => lark?.close());

/** Rows in every table an input could reach, summed: a refused input must leave it unchanged. */
async function rows(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select ((select count(*) from inbox) + (select count(*) from outbox)
              + (select count(*) from web_chat_messages) + (select count(*) from web_visitors)
              + (select count(*) from submissions) + (select count(*) from news_items)
              + (select count(*) from polls) + (select count(*) from poll_votes)
              + (select count(*) from schedules) + (select count(*) from org_units)
              + (select count(*) from congress_sessions) + (select count(*) from audit_log)
              + (select count(*) from people))::int as n`,
  );
  return row!.n;
}

const runs = {
  numRuns: Number(process.env.FUZZ_RUNS ?? 120),
  seed: Number(process.env.FUZZ_SEED ?? 20261124),
};

/** Any JSON value, nested a little, with Chinese, emoji and control characters in its strings. */
const json = fc.jsonValue({ maxDepth: 3 });
const text = fc.string({ unit: 'grapheme', maxLength: 200 });

async function post(path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const answer = await res.text();
  return { status: res.status, answer };
}

/** No 5xx, and a refused input changes nothing. */
async function expectClean(send: () => Promise<{ status: number; answer: string }>) {
  const before = await rows();
  const { status, answer } = await send();
  expect(status, answer).toBeLessThan(500);
  if (status >= 400) expect(await rows()).toBe(before);
  return status;
}

describe(`fuzzing public inputs (${primaryKind})`, () => {
  it('the Lark webhook: any body and headers, unsigned', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          text,
          json.map((v) => JSON.stringify(v)),
        ),
        fc.dictionary(
          fc.constantFrom(
            'x-lark-request-timestamp',
            'x-lark-request-nonce',
            'x-lark-signature',
            'content-type',
          ),
          fc.string({ maxLength: 80 }),
        ),
        async (body, headers) => {
          await expectClean(() => post('/webhooks/lark', body, headers));
        },
      ),
      runs,
    );
  });

  it('the Lark webhook: signed and encrypted, with any event inside', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.added_v1', 'x.y'),
        json,
        fc.boolean(),
        async (eventType, event, encrypt) => {
          const { body, headers } = await delivery(envelope(eventType, event), { encrypt });
          await expectClean(() => post('/webhooks/lark', body, headers));
        },
      ),
      runs,
    );
  });

  it('the Lark webhook: message events shaped like the platform’s, with any field missing or odd', async () => {
    const maybe = { requiredKeys: [] as never[] };
    const messageEvent = fc.record(
      {
        sender: fc.record(
          {
            sender_id: fc.record(
              { open_id: fc.oneof(fc.string({ maxLength: 80 }), fc.constant('ou_fuzz')) },
              maybe,
            ),
            sender_type: fc.constantFrom('user', 'app', ''),
          },
          maybe,
        ),
        message: fc.record(
          {
            message_id: fc.string({ maxLength: 80 }),
            chat_id: fc.string({ maxLength: 80 }),
            chat_type: fc.constantFrom('p2p', 'group', 'topic', ''),
            message_type: fc.constantFrom('text', 'image', 'post', 'file', ''),
            content: fc.oneof(
              text,
              json.map((v) => JSON.stringify(v)),
              text.map((t) => JSON.stringify({ text: t })),
            ),
            create_time: fc.string({ maxLength: 20 }),
            mentions: fc.array(
              fc.record(
                { key: fc.string(), id: fc.record({ open_id: fc.string() }, maybe), name: fc.string() },
                maybe,
              ),
              { maxLength: 3 },
            ),
          },
          maybe,
        ),
      },
      maybe,
    );
    const cardEvent = fc.record(
      {
        operator: fc.record({ open_id: fc.string({ maxLength: 80 }) }, maybe),
        action: fc.record({ value: json, tag: fc.string(), input_value: text }, maybe),
        context: fc.record({ open_message_id: fc.string(), open_chat_id: fc.string() }, maybe),
      },
      maybe,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          messageEvent.map((e) => envelope('im.message.receive_v1', e)),
          cardEvent.map((e) => envelope('card.action.trigger', e)),
        ),
        async (payload) => {
          const { body, headers } = await delivery(payload, { encrypt: true });
          await expectClean(() => post('/webhooks/lark', body, headers));
        },
      ),
      runs,
    );
  });

  it('Lark messages and card callbacks with any text and any button value', async () => {
    await fc.assert(
      fc.asyncProperty(text, json, async (said, value) => {
        const chatId = nextId('oc_fuzz');
        const openId = nextId('ou_fuzz');
        const message = await delivery(textMessage({ openId, chatId, text: said }), { encrypt: true });
        expect(await expectClean(() => post('/webhooks/lark', message.body, message.headers))).toBe(200);
        const press = await delivery(cardAction({ openId, chatId, value }), { encrypt: true });
        await expectClean(() => post('/webhooks/lark', press.body, press.headers));
      }),
      runs,
    );
  });

  it('web chat messages: any body, with and without a visitor cookie', async () => {
    const page = await fetch(`${server.url}/chat`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          text,
          json.map((v) => JSON.stringify(v)),
          fc.record({ id: fc.string({ maxLength: 70 }), text }).map((v) => JSON.stringify(v)),
          fc
            .record({ id: fc.string({ maxLength: 70 }), action: json, label: text })
            .map((v) => JSON.stringify(v)),
        ),
        fc.boolean(),
        async (body, withCookie) => {
          await expectClean(() =>
            post('/chat/messages', body, {
              'content-type': 'application/json',
              ...(withCookie ? { cookie } : {}),
            }),
          );
        },
      ),
      runs,
    );
  });

  it('officer API bodies: any JSON to every route that writes', async () => {
    const routes = [
      '/api/news',
      '/api/polls',
      '/api/schedules',
      '/api/org-units',
      '/api/congress-sessions',
      '/api/submissions/JY-2026-0001/status',
      '/api/submissions/JY-2026-0001/extend',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          json.map((v) => JSON.stringify(v)),
          text,
        ),
        fc.boolean(),
        async (route, body, authorised) => {
          await expectClean(() =>
            post(route, body, {
              'content-type': 'application/json',
              ...(authorised ? { authorization: `Bearer ${adminToken}` } : {}),
            }),
          );
        },
      ),
      runs,
    );
  });
});
