/**
 * Which unit an item belongs to (security review #15). An item whose author had no unit is the
 * admins' alone: no officer lists, opens or moves it, and its new-item notice goes to the admins
 * only. When the author is given a unit — from the console, the officer API or the chat's 单位 —
 * their items nobody has taken up move with them (on the timeline and in the audit log, the new
 * unit's officers told); items in hand stay, and anonymous suggestions never move.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, people, submissionEvents, submissions } from '../../db/schema/index.ts';
import { createWorld, type World } from '../support/access-world.ts';
import { consoleClient } from '../support/console.ts';
import { primaryKind } from '../support/databases.ts';
import { bubbleText, useStack, webPerson } from '../support/stack.ts';

const clock = new Date('2026-10-12T02:00:00Z');
const publicUrl = 'https://union.example.org';
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });
const client = consoleClient(() => fixture.stack, publicUrl);

let world: World | undefined;
const w = () => {
  if (!world) throw new Error('the world is made in the first test');
  return world;
};
const db = () => fixture.database.db;

/** A person with no unit yet, and their id. */
async function newcomer() {
  const { visitor, memberNo } = await webPerson(fixture.stack);
  const [row] = await db().select({ id: people.id }).from(people).where(eq(people.memberNo, memberNo));
  return { visitor, memberNo, id: row!.id };
}

const unitOf = async (ref: string) =>
  (
    await db()
      .select({ unit: submissions.orgUnitId })
      .from(submissions)
      .where(eq(submissions.referenceCode, ref))
  )[0]?.unit;

/** What a newcomer has filed before they have a unit: two untaken, one in hand, one anonymous. */
async function filedWithoutUnit(authorId: string) {
  const untaken = await w().suggestion(authorId);
  const help = await w().help(authorId);
  const inHand = await w().suggestion(authorId);
  const moved = await fixture.stack.api(`/submissions/${inHand}/status`, {
    method: 'POST',
    json: { status: 'in_review', reply: '已在研究' },
  });
  expect(moved.status).toBe(200);
  const anonymous = await w().suggestion(authorId, true);
  for (const ref of [untaken, help, inHand, anonymous]) expect(await unitOf(ref), ref).toBeNull();
  await fixture.stack.drain();
  return { untaken, help, inHand, anonymous };
}

/** The items moved to the unit, with a timeline entry and an audit row each; the others stayed. */
async function expectMoved(filed: Awaited<ReturnType<typeof filedWithoutUnit>>, unit: string) {
  expect(await unitOf(filed.untaken)).toBe(unit);
  expect(await unitOf(filed.help)).toBe(unit);
  expect(await unitOf(filed.inHand)).toBeNull();
  expect(await unitOf(filed.anonymous)).toBeNull();
  for (const ref of [filed.untaken, filed.help]) {
    const [item] = await db().select().from(submissions).where(eq(submissions.referenceCode, ref));
    const events = await db()
      .select()
      .from(submissionEvents)
      .where(and(eq(submissionEvents.submissionId, item!.id), eq(submissionEvents.type, 'unit_moved')));
    expect(events, ref).toHaveLength(1);
    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'submission.unit_moved'), eq(auditLog.subjectId, ref)));
    expect(
      audited.map((a) => a.detail),
      ref,
    ).toEqual([{ from: null, to: unit, reason: 'author_unit_changed' }]);
  }
  for (const ref of [filed.inHand, filed.anonymous]) {
    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'submission.unit_moved'), eq(auditLog.subjectId, ref)));
    expect(audited, ref).toEqual([]);
  }
}

describe(`an item belongs to its author's unit, or to the admins alone (${primaryKind})`, () => {
  it('keeps an item of no unit from every officer, in the console, the chat and the notices', async () => {
    world = await createWorld(fixture.stack, fixture.database.db, () => clock);
    for (const who of [w().officerSame, w().officerOther, w().admin]) await who.visitor.replies();
    const author = await newcomer();
    const help = await w().help(author.id);
    const suggestion = await w().suggestion(author.id);
    await fixture.stack.drain();

    // Told to the admin only.
    expect(bubbleText(await w().admin.visitor.replies())).toContain(`新的求助：${help}`);
    for (const officer of [w().officerSame, w().officerOther])
      expect(bubbleText(await officer.visitor.replies())).not.toContain(help);

    const admin = await client.officerSession(w().admin.visitor);
    for (const officer of [w().officerSame, w().officerOther]) {
      const session = await client.officerSession(officer.visitor);
      const opened = await client.get(`/console/help/${help}`, session.cookie);
      expect(opened.status).toBe(403);
      expect(await opened.text()).not.toContain('医药费');
      expect((await client.get(`/console/items/${suggestion}`, session.cookie)).status).toBe(403);
      expect(await (await client.get('/console/help?show=all', session.cookie)).text()).not.toContain(help);
      expect(await (await client.get('/console/items', session.cookie)).text()).not.toContain(suggestion);
      expect(await (await client.get('/console/items.csv', session.cookie)).text()).not.toContain(suggestion);
      const moved = await fixture.stack.request(
        `/console/help/${help}/status`,
        client.form({ csrf: session.csrf, status: 'acknowledged', reply: '已收到' }, session.cookie),
      );
      expect(moved.status).toBe(403);
      expect(bubbleText(await officer.visitor.say(`查看 ${help}`))).toContain('不属于您负责的单位');
      expect(bubbleText(await officer.visitor.say(`办理 ${suggestion} 审核中`))).toContain(
        '不属于您负责的单位',
      );
    }
    const refused = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'help_request.read_refused'), eq(auditLog.subjectId, help)));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    const [row] = await db().select().from(submissions).where(eq(submissions.referenceCode, help));
    expect(row!.status).toBe('new');

    // The admins' own: listed, opened, moved on.
    expect(await (await client.get('/console/help?show=all', admin.cookie)).text()).toContain(help);
    const opened = await client.get(`/console/help/${help}`, admin.cookie);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('医药费一时凑不齐');
  });

  it('moves untaken items with their author when an admin sets the unit in the console', async () => {
    const author = await newcomer();
    const filed = await filedWithoutUnit(author.id);
    await w().officerSame.visitor.replies();
    const admin = await client.officerSession(w().admin.visitor);
    const saved = await fixture.stack.request(
      `/console/people/${author.memberNo}`,
      client.form({ csrf: admin.csrf, role: 'staff', unit: w().units.station }, admin.cookie),
    );
    expect(saved.status).toBe(303);
    await expectMoved(filed, w().units.station);
    // The new unit's officer (from 北区, above it) is told, and now opens it.
    await fixture.stack.drain();
    const told = bubbleText(await w().officerSame.visitor.replies());
    expect(told).toContain(filed.untaken);
    expect(told).toContain(filed.help);
    expect(told).not.toContain(filed.anonymous);
    const officer = await client.officerSession(w().officerSame.visitor);
    const page = await client.get(`/console/items/${filed.untaken}`, officer.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('提出人的单位已变更');
    expect((await client.get(`/console/help/${filed.help}`, officer.cookie)).status).toBe(200);
    // The one in hand stayed with the admins.
    expect((await client.get(`/console/items/${filed.inHand}`, officer.cookie)).status).toBe(403);
  });

  it('moves them when the officer API sets the unit, and again when it changes', async () => {
    const author = await newcomer();
    const filed = await filedWithoutUnit(author.id);
    const res = await fixture.stack.api(`/people/${author.memberNo}`, {
      method: 'PATCH',
      json: { orgUnitId: w().units.south },
    });
    expect(res.status).toBe(200);
    await expectMoved(filed, w().units.south);
    // Taken up in 南区: it stays there when its author moves on; the untaken help request goes with them.
    const taken = await fixture.stack.api(`/submissions/${filed.untaken}/status`, {
      method: 'POST',
      json: { status: 'in_review', reply: '南区已受理' },
    });
    expect(taken.status).toBe(200);
    await fixture.stack.api(`/people/${author.memberNo}`, {
      method: 'PATCH',
      json: { orgUnitId: w().units.station },
    });
    expect(await unitOf(filed.untaken)).toBe(w().units.south);
    expect(await unitOf(filed.help)).toBe(w().units.station);
    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'submission.unit_moved'), eq(auditLog.subjectId, filed.help)));
    expect(audited.map((a) => a.detail)).toEqual([
      { from: null, to: w().units.south, reason: 'author_unit_changed' },
      { from: w().units.south, to: w().units.station, reason: 'author_unit_changed' },
    ]);
  });

  it('moves them when an admin types 单位 in chat', async () => {
    const author = await newcomer();
    const filed = await filedWithoutUnit(author.id);
    expect(bubbleText(await w().admin.visitor.say(`单位 ${author.memberNo} 北区一站`))).toContain('已更新');
    await expectMoved(filed, w().units.station);
  });
});
