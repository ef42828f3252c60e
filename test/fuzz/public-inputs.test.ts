/**
 * Property-based fuzzing (fast-check) of every public input, over real HTTP into the app: Lark
 * webhook bodies and headers (unsigned, signed with garbage inside, card callbacks with any value),
 * web chat messages, officer API bodies, and every route of the app with text PostgreSQL cannot
 * hold (NUL, lone surrogates, bytes that are not UTF-8) in its query string, path segments and
 * body fields. For every input: no crash, no 5xx, and when the input is refused, not a row
 * written anywhere.
 */
import { type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import type { HttpServer } from '../support/browser.ts';
import { primaryKind, type TestDatabase } from '../support/databases.ts';
import { cardAction, delivery, envelope, nextId, textMessage } from '../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../support/lark-server.ts';
import { adminToken, type Stack } from '../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let server: HttpServer;

let lark: LarkServer;
/** Rows of every table, summed, in one statement. */
let countAll: SQL;

beforeAll(async () => {
  lark = await startLarkServer();
  ({ database, stack, server } = lark);
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  // send_budget holds the limits' counters (sign-in attempts per source, sends per window), not
  // data: a sign-in is counted before it is tried, and given back when it succeeds.
  const counts = tables
    .filter((t) => t.name !== 'send_budget')
    .map((t) => sql`(select count(*) from ${sql.identifier(t.name)})`);
  countAll = sql`select (${sql.join(counts, sql` + `)})::int as n`;
});

afterAll(() => lark?.close());

/** Rows in every table, summed: a refused input must leave it unchanged. */
async function rows(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, countAll);
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
  // Only inputs sent through here write (the jobs are not running), so a count taken after a
  // refusal still holds for the next input.
  const before = counted ?? (await rows());
  counted = null;
  const { status, answer } = await send();
  expect(status, answer).toBeLessThan(500);
  if (status >= 400) {
    counted = await rows();
    expect(counted).toBe(before);
  }
  return status;
}
/** The row count after the last refusal, while nothing else has written since. */
let counted: number | null = null;
beforeEach(() => {
  counted = null;
});

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
  it('every route: unstorable text in the query string, a path segment or a body field', async () => {
    const visitor = (await fetch(`${server.url}/chat`)).headers.get('set-cookie')?.split(';')[0] ?? '';
    const signIn = await fetch(`${server.url}/console/signin/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ token: adminToken }),
      redirect: 'manual',
    });
    const session = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const dashboard = await (await fetch(`${server.url}/console`, { headers: { cookie: session } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(dashboard)?.[1] ?? '';
    expect(csrf).not.toBe('');

    // Every route the app serves; signing out would end the session the others use.
    const routes = [
      ...new Map(
        stack.services.app.routes
          .filter((r) => ['GET', 'POST', 'PATCH'].includes(r.method) && !r.path.includes('*'))
          .filter((r) => r.path !== '/console/signout' && r.path !== '/webhooks/lark')
          .map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }]),
      ).values(),
    ];
    expect(routes.length).toBeGreaterThan(80);

    /** A value for a path parameter that reaches the handler (it names nothing that exists). */
    const plausible = (name: string, pattern: string | undefined) => {
      if (pattern?.includes('|')) return pattern.split('|')[0]!;
      if (name === 'ref') return 'JY-2026-9999';
      if (name === 'no' || pattern) return '999999';
      return '00000000-0000-4000-8000-000000000000';
    };
    const badBytes = fc.constantFrom(
      '%00',
      '%ED%A0%80',
      '%ed%bf%bf',
      '%C0%80',
      '%80',
      '%F4%90%80%80',
      '%E4%B8',
    );
    const cleanEncoded = fc.string({ maxLength: 12 }).map(encodeURIComponent);
    const badEncoded = fc.tuple(cleanEncoded, badBytes, cleanEncoded).map((parts) => parts.join(''));
    const badText = fc
      .tuple(text, fc.constantFrom('\u0000', '\ud800', '\udfff', '\udbff'), text)
      .map((parts) => parts.join(''));
    const names = fc.oneof(
      fc.constantFrom('q', 'status', 'kind', 'limit', 'unit', 'title', 'body', 'reply', 'comment', 'answer'),
      fc.constantFrom('question', 'nameZh', 'nameEn', 'text', 'id', 't', 'token', 'cron', 'role', 'topic'),
      fc.string({ minLength: 1, maxLength: 8 }),
    );
    const perRoute = { ...runs, numRuns: Math.max(2, Math.ceil(runs.numRuns / 30)) };

    for (const route of routes) {
      const writes = route.method !== 'GET';
      await fc.assert(
        fc.asyncProperty(
          // Bodies are read route by route, so they get more of the runs where there is one.
          writes
            ? fc.oneof(fc.constant('query' as const), fc.constant('path' as const), {
                arbitrary: fc.constant('body' as const),
                weight: 2,
              })
            : fc.constantFrom('query' as const, 'path' as const),
          badEncoded,
          badText,
          fc.array(fc.tuple(names, fc.oneof(text, fc.integer(), fc.boolean())), { maxLength: 4 }),
          fc.constantFrom('value', 'nested', 'key'),
          async (where, encoded, unstorable, others, shape) => {
            let path = route.path.replace(/:(\w+)(?:\{([^}]+)\})?/g, (_, name: string, pattern?: string) =>
              where === 'path' ? encoded : plausible(name, pattern),
            );
            if (where === 'path' && !route.path.includes(':')) path += `/${encoded}`;
            const query = where === 'query' ? `?q=x&${encoded}=1&k=${encoded}` : '';
            const headers: Record<string, string> = {
              authorization: `Bearer ${adminToken}`,
              cookie: path.startsWith('/console') ? session : visitor,
              origin: server.url,
            };
            let body: string | undefined;
            if (writes && path.startsWith('/console')) {
              headers['content-type'] = 'application/x-www-form-urlencoded';
              const fields = others.map(
                ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
              );
              body = [
                `csrf=${csrf}`,
                ...fields,
                where === 'body' ? `${shape === 'key' ? encoded : 'x'}=${encoded}` : '',
              ].join('&');
            } else if (writes) {
              headers['content-type'] = 'application/json';
              const fields: Record<string, unknown> = Object.fromEntries(others);
              if (where === 'body') {
                if (shape === 'key') fields[unstorable] = 1;
                else fields.answer = shape === 'nested' ? [{ text: unstorable }] : unstorable;
              }
              body = JSON.stringify(fields);
            }
            const status = await expectClean(async () => {
              const res = await fetch(`${server.url}${path}${query}`, {
                method: route.method,
                headers,
                ...(body === undefined ? {} : { body }),
                redirect: 'manual',
              });
              return { status: res.status, answer: `${route.method} ${route.path}: ${await res.text()}` };
            });
            // The URL is refused whatever the route, before any handler runs.
            if (where !== 'body') expect(status, `${route.method} ${path}${query}`).toBe(400);
          },
        ),
        perRoute,
      );
    }
  });
});
