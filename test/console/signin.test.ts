/**
 * The console over real requests into the app: a one-time link from the bot (10 minutes, one
 * use, only for officers), ADMIN_TOKEN, the session cookie and CSRF, the items of one's own units
 * only, a status change that reaches the proposer, the CSV, sign-out — and every refusal audited.
 */
import { desc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index.ts';
import { adminToken, bubbleText, type Stack, useStack, webPerson } from '../support/stack.ts';

let clock = new Date('2026-09-01T02:00:00Z');
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
const publicUrl = 'https://union.example.org';
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });
const origin = { origin: publicUrl };

/** A person in the web chat with this role (and units they belong to and handle). */
async function withRole(stack: Stack, role: 'staff' | 'officer' | 'admin', unitId?: string) {
  const { visitor, memberNo } = await webPerson(stack);
  const json = {
    ...(role !== 'staff' ? { role } : {}),
    ...(unitId ? { orgUnitId: unitId, ...(role === 'officer' ? { officerUnitIds: [unitId] } : {}) } : {}),
  };
  if (Object.keys(json).length > 0) {
    const res = await stack.api(`/people/${memberNo}`, { method: 'PATCH', json });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  return visitor;
}

async function unit(stack: Stack, nameZh: string) {
  const res = await stack.api('/org-units', { method: 'POST', json: { nameZh, nameEn: nameZh } });
  return ((await res.json()) as { id: string }).id;
}

/** Asks the bot for a link; resolves to its token. */
async function linkFor(visitor: Awaited<ReturnType<typeof withRole>>) {
  const replies = (await visitor.say('后台')) as { link?: { url: string } }[];
  const url = replies.find((r) => r.link)?.link?.url ?? '';
  expect(url.startsWith(`${publicUrl}/console/signin/link?t=`)).toBe(true);
  return new URL(url).searchParams.get('t')!;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...origin },
  body: new URLSearchParams(fields).toString(),
});

async function signIn(token: string) {
  const res = await fixture.stack.request('/console/signin/link', form({ t: token }));
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { res, cookie };
}

const lastAudit = async () =>
  (await fixture.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;

describe('signing in to the console', () => {
  it('takes a link from the bot once, within 10 minutes, and only for officers', async () => {
    const stack = fixture.stack;
    const officer = await withRole(stack, 'officer');
    const token = await linkFor(officer);
    // Opening the link shows a button; the link is used only by pressing it.
    const confirm = await stack.request(`/console/signin/link?t=${token}`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('确认登录');
    const { res, cookie } = await signIn(token);
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect(res.headers.get('set-cookie')).toMatch(/Secure/i);
    const dashboard = await stack.request('/console', { headers: { cookie } });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('概览');

    const again = await signIn(token);
    expect(again.res.status).toBe(410);
    expect(await again.res.text()).toContain('已经用过');
    // Refused sign-ins are audited as one row per source and minute, counted by kind.
    expect(await lastAudit()).toMatchObject({
      action: 'auth.refused',
      subjectType: 'source',
      detail: { count: 1, link_used: 1, limited: 0 },
    });

    const stale = await linkFor(officer);
    later(11);
    const expired = await signIn(stale);
    expect(expired.res.status).toBe(410);
    expect(await expired.res.text()).toContain('已过期');
    expect((await signIn('made-up-token')).res.status).toBe(410);

    // Staff are told the console is not for them; no link is made.
    const staff = await withRole(stack, 'staff');
    expect(bubbleText(await staff.say('后台'))).not.toContain('/console/signin');
  });

  it('signs the first admin in with ADMIN_TOKEN, and refuses a wrong one', async () => {
    const wrong = await fixture.stack.request('/console/signin/token', form({ token: 'nope' }));
    expect(wrong.status).toBe(401);
    expect((await lastAudit()).detail).toMatchObject({ console_token: 1, limited: 0 });
    const right = await fixture.stack.request('/console/signin/token', form({ token: adminToken }));
    expect(right.status).toBe(303);
    const cookie = (right.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await fixture.stack.request('/console/items', { headers: { cookie } })).status).toBe(200);
    // Without a session the console sends people to sign in.
    const none = await fixture.stack.request('/console/items');
    expect(none.status).toBe(303);
    expect(none.headers.get('location')).toBe('/console/signin');
  });
});

describe('working in the console', () => {
  it('moves an item with a reply the proposer receives, refuses forged forms and other units’ items', async () => {
    const stack = fixture.stack;
    const forestry = await unit(stack, '太平林场工会');
    const mill = await unit(stack, '木材加工厂工会');
    const officer = await withRole(stack, 'officer', forestry);
    const proposer = await withRole(stack, 'staff', forestry);
    const outsider = await withRole(stack, 'staff', mill);
    const file = async (who: typeof proposer, title: string) => {
      await who.say('建议');
      await who.say(title);
      await who.say('1');
      await who.say('把旧锅炉换成节能锅炉，每年可省燃煤。');
      await who.say('跳过');
      const done = bubbleText(await who.say('1'));
      const confirmed = bubbleText(await who.press('提交'));
      return /JY-\d{4}-\d{4}/.exec(`${done}\n${confirmed}`)?.[0] ?? '';
    };
    const ours = await file(proposer, '锅炉节能改造');
    const theirs = await file(outsider, '车间照明改造');
    expect(ours).toMatch(/^JY-/);
    expect(theirs).toMatch(/^JY-/);
    await proposer.replies();

    const { cookie } = await signIn(await linkFor(officer));
    const list = await (await stack.request('/console/items', { headers: { cookie } })).text();
    expect(list).toContain(ours);
    expect(list).not.toContain(theirs);

    const detail = await stack.request(`/console/items/${ours}`, { headers: { cookie } });
    const page = await detail.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(csrf.length).toBeGreaterThan(20);

    const forged = await stack.request(`/console/items/${ours}/status`, {
      ...form({ csrf: 'forged', status: 'in_review', reply: '' }),
      headers: { ...form({}).headers, cookie },
    });
    expect(forged.status).toBe(403);
    expect((await lastAudit()).action).toBe('console.csrf_refused');
    const crossSite = await stack.request(`/console/items/${ours}/status`, {
      ...form({ csrf, status: 'in_review', reply: '' }),
      headers: { ...form({}).headers, cookie, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);

    const moved = await stack.request(`/console/items/${ours}/status`, {
      ...form({ csrf, status: 'in_review', reply: '已转交设备科评估。' }),
      headers: { ...form({}).headers, cookie },
    });
    expect(moved.status).toBe(200);
    expect(await moved.text()).toContain('已更新');
    await stack.drain();
    expect(bubbleText(await proposer.replies())).toContain('已转交设备科评估');

    const other = await stack.request(`/console/items/${theirs}`, { headers: { cookie } });
    expect(other.status).toBe(403);
    expect((await lastAudit()).action).toBe('console.item_refused');

    const csv = await stack.request('/console/items.csv?kind=suggestion', { headers: { cookie } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const content = new TextDecoder().decode(bytes);
    expect(content).toContain(ours);
    expect(content).toContain('锅炉节能改造');
    expect(content).not.toContain(theirs);

    const out = await stack.request('/console/signout', {
      ...form({ csrf }),
      headers: { ...form({}).headers, cookie },
    });
    expect(out.status).toBe(303);
    expect((await stack.request('/console', { headers: { cookie } })).status).toBe(303);
  });
});
