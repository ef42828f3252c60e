/**
 * The web chat's cookie over real requests into the app. Its keys come from DATA_KEY (or
 * WEB_COOKIE_SECRET), never from the database: instances sharing a database and a key read each
 * other's cookies; a rotated key ring keeps the old cookies working until the old key is dropped,
 * and then the visitor is told plainly that a new conversation has started. Over HTTPS the cookie
 * is `__Host-` prefixed, and a plain one planted by a sibling subdomain counts for nothing.
 */
import { describe, expect, it } from 'vitest';
import { createKeyRing, generateDataKey } from '../../../src/kernel/crypto/sealed.ts';
import { openTestDatabase, primaryKind } from '../../support/databases.ts';
import { bubbleText, createStack, type Stack } from '../../support/stack.ts';

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const history = async (stack: Stack, cookie: string, headers: Record<string, string> = {}) =>
  stack.request('/chat/messages?after=0', { headers: { cookie, ...headers } });
const say = (stack: Stack, cookie: string, text: string, headers: Record<string, string> = {}) =>
  stack.request('/chat/messages', {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ id: `m-${crypto.randomUUID()}`, text }),
  });

describe(`the web chat cookie (${primaryKind})`, () => {
  it('keeps working across a key rotation, and says so plainly once the old key is dropped', async () => {
    const database = await openTestDatabase(primaryKind);
    try {
      const k1 = generateDataKey('k1');
      const k2 = generateDataKey('k2');
      const before = createStack(database, { keyRing: createKeyRing(k1) });
      const page = await before.request('/chat');
      const cookie = cookieOf(page);
      expect(cookie).toMatch(/^tx_visitor=v_[A-Za-z0-9_-]{22}\.k1\.[0-9a-f]{64}$/);
      expect((await say(before, cookie, '我的')).status).toBe(202);
      await before.drain();

      // The new key first, the old one kept: the old cookie still opens the visitor's history, and
      // the page signs it again with the new key (the same visitor), so dropping k1 strands nobody.
      const rotated = createStack(database, { keyRing: createKeyRing(`${k2},${k1}`) });
      const resigned = cookieOf(await rotated.request('/chat', { headers: { cookie } }));
      expect(resigned).toMatch(/\.k2\.[0-9a-f]{64}$/);
      expect(resigned.split('.')[0]).toBe(cookie.split('.')[0]);
      const kept = (await (await history(rotated, cookie)).json()) as { messages: { payload: unknown }[] };
      expect(bubbleText(kept.messages.map((m) => m.payload) as never)).toContain('还没有提交');
      // A new visitor is signed with the new key.
      expect(cookieOf(await rotated.request('/chat'))).toMatch(/\.k2\.[0-9a-f]{64}$/);

      // The old key dropped: the old cookie is refused, and the page starts a new chat that says why.
      const dropped = createStack(database, { keyRing: createKeyRing(k2) });
      // The cookie signed again goes on.
      expect((await history(dropped, resigned)).status).toBe(200);
      expect((await history(dropped, cookie)).status).toBe(401);
      expect((await say(dropped, cookie, '我的')).status).toBe(401);
      const restarted = await dropped.request('/chat', { headers: { cookie } });
      const fresh = cookieOf(restarted);
      expect(fresh).toMatch(/\.k2\./);
      expect(fresh).not.toBe(cookie);
      await dropped.drain();
      const told = (await (await history(dropped, fresh)).json()) as { messages: { payload: unknown }[] };
      const text = bubbleText(told.messages.map((m) => m.payload) as never);
      expect(text).toContain('之前的会话已无法继续');
      expect(text).toContain('a new conversation has started');
      // A browser with no cookie, a forged one (a held key, a wrong signature) or a malformed one is
      // simply new: no such notice, nothing written for it.
      const forged = `${cookie.slice(0, cookie.lastIndexOf('.k1.'))}.k2.${'0'.repeat(64)}`;
      for (const sent of ['', forged, 'tx_visitor=nonsense']) {
        const newcomer = cookieOf(await dropped.request('/chat', { headers: { cookie: sent } }));
        await dropped.drain();
        const shown = (await (await history(dropped, newcomer)).json()) as { messages: unknown[] };
        expect(shown.messages).toEqual([]);
      }
    } finally {
      await database.close();
    }
  });

  it('is __Host- where the site is HTTPS, and a plain cookie planted beside it is not a visitor', async () => {
    const database = await openTestDatabase(primaryKind);
    try {
      // The site's address says HTTPS (behind a TLS proxy, whatever headers the proxy sends).
      const stack = createStack(database, { env: { PUBLIC_URL: 'https://union.example.com' } });
      const page = await stack.request('/chat');
      const header = page.headers.get('set-cookie') ?? '';
      expect(header).toMatch(/^__Host-tx_visitor=v_/);
      expect(header).toContain('Path=/;');
      expect(header).toContain('Secure');
      expect(header).toContain('HttpOnly');
      expect(header).not.toMatch(/Domain=/i);
      const cookie = cookieOf(page);
      expect((await say(stack, cookie, '菜单')).status).toBe(202);
      // A valid plain cookie (as a sibling subdomain could set one) does not count on an HTTPS site.
      const plainSite = createStack(database);
      const plain = cookieOf(await plainSite.request('/chat'));
      expect(plain).toMatch(/^tx_visitor=/);
      expect((await history(plainSite, plain)).status).toBe(200);
      expect((await history(stack, plain)).status).toBe(401);
    } finally {
      await database.close();
    }
  });

  it('is signed with WEB_COOKIE_SECRET when the operator sets one', async () => {
    const database = await openTestDatabase(primaryKind);
    try {
      const env = { WEB_COOKIE_SECRET: 'a-web-cookie-secret-of-32-characters-or-more' };
      const a = createStack(database, { env });
      const cookie = cookieOf(await a.request('/chat'));
      expect(cookie).toMatch(/\.env\.[0-9a-f]{64}$/);
      // Another instance with the same secret (and another data key) reads it.
      const b = createStack(database, { env, keyRing: createKeyRing(generateDataKey()) });
      expect((await history(b, cookie)).status).toBe(200);
      expect((await history(createStack(database), cookie)).status).toBe(401);
    } finally {
      await database.close();
    }
  });
});
