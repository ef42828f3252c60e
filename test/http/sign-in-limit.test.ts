/**
 * Guessing ADMIN_TOKEN or sign-in links (#18): every refused attempt on /api, /metrics and the
 * console's sign-in is counted against its source in the database and audited as one row per
 * source and minute with a count; past 10 a minute the source is answered 429 with Retry-After
 * and a message in both languages, even with the right token, until the minute ends. Instances
 * sharing the database share the count, and a crowd of sources cannot grow the audit log either.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import { auditLog } from '../../db/schema/index.ts';
import { clientSource, sourceKey } from '../../src/http/client-address.ts';
import { createFailedSignIns } from '../../src/http/failed-sign-ins.ts';
import { type HttpServer, startHttpServer } from '../support/browser.ts';
import { primaryKind } from '../support/databases.ts';
import { adminToken, createStack, type Stack, useStack, webPerson } from '../support/stack.ts';

let clock = new Date('2026-12-01T02:00:10Z');
const later = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};
const publicUrl = 'https://union.example.org';
const fixture = useStack({ now: () => clock, env: { TRUST_PROXY: '1', PUBLIC_URL: publicUrl } });

const bearer = (token: string, from: string, path = '/api/news') =>
  fixture.stack.request(path, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': from } });

const rowsFor = (source: string) =>
  fixture.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'auth.refused'), eq(auditLog.subjectId, source)));

const auditCount = async () =>
  (await queryRows<{ n: number }>(fixture.database.db, sql`select count(*)::int as n from audit_log`))[0]!.n;

async function expectTooMany(res: Response, seconds: number) {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(String(seconds));
  const body = await res.text();
  expect(body).toContain(`${seconds} 秒后再试`);
  expect(body).toContain(`try again in ${seconds} seconds`);
}

describe(`guessing ADMIN_TOKEN over the API (${primaryKind})`, () => {
  it('counts wrong tokens per source, refuses the 11th with 429 even when right, and one row a minute', async () => {
    const attacker = '203.0.113.7';
    for (let i = 0; i < 10; i++) expect((await bearer(`wrong-token-${i}`, attacker)).status).toBe(401);
    // The limit is reached: wrong or right, the source waits out its minute (50 s left).
    await expectTooMany(await bearer('wrong-token-x', attacker), 50);
    await expectTooMany(await bearer(adminToken, attacker), 50);
    await expectTooMany(await bearer('wrong-token-y', attacker, '/metrics'), 50);
    // Someone else is not held up.
    expect((await bearer(adminToken, '198.51.100.20')).status).toBe(200);

    const [row, ...more] = await rowsFor(attacker);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      actorType: 'system',
      subjectType: 'source',
      detail: { count: 13, api: 12, metrics: 1, limited: 3 },
    });

    // A flood adds no rows: the same row counts it.
    const before = await auditCount();
    for (let i = 0; i < 100; i++) expect((await bearer(`flood-${i}`, attacker)).status).toBe(429);
    expect(await auditCount()).toBe(before);
    expect((await rowsFor(attacker))[0]!.detail).toMatchObject({ count: 113, limited: 103 });

    // The next minute the source may try again, and a new minute starts a new row.
    later(50);
    expect((await bearer(adminToken, attacker)).status).toBe(200);
    expect((await bearer('wrong-again', attacker)).status).toBe(401);
    expect(await rowsFor(attacker)).toHaveLength(2);
  });

  it('does not count a request without a token, and keeps an IPv6 subscriber’s /64 as one source', async () => {
    const before = await auditCount();
    expect((await fixture.stack.request('/api/news')).status).toBe(401);
    expect(
      (await fixture.stack.request('/api/news', { headers: { authorization: 'Basic eDp5' } })).status,
    ).toBe(401);
    expect(await auditCount()).toBe(before);

    // Changing the interface id does not make a new source.
    for (let i = 1; i <= 10; i++)
      expect((await bearer('wrong', `2001:db8:aa:bb::${i.toString(16)}`)).status).toBe(401);
    await expectTooMany(
      await bearer(adminToken, '2001:db8:aa:bb:ffff::1'),
      60 - (clock.getUTCSeconds() % 60),
    );
    expect((await bearer(adminToken, '2001:db8:aa:bc::1')).status).toBe(200);
    expect(await rowsFor('2001:db8:aa:bb::/64')).toHaveLength(1);
  });

  it('refuses sign-ins to the console past the limit, without using up a sign-in link', async () => {
    later(60);
    const form = (path: string, fields: Record<string, string>, from: string) =>
      fixture.stack.request(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: publicUrl,
          'x-forwarded-for': from,
        },
        body: new URLSearchParams(fields).toString(),
      });
    const attacker = '192.0.2.99';
    for (let i = 0; i < 6; i++)
      expect((await form('/console/signin/token', { token: `guess-${i}` }, attacker)).status).toBe(401);
    for (let i = 0; i < 4; i++)
      expect((await form('/console/signin/link', { t: `made-up-${i}` }, attacker)).status).toBe(410);
    const seconds = 60 - (clock.getUTCSeconds() % 60);
    await expectTooMany(await form('/console/signin/token', { token: adminToken }, attacker), seconds);

    // An officer's real link, pressed from the limited source, is refused and not used up.
    const { visitor, memberNo } = await webPerson(fixture.stack);
    await fixture.stack.api(`/people/${memberNo}`, { method: 'PATCH', json: { role: 'officer' } });
    const replies = (await visitor.say('后台')) as { link?: { url: string } }[];
    const token = new URL(replies.find((r) => r.link)!.link!.url).searchParams.get('t')!;
    const limited = await form('/console/signin/link', { t: token }, attacker);
    await expectTooMany(limited, seconds);
    expect(limited.headers.get('content-type')).toContain('text/html');
    const signedIn = await form('/console/signin/link', { t: token }, '198.51.100.21');
    expect(signedIn.status).toBe(303);

    const [row, ...more] = await rowsFor(attacker);
    expect(more).toEqual([]);
    expect(row!.detail).toEqual({
      count: 12,
      console_token: 7,
      link_unknown: 4,
      console_link: 1,
      limited: 2,
    });
  });

  it('keeps a crowd of sources to 100 rows a minute, the rest counted in one shared row', async () => {
    later(60);
    const before = await auditCount();
    for (let i = 0; i < 130; i++)
      expect((await bearer('wrong', `10.9.${i >> 8}.${i & 0xff}`)).status).toBe(401);
    expect(await auditCount()).toBe(before + 101);
    expect((await rowsFor('*'))[0]!.detail).toEqual({ count: 30, api: 30, limited: 0 });
  });
});

describe(`instances sharing one database share the limit (${primaryKind})`, () => {
  it('counts wrong tokens sent to two servers as one', async () => {
    later(60);
    const other: Stack = createStack(fixture.database, { now: () => clock, env: { TRUST_PROXY: '1' } });
    const attacker = '203.0.113.50';
    for (let i = 0; i < 5; i++) {
      expect((await bearer(`a-${i}`, attacker)).status).toBe(401);
      const res = await other.request('/api/news', {
        headers: { authorization: `Bearer b-${i}`, 'x-forwarded-for': attacker },
      });
      expect(res.status).toBe(401);
    }
    const res = await other.request('/api/news', {
      headers: { authorization: `Bearer ${adminToken}`, 'x-forwarded-for': attacker },
    });
    expect(res.status).toBe(429);
    expect(await rowsFor(attacker)).toHaveLength(1);
  });
});

describe(`a burst of guesses at once (${primaryKind})`, () => {
  it('tries no more than ten of them in a minute, however many arrive together', async () => {
    later(60);
    const burst = '203.0.113.99';
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => bearer(`wrong-burst-${i}`, burst)),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    // Refused together, counted in one row (two rows for one source would deadlock later updates).
    const rows = await rowsFor(burst);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.detail).toEqual({ count: 30, api: 30, limited: 20 });
  });
});

describe('the failure count itself', () => {
  it('counts attempts before they are tried, says how long to wait past the limit, and gives back successes', async () => {
    later(60);
    const failures = createFailedSignIns(fixture.database.db, () => clock, {
      perMinute: 2,
      sourcesPerMinute: 5,
    });
    expect(await failures.take('x')).toBe(0);
    expect(await failures.take('x')).toBe(0);
    const seconds = 60 - (clock.getUTCSeconds() % 60);
    expect(await failures.take('x')).toBe(seconds);
    // A success gives its count back: the next one is tried.
    await failures.release('x');
    await failures.release('x');
    expect(await failures.take('x')).toBe(0);
    expect(await failures.take('x')).toBe(seconds);
  });
});

describe('where a request comes from', () => {
  it('reads the address the nearest trusted proxies saw, never what the client wrote before it', () => {
    const request = (xff?: string) =>
      ({ req: { header: (name: string) => (name === 'x-forwarded-for' ? xff : undefined) } }) as never;
    const socket = () => '10.0.0.5';
    expect(clientSource(socket, 0)(request('198.51.100.1'))).toBe('10.0.0.5');
    expect(clientSource(socket, 1)(request('1.1.1.1, 198.51.100.1'))).toBe('198.51.100.1');
    expect(clientSource(socket, 2)(request('1.1.1.1, 198.51.100.1, 10.0.0.9'))).toBe('198.51.100.1');
    // Not through the proxies: the peer stands.
    expect(clientSource(socket, 1)(request())).toBe('10.0.0.5');
    expect(clientSource(socket, 2)(request('198.51.100.1'))).toBe('10.0.0.5');
    expect(clientSource(() => undefined, 0)(request())).toBe('unknown');
  });

  it('counts an address as its IPv4 form or its IPv6 /64', () => {
    expect(sourceKey('203.0.113.9')).toBe('203.0.113.9');
    expect(sourceKey('203.0.113.9:4431')).toBe('203.0.113.9');
    expect(sourceKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceKey('2001:DB8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('[2001:db8:0:1::2]:443')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('999.1.1.1')).toBe('unknown');
    expect(sourceKey('not an address')).toBe('unknown');
    expect(sourceKey(undefined)).toBe('unknown');
  });
});

describe(`over a real socket (${primaryKind})`, () => {
  let server: HttpServer;
  let stack: Stack;
  beforeAll(async () => {
    stack = createStack(fixture.database, { now: () => clock });
    server = await startHttpServer(stack.services);
  });
  afterAll(() => server?.close());

  it('counts the peer’s address, and ignores X-Forwarded-For unless told to trust it', async () => {
    later(60);
    const res = await fetch(`${server.url}/api/news`, {
      headers: { authorization: 'Bearer wrong-over-socket', 'x-forwarded-for': '198.51.100.77' },
    });
    expect(res.status).toBe(401);
    expect(await rowsFor('127.0.0.1')).not.toEqual([]);
    expect(await rowsFor('198.51.100.77')).toEqual([]);
  });
});
