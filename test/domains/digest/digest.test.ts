/**
 * The officers' daily digest and the admins' weekly summary, on an injected clock: at 08:30
 * Shanghai (00:30Z) an officer reads what is new by kind, what is overdue or due soon, open help
 * requests by age and the week's satisfaction; a day with nothing new and nothing pending sends
 * nothing; "摘要 07:45" moves it, "摘要 关闭" stops it, and staff are refused. An admin reads the
 * weekly summary on Monday at 09:00.
 */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../db/handle.ts';
import { people, scheduleRuns, schedules, submissions } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, type Stack, useStack, webPerson } from '../../support/stack.ts';

/** The unit every officer here handles and every author belongs to: a digest covers only its officer's units. */
const units = new WeakMap<Stack, string>();
async function unitOf(stack: Stack) {
  const known = units.get(stack);
  if (known) return known;
  const res = await stack.api('/org-units', {
    method: 'POST',
    json: { nameZh: '摘要林场', nameEn: 'Digest forest farm' },
  });
  const { id } = (await res.json()) as { id: string };
  units.set(stack, id);
  return id;
}

/** A person in the web chat with this role (an officer handles the unit, staff belong to it), and their id. */
async function withRole(stack: Stack, db: Db, role: 'staff' | 'officer' | 'admin') {
  const { visitor, memberNo } = await webPerson(stack);
  const unit = await unitOf(stack);
  const json =
    role === 'staff' ? { orgUnitId: unit } : role === 'officer' ? { role, officerUnitIds: [unit] } : { role };
  const res = await stack.api(`/people/${memberNo}`, { method: 'PATCH', json });
  expect(res.status).toBe(200);
  // They are told of the new role: read, so what follows is the digest alone.
  await stack.drain();
  await visitor.replies();
  const [person] = await db.select().from(people).where(eq(people.memberNo, memberNo));
  return { visitor, id: person!.id };
}

let sequence = 900;
/** An item as the flows would have stored it, at a given time and state. */
async function item(
  db: Db,
  authorId: string,
  kind: 'suggestion' | 'help_request' | 'motion',
  createdAt: string,
  fields: Partial<typeof submissions.$inferInsert> = {},
) {
  const prefix = { suggestion: 'JY', help_request: 'BF', motion: 'TA' }[kind];
  const referenceCode = `${prefix}-2026-${String(sequence++).padStart(4, '0')}`;
  await db.insert(submissions).values({
    kind,
    referenceCode,
    personId: authorId,
    originChannel: 'web',
    originChatId: 'digest-test-author',
    status: ({ suggestion: 'submitted', help_request: 'new', motion: 'registered' } as const)[kind],
    title: { suggestion: '食堂增加夜班热餐', help_request: '日常困难救助', motion: '提高高温补贴标准' }[kind],
    category: kind === 'help_request' ? 'daily' : 'other',
    details: {},
    // Routed as filing does: to the author's unit.
    orgUnitId: sql`(select org_unit_id from people where id = ${authorId})`,
    createdAt: new Date(createdAt),
    updatedAt: new Date(createdAt),
    ...fields,
  });
  return referenceCode;
}

const runsOf = async (db: Db, systemKey: string) => {
  const [schedule] = await db.select().from(schedules).where(eq(schedules.systemKey, systemKey));
  if (!schedule) return [];
  return db
    .select({ fireAt: scheduleRuns.fireAt, status: scheduleRuns.status })
    .from(scheduleRuns)
    .where(eq(scheduleRuns.scheduleId, schedule.id))
    .orderBy(scheduleRuns.fireAt);
};

describe(`daily digest (${primaryKind})`, () => {
  let clock = new Date('2026-12-01T00:00:00Z');
  const fixture = useStack({ now: () => clock });
  const at = (when: string) => {
    clock = new Date(when);
  };
  const tick = async () => {
    await fixture.stack.services.jobs.tick();
    await fixture.stack.drain();
  };

  it('lists what is new, overdue and open at 08:30 Shanghai, and sends nothing on a quiet day', async () => {
    const { db } = fixture.database;
    const officer = await withRole(fixture.stack, db, 'officer');
    const author = await withRole(fixture.stack, db, 'staff');
    at('2026-12-01T00:00:10Z');
    await tick();
    const [schedule] = await db
      .select()
      .from(schedules)
      .where(eq(schedules.systemKey, `digest:${officer.id}`));
    expect(schedule).toMatchObject({ kind: 'digest', cron: '30 8 * * *', timeZone: 'Asia/Shanghai' });
    expect(schedule!.nextFireAt).toEqual(new Date('2026-12-01T00:30:00Z'));
    // Only officers and admins have one.
    expect(
      await db
        .select()
        .from(schedules)
        .where(eq(schedules.systemKey, `digest:${author.id}`)),
    ).toEqual([]);

    // New since yesterday 08:30: two suggestions and a help request; older ones are not new.
    await item(db, author.id, 'suggestion', '2026-11-30T03:00:00Z');
    await item(db, author.id, 'suggestion', '2026-11-30T09:00:00Z');
    await item(db, author.id, 'suggestion', '2026-11-20T09:00:00Z', { status: 'in_review' });
    const soon = await item(db, author.id, 'help_request', '2026-11-30T12:00:00Z', {
      ackDueAt: new Date('2026-12-01T12:00:00Z'),
    });
    const late = await item(db, author.id, 'help_request', '2026-11-29T20:00:00Z', {
      ackDueAt: new Date('2026-11-30T20:00:00Z'),
    });
    await item(db, author.id, 'help_request', '2026-11-26T00:00:00Z', {
      status: 'acknowledged',
      ackDueAt: new Date('2026-11-27T00:00:00Z'),
    });
    const motion = await item(db, author.id, 'motion', '2026-09-01T00:00:00Z', {
      status: 'assigned',
      answerDueAt: new Date('2026-11-28T00:00:00Z'),
    });
    // Ratings: two in the last seven days, one before.
    for (const [rating, ratedAt] of [
      [1, '2026-11-28T06:00:00Z'],
      [3, '2026-11-29T06:00:00Z'],
      [1, '2026-11-10T06:00:00Z'],
    ] as const) {
      await item(db, author.id, 'suggestion', '2026-10-01T00:00:00Z', {
        status: 'closed',
        closedAt: new Date(ratedAt),
        rating,
        ratedAt: new Date(ratedAt),
      });
    }

    at('2026-12-01T00:29:50Z');
    await tick();
    expect(await officer.visitor.replies()).toEqual([]);
    at('2026-12-01T00:30:20Z');
    await tick();
    const digest = await officer.visitor.replies();
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatchObject({ title: '每日摘要 · 2026-12-01' });
    expect(digest[0]!.fields).toEqual([
      { label: '新收事项', value: '求助 1，合理化建议 2' },
      {
        label: '逾期或即将到期',
        value: [
          `${motion} 提高高温补贴标准：待答复，已逾期`,
          `${late} 日常困难救助：待受理，已逾期`,
          `${soon} 日常困难救助：待受理，2026-12-01 20:00 到期`,
        ].join('\n'),
      },
      { label: '待办求助（按时长）', value: '1 天内 1 · 1–3 天 1 · 3–7 天 1 · 7 天以上 0' },
      { label: '近 7 天满意度', value: '共 2 条：满意 1，基本满意 0，不满意 1（满意率 50%）' },
    ]);
    expect(bubbleText(digest)).toContain('摘要 07:30');
    expect(await runsOf(db, `digest:${officer.id}`)).toEqual([
      { fireAt: new Date('2026-12-01T00:30:00Z'), status: 'claimed' },
    ]);

    // Everything handled during the day: the next morning has nothing new and nothing pending,
    // so no digest comes at all (the week's ratings alone are no news).
    await db
      .update(submissions)
      .set({ status: 'closed', closedAt: clock, updatedAt: clock })
      .where(eq(submissions.kind, 'help_request'));
    await db
      .update(submissions)
      .set({ status: 'answered', updatedAt: clock })
      .where(eq(submissions.referenceCode, motion));
    at('2026-12-02T00:30:20Z');
    await tick();
    expect(await officer.visitor.replies()).toEqual([]);
    expect((await runsOf(db, `digest:${officer.id}`)).map((r) => r.status)).toEqual(['claimed', 'claimed']);
  });

  it('moves to 07:45 with "摘要 07:45", stops with "摘要 关闭", and is refused to staff', async () => {
    const { db } = fixture.database;
    // A second officer, whose digest is the one moved.
    const officer = await withRole(fixture.stack, db, 'officer');
    const author = await withRole(fixture.stack, db, 'staff');
    await tick();
    const key = `digest:${officer.id}`;

    at('2026-12-02T01:00:00Z');
    expect(bubbleText(await officer.visitor.say('摘要'))).toContain(
      '每日摘要：已开启，每天 08:30 推送，下次：2026-12-03 08:30。',
    );
    expect(bubbleText(await officer.visitor.say('摘要 07:45'))).toContain(
      '每日摘要：已开启，每天 07:45 推送，下次：2026-12-03 07:45。',
    );
    const [moved] = await db.select().from(schedules).where(eq(schedules.systemKey, key));
    expect(moved).toMatchObject({ cron: '45 7 * * *', enabled: true });
    // 07:45 in Shanghai is 23:45Z the day before.
    expect(moved!.nextFireAt).toEqual(new Date('2026-12-02T23:45:00Z'));
    expect(bubbleText(await officer.visitor.say('摘要 7:5'))).toContain('时间请写成 时:分');

    const fresh = await item(db, author.id, 'suggestion', '2026-12-02T10:00:00Z');
    at('2026-12-02T23:45:15Z');
    await tick();
    const digest = await officer.visitor.replies();
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatchObject({
      title: '每日摘要 · 2026-12-03',
      fields: [
        { label: '新收事项', value: '合理化建议 1' },
        // Context for the news, not news itself: the two ratings of the last seven days.
        { label: '近 7 天满意度', value: '共 2 条：满意 1，基本满意 0，不满意 1（满意率 50%）' },
      ],
    });
    expect(fresh).toMatch(/^JY-/);
    // Not again at the old time.
    at('2026-12-03T00:30:15Z');
    await tick();
    expect(await officer.visitor.replies()).toEqual([]);

    at('2026-12-03T01:00:00Z');
    expect(bubbleText(await officer.visitor.say('摘要 关闭'))).toContain(
      '每日摘要：已关闭，每天 07:45 推送。',
    );
    await item(db, author.id, 'suggestion', '2026-12-03T05:00:00Z');
    at('2026-12-03T23:45:15Z');
    await tick();
    expect(await officer.visitor.replies()).toEqual([]);
    const runs = await runsOf(db, key);
    expect(runs.map((r) => r.fireAt.toISOString())).not.toContain('2026-12-03T23:45:00.000Z');
    // On again: from the next 07:45, not late for the one skipped.
    at('2026-12-03T23:50:00Z');
    expect(bubbleText(await officer.visitor.say('摘要 开启'))).toContain('下次：2026-12-05 07:45');
    await tick();
    expect(await officer.visitor.replies()).toEqual([]);

    // Staff may not use it, and their words change nothing.
    const before = await db.select().from(schedules);
    expect(bubbleText(await author.visitor.say('摘要'))).toContain('“每日摘要”仅限');
    expect(bubbleText(await author.visitor.say('摘要 07:45'))).toContain('仅限');
    expect(await db.select().from(schedules)).toEqual(before);
  });
});

describe(`weekly summary (${primaryKind})`, () => {
  let clock = new Date('2026-12-06T00:00:00Z');
  const fixture = useStack({ now: () => clock });
  const at = (when: string) => {
    clock = new Date(when);
  };
  const tick = async () => {
    await fixture.stack.services.jobs.tick();
    await fixture.stack.drain();
  };

  it('reaches an admin on Monday at 09:00 Shanghai with the week’s figures, and no one else', async () => {
    const { db } = fixture.database;
    const admin = await withRole(fixture.stack, db, 'admin');
    const officer = await withRole(fixture.stack, db, 'officer');
    const author = await withRole(fixture.stack, db, 'staff');
    await tick();
    const [weekly] = await db
      .select()
      .from(schedules)
      .where(eq(schedules.systemKey, `weekly:${admin.id}`));
    // Monday 2026-12-07 09:00 Shanghai.
    expect(weekly!.nextFireAt).toEqual(new Date('2026-12-07T01:00:00Z'));
    expect(
      await db
        .select()
        .from(schedules)
        .where(eq(schedules.systemKey, `weekly:${officer.id}`)),
    ).toEqual([]);

    // This week (since Monday 2026-11-30 09:00): two suggestions, one closed and rated, and a
    // help request nobody acknowledged in time; last week's item does not count.
    await item(db, author.id, 'suggestion', '2026-12-01T02:00:00Z');
    await item(db, author.id, 'suggestion', '2026-12-02T02:00:00Z', {
      status: 'closed',
      closedAt: new Date('2026-12-04T02:00:00Z'),
      rating: 2,
      ratedAt: new Date('2026-12-05T02:00:00Z'),
    });
    await item(db, author.id, 'help_request', '2026-12-03T02:00:00Z', {
      ackDueAt: new Date('2026-12-04T02:00:00Z'),
    });
    await item(db, author.id, 'suggestion', '2026-11-29T02:00:00Z');

    at('2026-12-07T00:59:50Z');
    await tick();
    expect(bubbleText(await admin.visitor.replies())).not.toContain('每周汇总');
    at('2026-12-07T01:00:20Z');
    await tick();
    const replies = await admin.visitor.replies();
    const summary = replies.find((r) => r.title?.startsWith('每周汇总'));
    expect(summary).toMatchObject({
      title: '每周汇总 · 2026-11-30 至 2026-12-07',
      fields: [
        { label: '求助', value: '新收 1 · 办结 0' },
        { label: '合理化建议', value: '新收 2 · 办结 1' },
        { label: '逾期未办', value: '1' },
        { label: '本周满意度', value: '共 1 条：满意 0，基本满意 1，不满意 0（满意率 100%）' },
      ],
    });
    expect(replies.filter((r) => r.title?.startsWith('每周汇总'))).toHaveLength(1);
    expect(bubbleText(await officer.visitor.replies())).not.toContain('每周汇总');

    // Not on Tuesday.
    at('2026-12-08T01:00:20Z');
    await tick();
    expect(bubbleText(await admin.visitor.replies())).not.toContain('每周汇总');
    const [runs] = await db
      .select()
      .from(scheduleRuns)
      .where(and(eq(scheduleRuns.scheduleId, weekly!.id), eq(scheduleRuns.status, 'claimed')));
    expect(runs?.fireAt).toEqual(new Date('2026-12-07T01:00:00Z'));
  });
});
