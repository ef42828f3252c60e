/**
 * Congress sessions and motions in the console, over real requests into the app: sessions are
 * created, opened, renamed and closed by admins only (bad names refused with 400), and a registered
 * motion gets more time for its answer, audited as the officer's, seen through the API and told to
 * its author.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { submissions } from '../../db/schema/index.ts';
import { createUnit as unit, type Visitor } from '../support/console.ts';
import { bubbleText, useStack } from '../support/stack.ts';
import { consoleDriver, person, publicUrl } from './console-helpers.ts';

let clock = new Date('2026-10-01T02:00:00Z');
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });
const days = (n: number) => {
  clock = new Date(clock.getTime() + n * 86_400_000);
};

const { form, get, adminSession, officerSession, latestAudit } = consoleDriver(fixture);

async function fileMotion(author: Visitor, title: string, invite: number[]) {
  await author.say('提案');
  await author.say(title);
  await author.say('职工通勤班车线路多年未调整，新建小区的职工上下班很不方便。');
  await author.say('调查职工住址分布，增设新区站点，并在冬季提前十分钟发车。');
  await author.say('行政后勤部');
  await author.say(invite.join(' '));
  const code = /TA-\d{4}-\d{4}/.exec(bubbleText(await author.say('提交')))?.[0] ?? '';
  expect(code).toMatch(/^TA-/);
  return code;
}

describe('congress sessions and motions in the console', () => {
  it('creates, opens and renames a congress session, and refuses bad names with 400', async () => {
    const admin = await adminSession();
    const page = await get('/console/congress', admin.cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('职代会届次');
    expect(html).toContain('href="/console/congress"');

    const created = await fixture.stack.request(
      '/console/congress',
      form(
        { csrf: admin.csrf, nameZh: '第十届四次职代会', nameEn: '10th Congress, 4th Session', open: 'on' },
        admin.cookie,
      ),
    );
    expect(created.status).toBe(200);
    expect(await created.text()).toContain('届次已建立');
    const listed = (await (await fixture.stack.api('/congress-sessions')).json()) as {
      items: { id: string; nameZh: string; open: boolean }[];
    };
    const session = listed.items.find((s) => s.nameZh === '第十届四次职代会')!;
    expect(session.open).toBe(true);
    expect((await latestAudit()).action).toBe('congress_session.save');

    // A one-character name is refused by the API's own schema; nothing is written.
    const bad = await fixture.stack.request(
      '/console/congress',
      form({ csrf: admin.csrf, nameZh: '短', nameEn: 'x' }, admin.cookie),
    );
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('请检查');
    expect(badHtml).toContain('value="短"');
    const after = (await (await fixture.stack.api('/congress-sessions')).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(listed.items.length);

    const renamed = await fixture.stack.request(
      `/console/congress/${session.id}`,
      form(
        { csrf: admin.csrf, nameZh: '第十届第四次职代会', nameEn: '10th Congress, Session 4' },
        admin.cookie,
      ),
    );
    expect(renamed.status).toBe(200);
    expect(await renamed.text()).toContain('第十届第四次职代会');
    const closed = await fixture.stack.request(
      `/console/congress/${session.id}`,
      form({ csrf: admin.csrf, open: 'false' }, admin.cookie),
    );
    expect(closed.status).toBe(200);
    const now = (await (await fixture.stack.api('/congress-sessions')).json()) as {
      items: { id: string; nameZh: string; open: boolean }[];
    };
    expect(now.items.find((s) => s.id === session.id)).toMatchObject({
      nameZh: '第十届第四次职代会',
      open: false,
    });
    expect(
      (
        await fixture.stack.request(
          `/console/congress/${session.id}`,
          form({ csrf: admin.csrf, nameZh: '', nameEn: '' }, admin.cookie),
        )
      ).status,
    ).toBe(400);
  });

  it('is for admins only', async () => {
    const stack = fixture.stack;
    const officer = await person(stack, { role: 'officer', officerUnitIds: [await unit(stack, '一号林场')] });
    const session = await officerSession(officer.visitor);
    expect((await get('/console/congress', session.cookie)).status).toBe(403);
    expect(
      (
        await stack.request(
          '/console/congress',
          form({ csrf: session.csrf, nameZh: '第十一届一次职代会', nameEn: '11th Congress' }, session.cookie),
        )
      ).status,
    ).toBe(403);
    expect(await (await get('/console', session.cookie)).text()).not.toContain('href="/console/congress"');
  });

  it('gives a registered motion more time for its answer, audited as the officer’s', async () => {
    const stack = fixture.stack;
    const forestry = await unit(stack, '二号林场');
    const author = await person(stack, { role: 'delegate', orgUnitId: forestry });
    const b = await person(stack, { role: 'delegate' });
    const c = await person(stack, { role: 'delegate' });
    const officer = await person(stack, { role: 'officer', officerUnitIds: [forestry] });
    const code = await fileMotion(author.visitor, '职工食堂延长晚餐时间', [b.memberNo, c.memberNo]);
    const session = await officerSession(officer.visitor);

    // In co-signing there is no answer deadline yet: no form, and a post is refused.
    const early = await get(`/console/items/${code}`, session.cookie);
    expect(early.status).toBe(200);
    expect(await early.text()).not.toContain(`/console/items/${code}/extend`);
    const tooEarly = await stack.request(
      `/console/items/${code}/extend`,
      form({ csrf: session.csrf, days: '30', reason: '需要调研' }, session.cookie),
    );
    expect(tooEarly.status).toBe(409);
    expect(await tooEarly.text()).toContain('只有已立案、尚未答复的提案可以延期');

    await b.visitor.say(`附议 ${code} 同意`);
    await c.visitor.say(`附议 ${code} 同意`);
    const registered = await stack.request(
      `/console/items/${code}/status`,
      form({ csrf: session.csrf, status: 'registered' }, session.cookie),
    );
    expect(registered.status).toBe(200);
    const before = (await (await stack.api(`/submissions/${code}`)).json()) as { answerDueAt: string };
    expect(Date.parse(before.answerDueAt) - clock.getTime()).toBe(90 * 86_400_000);
    const detail = await (await get(`/console/items/${code}`, session.cookie)).text();
    expect(detail).toContain(`action="/console/items/${code}/extend"`);
    expect(detail).toContain('延长天数');

    // Bad input: 400, nothing written.
    for (const fields of [
      { days: '0', reason: '需要调研' },
      { days: '400', reason: '需要调研' },
      { days: 'abc', reason: '需要调研' },
      { days: '30', reason: '' },
      { days: '30', reason: '长'.repeat(501) },
    ]) {
      const res = await stack.request(
        `/console/items/${code}/extend`,
        form({ csrf: session.csrf, ...fields }, session.cookie),
      );
      expect(res.status, JSON.stringify(fields).slice(0, 40)).toBe(400);
      expect(await res.text()).toContain('没有修改');
    }
    const unchanged = (await (await stack.api(`/submissions/${code}`)).json()) as { answerDueAt: string };
    expect(unchanged.answerDueAt).toBe(before.answerDueAt);

    const extended = await stack.request(
      `/console/items/${code}/extend`,
      form({ csrf: session.csrf, days: '30', reason: '需与餐饮公司重新签订合同' }, session.cookie),
    );
    expect(extended.status).toBe(200);
    expect(await extended.text()).toContain('答复期限已延长');
    const after = (await (await stack.api(`/submissions/${code}`)).json()) as { answerDueAt: string };
    expect(Date.parse(after.answerDueAt) - Date.parse(before.answerDueAt)).toBe(30 * 86_400_000);
    const entry = await latestAudit();
    expect(entry).toMatchObject({ action: 'motion.extend', actorType: 'officer', subjectId: code });
    await stack.drain();
    const told = bubbleText(await author.visitor.replies());
    expect(told).toContain('提案答复期限已延长');
    expect(told).toContain('需与餐饮公司重新签订合同');

    // Another unit's officer cannot.
    const outsider = await person(stack, {
      role: 'officer',
      officerUnitIds: [await unit(stack, '三号林场')],
    });
    const theirs = await officerSession(outsider.visitor);
    const refused = await stack.request(
      `/console/items/${code}/extend`,
      form({ csrf: theirs.csrf, days: '10', reason: '再等等' }, theirs.cookie),
    );
    expect(refused.status).toBe(403);
    const [row] = await fixture.database.db
      .select({ answerDueAt: submissions.answerDueAt })
      .from(submissions)
      .where(eq(submissions.referenceCode, code));
    expect(row?.answerDueAt?.toISOString()).toBe(after.answerDueAt);
    days(1);
  });
});
