/**
 * The console's session cookie (#4): over https it is `__Host-tx_console` (Secure, Path=/, no
 * Domain), so a cookie planted by a sibling subdomain (which can only set one without the prefix)
 * is never read as a session; over plain http, where browsers refuse such a cookie, it stays
 * `tx_console` on /console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleClient } from '../support/console.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/databases.ts';
import { createStack, type Stack } from '../support/stack.ts';

let database: TestDatabase;
let https: Stack;
let http: Stack;

beforeAll(async () => {
  database = await openTestDatabase(primaryKind);
  https = createStack(database, { env: { PUBLIC_URL: 'https://union.example.org' } });
  http = createStack(database, { env: { PUBLIC_URL: 'http://127.0.0.1:8787' } });
});
afterAll(() => database?.close());

const attributes = (setCookie: string) =>
  setCookie
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());

describe(`the console session cookie (${primaryKind})`, () => {
  it('is __Host- prefixed over https, and a cookie without the prefix is not a session', async () => {
    const client = consoleClient(() => https, 'https://union.example.org');
    const signIn = await https.request(
      '/console/signin/token',
      client.form({ token: 'test-admin-token-0123456789' }),
    );
    expect(signIn.status).toBe(303);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-tx_console=/);
    expect(attributes(setCookie)).toEqual(
      expect.arrayContaining(['path=/', 'secure', 'httponly', 'samesite=strict']),
    );
    expect(setCookie.toLowerCase()).not.toContain('domain=');
    const value = setCookie.split(';')[0]!.split('=').slice(1).join('=');
    expect(
      (await https.request('/console', { headers: { cookie: `__Host-tx_console=${value}` } })).status,
    ).toBe(200);

    // What a sibling subdomain could plant (Domain=.example.org, no prefix) is ignored.
    const planted = await https.request('/console', { headers: { cookie: `tx_console=${value}` } });
    expect(planted.status).toBe(303);
    expect(planted.headers.get('location')).toBe('/console/signin');

    const admin = await client.adminSession();
    const out = await https.request('/console/signout', client.form({ csrf: admin.csrf }, admin.cookie));
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-tx_console=;.*Path=\/.*Secure/i);
  });

  it('keeps its name and path over plain http', async () => {
    const client = consoleClient(() => http, 'http://127.0.0.1:8787');
    const signIn = await http.request(
      '/console/signin/token',
      client.form({ token: 'test-admin-token-0123456789' }),
    );
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^tx_console=/);
    expect(attributes(setCookie)).toContain('path=/console');
    expect(attributes(setCookie)).not.toContain('secure');
  });
});
