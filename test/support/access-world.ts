/**
 * The cast and the things the access tests act on, over one stack: a unit 北区 with 北区一站
 * below it, and 南区; staff and a delegate of 北区一站, an officer handling 北区 (so, from above,
 * the unit of every item filed here), an officer handling 南区, and an admin, each a person in the
 * web chat. Makers give a fresh thing per attempt (an item, a poll, news, a schedule, a congress
 * session, a person), so an allowed attempt never spoils the next; `fingerprint` reads everything
 * a refused attempt must leave as it was.
 */

import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Db, queryRows } from '../../db/handle.ts';
import { people, submissions } from '../../db/schema/index.ts';
import { createHelpRequest } from '../../src/domains/help/store.ts';
import { storeUpload } from '../../src/domains/items/files.ts';
import { createSuggestion } from '../../src/domains/items/store.ts';
import { createMotion } from '../../src/domains/motions/store.ts';
import { holdRoster } from '../../src/domains/people/roster-import.ts';
import { pollBody, startPoll } from '../../src/domains/polls/admin.ts';
import { pngPhoto } from './files.ts';
import { type Stack, webPerson } from './stack.ts';

export type Visitor = Awaited<ReturnType<typeof webPerson>>['visitor'];
export interface Member {
  visitor: Visitor;
  memberNo: number;
  id: string;
}

const timeZone = 'Asia/Shanghai';
const day = 86_400_000;

async function unit(stack: Stack, nameZh: string, parentId: string | null = null): Promise<string> {
  const res = await stack.api('/org-units', { method: 'POST', json: { nameZh, nameEn: nameZh, parentId } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function member(stack: Stack, db: Db, change: Record<string, unknown>): Promise<Member> {
  const { visitor, memberNo } = await webPerson(stack);
  const res = await stack.api(`/people/${memberNo}`, { method: 'PATCH', json: change });
  expect(res.status, await res.clone().text()).toBe(200);
  const [row] = await db.select({ id: people.id }).from(people).where(eq(people.memberNo, memberNo));
  return { visitor, memberNo, id: row!.id };
}

/** Everything a refused request must not change (not the audit log: refusals are recorded). */
export async function fingerprint(db: Db): Promise<string> {
  const parts = await Promise.all(
    [
      sql`select id, status, org_unit_id, answer_due_at, rating, closed_at from submissions order by id`,
      sql`select count(*)::int as n, coalesce(max(id), 0)::int as last from submission_events`,
      sql`select id, status, closed_at from polls order by id`,
      sql`select count(*)::int as n from poll_votes`,
      sql`select id, name, cron, time_zone, enabled, next_fire_at from schedules order by id`,
      sql`select count(*)::int as n from schedule_runs`,
      sql`select id, role, org_unit_id from people order by id`,
      sql`select person_id, org_unit_id from officer_units order by person_id, org_unit_id`,
      sql`select id, parent_id, name_zh, name_en from org_units order by id`,
      sql`select id, status, publish_at from news_items order by id`,
      sql`select id, name_zh, name_en, open from congress_sessions order by id`,
      sql`select count(*)::int as n from console_sessions where ended_at is null`,
    ].map((query) => queryRows(db, query)),
  );
  return JSON.stringify(parts);
}

export async function createWorld(stack: Stack, db: Db, now: () => Date) {
  const north = await unit(stack, '北区');
  const station = await unit(stack, '北区一站', north);
  const south = await unit(stack, '南区');
  const staff = await member(stack, db, { orgUnitId: station });
  const delegate = await member(stack, db, { role: 'delegate', orgUnitId: station });
  const officerSame = await member(stack, db, { role: 'officer', officerUnitIds: [north] });
  const officerOther = await member(stack, db, { role: 'officer', officerUnitIds: [south] });
  const admin = await member(stack, db, { role: 'admin' });
  const filing = (personId: string) => ({
    personId,
    channel: 'web' as const,
    chatId: `access-${personId}`,
    now: now(),
    timeZone,
    keyRing: stack.keyRing,
  });
  const api = async (path: string, init: RequestInit & { json?: unknown }, status: number) => {
    const res = await stack.api(path, init);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(status);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const openPolls = async () => {
    while ((await stack.services.jobs.polls()) > 0) {}
  };
  const pollJson = {
    question: '食堂菜品是否满意？',
    kind: 'single',
    options: ['满意', '不满意'],
    audience: { kind: 'everyone' },
  };

  const world = {
    units: { north, station, south },
    staff,
    delegate,
    officerSame,
    officerOther,
    admin,
    /** A suggestion by the staff member of 北区一站, still submitted (or anonymous). */
    async suggestion(authorId = staff.id, anonymous = false): Promise<string> {
      const draft = {
        title: '食堂增加夜班热餐',
        category: 'other' as const,
        description: '夜班职工下班时食堂已关门，建议增加夜班热餐。',
        benefit: '',
        anonymous,
      };
      return (await createSuggestion(db, draft, filing(authorId))).referenceCode;
    },
    /** A help request by the staff member with a photo on it: its reference and the photo's id. */
    async helpWithPhoto(): Promise<{ ref: string; fileId: string }> {
      const kept = await storeUpload(db, stack.keyRing, {
        personId: staff.id,
        name: '病历.png',
        bytes: pngPhoto(),
        maxBytes: 10 * 1_048_576,
        key: `access:${crypto.randomUUID()}`,
      });
      if (!kept.ok) throw new Error(kept.why);
      const made = await createHelpRequest(
        db,
        {
          kind: 'daily' as const,
          situation: '家中老人住院，医药费一时凑不齐。',
          urgency: 'urgent' as const,
          contact: { way: 'chat' as const },
          files: [kept.id],
        },
        { ...filing(staff.id), ackHours: { normal: 24, urgent: 4 } },
      );
      return { ref: made.referenceCode, fileId: kept.id };
    },
    /** A help request by the staff member, new. */
    async help(authorId = staff.id): Promise<string> {
      const draft = {
        kind: 'daily' as const,
        situation: '家中老人住院，医药费一时凑不齐。',
        urgency: 'urgent' as const,
        contact: { way: 'chat' as const },
      };
      const made = await createHelpRequest(db, draft, {
        ...filing(authorId),
        ackHours: { normal: 24, urgent: 4 },
      });
      return made.referenceCode;
    },
    /** A motion by the delegate, registered and waiting for its answer (so it can get more time). */
    async registeredMotion(): Promise<string> {
      const draft = {
        title: '提高高温补贴标准',
        reasons: '夏季高温作业时间长，现行补贴标准偏低。',
        measures: '建议按省里最新标准调整高温补贴。',
        department: '人事科',
        cosigners: [staff.memberNo],
      };
      const made = await createMotion(db, draft, {
        ...filing(delegate.id),
        cosigners: 2,
        cosignDays: 7,
        answerDays: 90,
      });
      // Co-signing is not what is tested here: set it as registered, as the co-signers would have.
      await db
        .update(submissions)
        .set({ status: 'registered', answerDueAt: new Date(now().getTime() + 90 * day) })
        .where(eq(submissions.referenceCode, made.referenceCode));
      return made.referenceCode;
    },
    /** An open poll started by the officer of 北区 (its number and id). */
    async officerPoll(): Promise<{ no: number; id: string }> {
      const started = await startPoll(db, pollBody.parse({ ...pollJson, durationMinutes: 24 * 60 }), {
        now: now(),
        timeZone,
        actor: { type: 'officer', id: officerSame.id },
      });
      if (!started.ok || !started.poll) throw new Error('the officer’s poll was refused');
      await openPolls();
      return { no: started.poll.no, id: started.poll.id };
    },
    /** An open poll started with the token (an admin's). */
    async adminPoll(): Promise<{ no: number; id: string }> {
      const poll = await api(
        '/polls',
        { method: 'POST', json: { ...pollJson, durationMinutes: 24 * 60 } },
        201,
      );
      await openPolls();
      return { no: poll.no as number, id: poll.id as string };
    },
    /** A closed poll (results readable). */
    async closedPoll(): Promise<{ no: number; id: string }> {
      const poll = await world.adminPoll();
      await api(`/polls/${poll.id}/close`, { method: 'POST' }, 200);
      return poll;
    },
    /** A weekly poll's schedule (its number and id). */
    async pollSeries(): Promise<{ no: number; id: string }> {
      const made = await api(
        '/polls',
        {
          method: 'POST',
          json: { ...pollJson, durationMinutes: 60, repeat: { cron: '0 16 * * 5' } },
        },
        201,
      );
      const schedule = made.schedule as { no: number; id: string };
      return { no: schedule.no, id: schedule.id };
    },
    /** A news item due tomorrow (so it can still be cancelled). */
    async news(): Promise<string> {
      const made = await api(
        '/news',
        {
          method: 'POST',
          json: {
            topic: 'news',
            title: '职工运动会报名开始',
            body: '本周五前报名。',
            audience: { kind: 'everyone' },
            publishAt: new Date(now().getTime() + day).toISOString(),
          },
        },
        201,
      );
      return made.id as string;
    },
    /** A message schedule (its number and id). */
    async schedule(): Promise<{ no: number; id: string }> {
      const made = await api(
        '/schedules',
        {
          method: 'POST',
          json: {
            name: '安全例会提醒',
            cron: '30 8 * * 1',
            kind: 'message',
            payload: { channel: 'web', chatId: 'access-nobody', text: '周一安全例会' },
          },
        },
        201,
      );
      return { no: made.no as number, id: made.id as string };
    },
    async congressSession(): Promise<string> {
      const made = await api(
        '/congress-sessions',
        { method: 'POST', json: { nameZh: '第五届', nameEn: 'Fifth' } },
        201,
      );
      return made.id as string;
    },
    /** A person no one has met in chat yet: their member number. */
    async person(): Promise<number> {
      const [row] = await db
        .insert(people)
        .values({ displayName: '新职工' })
        .returning({ no: people.memberNo });
      return row!.no;
    },
    /** Someone the roster lists (a 工号), who has bound no account yet. */
    async rosterEntry(): Promise<number> {
      const [row] = await db
        .insert(people)
        .values({ displayName: '花名册职工', nameSource: 'roster', employeeNo: `W${++rosterNo}` })
        .returning({ no: people.memberNo });
      return row!.no;
    },
    /** A roster file uploaded and held for its preview: its id. */
    async heldRoster(): Promise<string> {
      const csv = new TextEncoder().encode(`姓名,工号,单位\n新会员,R${++rosterNo},南区工会\n`);
      const held = await holdRoster(
        db,
        stack.keyRing,
        { name: 'roster.csv', bytes: csv },
        {
          actor: { actorType: 'admin_token', actorId: null },
          now: new Date(),
          today: '2026-12-01',
        },
      );
      if (!held.ok) throw new Error(held.reason.zh);
      return held.id;
    },
  };
  return world;
}

let rosterNo = 0;

export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * Checks a table of routes against the routes the app registers under `prefix`: one row for each,
 * none twice, and none for a route that does not exist.
 */
export function expectOneRowPerRoute(stack: Stack, prefix: string, listed: readonly string[]): void {
  const registered = new Set(
    stack.services.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith(prefix))
      .map((r) => `${r.method} ${r.path}`),
  );
  expect(new Set(listed).size).toBe(listed.length);
  expect(
    [...registered].filter((r) => !listed.includes(r)),
    'routes without a row',
  ).toEqual([]);
  expect(
    listed.filter((r) => !registered.has(r)),
    'rows without a route',
  ).toEqual([]);
}
