/**
 * A new web chat cookie is a new person, so the per-person limit alone would not stop a flood that
 * changes cookies: messages are counted per client address too (WEB_PER_ADDRESS_PER_MINUTE), and
 * past that the address is answered 429 in both languages with nothing stored, whatever cookie it
 * shows; other addresses go on, and the next minute it may send again.
 */
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inbox } from '../../../db/schema/index.ts';
import { useStack } from '../../support/stack.ts';

let clock = new Date('2026-11-02T02:00:00Z');
const fixture = useStack({
  now: () => clock,
  env: { TRUST_PROXY: '1', WEB_PER_ADDRESS_PER_MINUTE: '5', INBOUND_PER_MINUTE: '30' },
});

async function freshCookie(address: string) {
  const page = await fixture.stack.request('/chat', { headers: { 'x-forwarded-for': address } });
  return (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

const send = (cookie: string, address: string) =>
  fixture.stack.request('/chat/messages', {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ id: `m-${crypto.randomUUID()}`, text: '菜单' }),
  });

const stored = async () => (await fixture.database.db.select({ n: count() }).from(inbox))[0]!.n;

describe('the limit per client address on web chat messages', () => {
  it('refuses a flood that changes cookies, from that address only, until the minute ends', async () => {
    const flooder = '203.0.113.7';
    for (let i = 0; i < 5; i++) expect((await send(await freshCookie(flooder), flooder)).status).toBe(202);
    const before = await stored();
    const refused = await send(await freshCookie(flooder), flooder);
    expect(refused.status).toBe(429);
    const { error } = (await refused.json()) as { error: { message_zh: string; message_en: string } };
    expect(error.message_zh).toContain('请稍等一分钟');
    expect(error.message_en).toContain('wait a minute');
    expect(await stored()).toBe(before);
    // Someone else is not held back.
    expect((await send(await freshCookie('198.51.100.20'), '198.51.100.20')).status).toBe(202);
    clock = new Date(clock.getTime() + 61_000);
    expect((await send(await freshCookie(flooder), flooder)).status).toBe(202);
  });
});
