/**
 * Text PostgreSQL cannot hold (NUL, lone surrogates, percent-encoded bytes that are not UTF-8) in a
 * query string, a path segment, a JSON field or a form field is refused with 400 in both languages
 * and writes nothing, on every route the security review found answering 500 (#26); chat message
 * text alone is kept, made storable.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import { pollVotes, webChatMessages } from '../../db/schema/index.ts';
import { consoleClient } from '../support/console.ts';
import { primaryKind } from '../support/databases.ts';
import { useStack, verifiedVisitor, webVisitor } from '../support/stack.ts';

const publicUrl = 'https://union.example.org';
const fixture = useStack({ env: { PUBLIC_URL: publicUrl } });
const client = consoleClient(() => fixture.stack, publicUrl);

/** Every row of every table, summed: a refusal must leave it as it was. */
async function rows(): Promise<number> {
  const tables = await queryRows<{ name: string }>(
    fixture.database.db,
    sql`select tablename as name from pg_tables where schemaname = 'public'`,
  );
  const counts = sql.join(
    tables.map((t) => sql`(select count(*) from ${sql.identifier(t.name)})`),
    sql` + `,
  );
  const [row] = await queryRows<{ n: number }>(fixture.database.db, sql`select (${counts})::int as n`);
  return row!.n;
}

async function expectRefused(res: Response, field: string) {
  expect(res.status, await res.clone().text()).toBe(400);
  const { error } = (await res.json()) as {
    error: { code: string; message_zh: string; message_en: string; details: { field: string }[] };
  };
  expect(error.code).toBe('validation_failed');
  expect(error.message_zh).toContain('无法保存的字符');
  expect(error.message_en).toContain('cannot be stored');
  expect(error.details.map((d) => d.field)).toContain(field);
}

/** NUL, a UTF-8-encoded lone surrogate, an overlong NUL, a stray continuation byte. */
const badInUrl = ['%00', 'a%00b', '%ED%A0%80', '%ed%bf%bf', '%C0%80', '%80', '%F4%90%80%80'];

describe(`unstorable text is refused with 400 (${primaryKind})`, () => {
  it('in the query strings that answered 500, for the API and the console', async () => {
    const admin = await client.adminSession();
    for (const bad of badInUrl) {
      for (const path of ['/submissions', '/people', '/submissions.csv']) {
        const before = await rows();
        await expectRefused(await fixture.stack.api(`${path}?q=${bad}`), 'q');
        expect(await rows()).toBe(before);
      }
      for (const path of ['/console/items', '/console/people', '/console/items.csv']) {
        const before = await rows();
        await expectRefused(await client.get(`${path}?q=${bad}`, admin.cookie), 'q');
        expect(await rows()).toBe(before);
      }
    }
    // Other characters, and a % that encodes nothing, are still searched for.
    expect((await fixture.stack.api('/submissions?q=%25%E4%B8%AD%')).status).toBe(200);
    expect((await client.get('/console/items?q=100%', admin.cookie)).status).toBe(200);
  });

  it('in path segments and in a query key, on any route', async () => {
    await expectRefused(await fixture.stack.api('/submissions/JY-2026-%00'), 'path');
    await expectRefused(await fixture.stack.request('/news/%ED%A0%80'), 'path');
    await expectRefused(await fixture.stack.request('/chat/messages?after=0&x%00=1'), 'query');
    await expectRefused(await fixture.stack.request('/healthz?%ED%A0%80'), 'query');
  });

  it('in JSON fields: a staff member’s poll comment and an officer’s news item', async () => {
    const { visitor } = await verifiedVisitor(fixture.stack);
    const created = await fixture.stack.api('/polls', {
      method: 'POST',
      json: {
        question: '食堂意见',
        kind: 'rating',
        allowComment: true,
        audience: { kind: 'everyone' },
        durationMinutes: 60,
      },
    });
    expect(created.status).toBe(201);
    const poll = (await created.json()) as { id: string };
    while ((await fixture.stack.services.jobs.polls()) > 0) {}
    const vote = (body: string) =>
      fixture.stack.request(`/chat/polls/${poll.id}/vote`, {
        method: 'POST',
        headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
        body,
      });
    for (const body of [
      '{"answer":4,"comment":"x\\u0000y"}',
      '{"answer":4,"comment":"x\\ud800y"}',
      '{"answer":4,"comment":"\\udfff"}',
    ]) {
      const before = await rows();
      await expectRefused(await vote(body), 'comment');
      expect(await rows()).toBe(before);
    }
    expect(await fixture.database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id))).toEqual(
      [],
    );
    expect((await vote('{"answer":4,"comment":"好"}')).status).toBe(200);

    const before = await rows();
    const news = await fixture.stack.api('/news', {
      method: 'POST',
      body: '{"title":"通知","body":"正文\\u0000","topic":"news"}',
      headers: { 'content-type': 'application/json' },
    });
    await expectRefused(news, 'body');
    const keyed = await fixture.stack.api('/org-units', {
      method: 'POST',
      body: '{"nameZh":"林场","nameEn":"Farm","\\ud800":1}',
      headers: { 'content-type': 'application/json' },
    });
    await expectRefused(keyed, 'body');
    expect(await rows()).toBe(before);
  });

  it('in console form fields, before the form is read or any refusal audited', async () => {
    const admin = await client.adminSession();
    const before = await rows();
    for (const body of [
      `csrf=${admin.csrf}&nameZh=%E6%9E%97%00&nameEn=Farm`,
      `csrf=${admin.csrf}&nameZh=%ED%A0%80&nameEn=Farm`,
      // A forged form too: refused for its bytes, so not even the CSRF refusal is written.
      'csrf=wrong&nameZh=%00',
    ]) {
      const res = await fixture.stack.request('/console/people/units', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: publicUrl,
          cookie: admin.cookie,
        },
        body,
      });
      await expectRefused(res, 'nameZh');
    }
    const multipart = new FormData();
    multipart.set('csrf', admin.csrf);
    multipart.set('nameZh', 'a\u0000b');
    const res = await fixture.stack.request('/console/people/units', {
      method: 'POST',
      headers: { origin: publicUrl, cookie: admin.cookie },
      body: multipart,
    });
    await expectRefused(res, 'nameZh');
    expect(await rows()).toBe(before);
  });

  it('except chat message text, which is kept with the characters made storable', async () => {
    const visitor = await webVisitor(fixture.stack);
    const before = await fixture.database.db.select().from(webChatMessages);
    const sent = await visitor.post({ id: 'nul-message-0001', text: '你好\u0000世界\ud800' });
    expect(sent.status).toBe(202);
    expect(await fixture.database.db.select().from(webChatMessages)).toHaveLength(before.length + 1);
  });
});
