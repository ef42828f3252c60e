/**
 * Every console route, tried by everyone who might: no session, an officer of another unit, an
 * officer of the thing's unit (or who started the poll), an admin, and an ADMIN_TOKEN session. Each
 * row of the table is a route as the app registers it, with the status each of them gets; a
 * refusal must change nothing and is audited. A route the table does not list fails the test, so
 * no route is added without deciding who may use it. Staff cannot sign in at all, and an officer
 * may not end an admin's poll (refused, audited, its votes kept).
 */
import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, polls, pollVotes } from '../../db/schema/index.ts';
import { createWorld, expectOneRowPerRoute, fingerprint, type World } from '../support/access-world.ts';
import { consoleClient } from '../support/console.ts';
import { primaryKind } from '../support/databases.ts';
import { bubbleText, useStack } from '../support/stack.ts';
import { peopleRows, type Row, type SignedIn } from './console-routes-people.ts';

let clock = new Date('2026-10-12T02:00:00Z');
/** A minute of its own: past ten refused sign-ins a minute, a source is told to wait (429). */
const nextMinute = () => {
  clock = new Date(clock.getTime() + 61_000);
};
const publicUrl = 'https://union.example.org';
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });
const client = consoleClient(() => fixture.stack, publicUrl);

const signedIn: SignedIn[] = ['officerOther', 'officerSame', 'admin', 'token'];

/** Every officer and admin may (officers use the console). */
const officers = (status: number) => ({
  officerOther: status,
  officerSame: status,
  admin: status,
  token: status,
});
/** Admins alone: officers are refused. */
const admins = (status: number) => ({ officerOther: 403, officerSame: 403, admin: status, token: status });
/** Only whoever handles the item's unit, or started the poll, and admins. */
const ownersAndAdmins = (status: number) => ({
  officerOther: 403,
  officerSame: status,
  admin: status,
  token: status,
});

const page = (url: string) => async () => ({ url });
const post =
  (url: string, form: Record<string, string> = {}) =>
  async () => ({ url, form });

const rows: Row[] = [
  { route: 'GET /console', make: page('/console'), expect: officers(200) },
  { route: 'POST /console/signout', make: post('/console/signout'), expect: officers(303), fresh: true },
  {
    route: 'POST /console/lang',
    make: post('/console/lang', { lang: 'zh', back: '/console' }),
    expect: officers(303),
  },
  { route: 'GET /console/items', make: page('/console/items'), expect: officers(200) },
  { route: 'GET /console/items.csv', make: page('/console/items.csv'), expect: officers(200) },
  {
    route: 'GET /console/items/:ref',
    make: async (w) => ({ url: `/console/items/${await w.suggestion()}` }),
    expect: ownersAndAdmins(200),
  },
  {
    // A help case's photo: read by those who may read the case (its unit's officers, admins), audited.
    route: 'GET /console/items/:ref/files/:id',
    make: async (w) => {
      const { ref, fileId } = await w.helpWithPhoto();
      return { url: `/console/items/${ref}/files/${fileId}` };
    },
    expect: ownersAndAdmins(200),
  },
  {
    route: 'POST /console/items/:ref/status',
    make: async (w) => ({
      url: `/console/items/${await w.suggestion()}/status`,
      form: { status: 'in_review', reply: '已转安全科研究' },
    }),
    expect: ownersAndAdmins(200),
  },
  {
    route: 'POST /console/items/:ref/message',
    make: async (w) => ({
      url: `/console/items/${await w.suggestion()}/message`,
      form: { text: '已转后勤处' },
    }),
    expect: ownersAndAdmins(303),
  },
  {
    route: 'POST /console/items/:ref/extend',
    make: async (w) => ({
      url: `/console/items/${await w.registeredMotion()}/extend`,
      form: { days: '10', reason: '需要到各站调研' },
    }),
    expect: ownersAndAdmins(200),
  },
  { route: 'GET /console/wechat', make: page('/console/wechat'), expect: admins(200) },
  { route: 'GET /console/polls', make: page('/console/polls'), expect: officers(200) },
  { route: 'GET /console/polls.csv', make: page('/console/polls.csv'), expect: officers(200) },
  { route: 'GET /console/polls/new', make: page('/console/polls/new'), expect: officers(200) },
  {
    route: 'POST /console/polls',
    make: post('/console/polls', {
      question: '班车时间是否合适？',
      kind: 'single',
      options: '合适\n不合适',
      audience: 'everyone',
      durationHours: '24',
      threshold: '5',
      commentThreshold: '5',
    }),
    expect: officers(303),
  },
  {
    route: 'GET /console/polls/series/:no',
    make: async (w) => ({ url: `/console/polls/series/${(await w.pollSeries()).no}` }),
    expect: officers(200),
  },
  {
    route: 'GET /console/polls/:no',
    make: async (w) => ({ url: `/console/polls/${(await w.adminPoll()).no}` }),
    expect: officers(200),
  },
  {
    route: 'POST /console/polls/:no/close',
    make: async (w) => ({ url: `/console/polls/${(await w.officerPoll()).no}/close`, form: {} }),
    expect: ownersAndAdmins(200),
  },
  {
    route: 'POST /console/polls/:no/cancel',
    make: async (w) => ({ url: `/console/polls/${(await w.officerPoll()).no}/cancel`, form: {} }),
    expect: ownersAndAdmins(200),
  },
  { route: 'GET /console/news', make: page('/console/news'), expect: officers(200) },
  { route: 'GET /console/news.csv', make: page('/console/news.csv'), expect: officers(200) },
  { route: 'GET /console/news/new', make: page('/console/news/new'), expect: officers(200) },
  {
    route: 'POST /console/news',
    make: post('/console/news', {
      action: 'publish',
      topic: 'news',
      title: '工会书屋新到图书',
      body: '欢迎借阅。',
      audience: 'everyone',
      publishAt: '2026-10-20T09:00',
    }),
    expect: officers(303),
  },
  {
    route: 'POST /console/news/:id/cancel',
    make: async (w) => ({ url: `/console/news/${await w.news()}/cancel`, form: {} }),
    expect: officers(303),
  },
  { route: 'GET /console/help', make: page('/console/help'), expect: officers(200) },
  { route: 'GET /console/help.csv', make: page('/console/help.csv'), expect: officers(200) },
  {
    route: 'GET /console/help/:ref',
    make: async (w) => ({ url: `/console/help/${await w.help()}` }),
    expect: ownersAndAdmins(200),
  },
  {
    route: 'POST /console/help/:ref/status',
    make: async (w) => ({
      url: `/console/help/${await w.help()}/status`,
      form: { status: 'acknowledged', reply: '已收到，正在核实。' },
    }),
    expect: ownersAndAdmins(200),
  },
  {
    route: 'POST /console/help/:ref/message',
    make: async (w) => ({
      url: `/console/help/${await w.help()}/message`,
      form: { text: '请问家里几口人？', kind: 'question' },
    }),
    expect: ownersAndAdmins(303),
  },
  { route: 'GET /console/schedules', make: page('/console/schedules'), expect: admins(200) },
  { route: 'GET /console/schedules.csv', make: page('/console/schedules.csv'), expect: admins(200) },
  {
    route: 'POST /console/schedules/:no/:action{pause|resume}',
    make: async (w) => ({ url: `/console/schedules/${(await w.schedule()).no}/pause`, form: {} }),
    expect: admins(200),
  },
  {
    route: 'POST /console/schedules/:no/cron',
    make: async (w) => ({
      url: `/console/schedules/${(await w.schedule()).no}/cron`,
      form: { cron: '0 9 * * 1', timeZone: 'Asia/Shanghai' },
    }),
    expect: admins(200),
  },
  {
    route: 'POST /console/schedules/:no/run',
    make: async (w) => ({ url: `/console/schedules/${(await w.schedule()).no}/run`, form: {} }),
    expect: admins(200),
  },
  ...peopleRows({ admins, page, post }),
  { route: 'GET /console/congress', make: page('/console/congress'), expect: admins(200) },
  {
    route: 'POST /console/congress',
    make: post('/console/congress', { nameZh: '第六届', nameEn: 'Sixth' }),
    expect: admins(200),
  },
  {
    route: 'POST /console/congress/:id',
    make: async (w) => ({ url: `/console/congress/${await w.congressSession()}`, form: { open: 'true' } }),
    expect: admins(200),
  },
  { route: 'GET /console/audit', make: page('/console/audit'), expect: admins(200) },
  { route: 'GET /console/audit.csv', make: page('/console/audit.csv'), expect: admins(200) },
];

/** Routes before the session: the same for everyone, signed in or not. */
const publicRows: { route: string; make: Row['make']; status: number }[] = [
  { route: 'GET /console/assets/chart.js', make: page('/console/assets/chart.js'), status: 200 },
  { route: 'GET /console/assets/console.js', make: page('/console/assets/console.js'), status: 200 },
  { route: 'GET /console/signin', make: page('/console/signin'), status: 200 },
  { route: 'GET /console/signin/link', make: page('/console/signin/link?t=x'), status: 200 },
  // A link nobody was given, and a wrong token: refused, nothing opened.
  {
    route: 'POST /console/signin/link',
    make: post('/console/signin/link', { t: 'not-a-link' }),
    status: 410,
  },
  {
    route: 'POST /console/signin/token',
    make: post('/console/signin/token', { token: 'wrong' }),
    status: 401,
  },
];

type Session = { cookie: string; csrf: string };
let world: World | undefined;
const sessions = new Map<SignedIn, Session>();
const w = () => {
  if (!world) throw new Error('the world is made in the first test');
  return world;
};

async function open(actor: SignedIn): Promise<Session> {
  if (actor === 'token') return client.adminSession();
  const person = { officerOther: w().officerOther, officerSame: w().officerSame, admin: w().admin }[actor];
  return client.officerSession(person.visitor);
}

async function sessionOf(actor: SignedIn, fresh = false): Promise<Session> {
  if (fresh) return open(actor);
  const known = sessions.get(actor);
  if (known) return known;
  const made = await open(actor);
  sessions.set(actor, made);
  return made;
}

async function attempt(request: { url: string; form?: Record<string, string> }, session: Session | null) {
  const cookie = session?.cookie ?? '';
  if (!request.form) return fixture.stack.request(request.url, { headers: { cookie } });
  return fixture.stack.request(
    request.url,
    client.form({ ...request.form, csrf: session?.csrf ?? '' }, cookie),
  );
}

/** A refusal of someone signed in (a redirect is their success: signed out, saved, published). */
const refusal = (status: number) => [401, 403, 404, 410].includes(status);

describe(`every console route, by everyone (${primaryKind})`, () => {
  it('sets up the cast; staff cannot sign in at all', async () => {
    world = await createWorld(fixture.stack, fixture.database.db, () => clock);
    const refused = bubbleText(await w().staff.visitor.say('后台'));
    expect(refused).toContain('仅限工会干部或管理员使用');
    expect(refused).not.toContain('/console/signin/link');
    expect(bubbleText(await w().delegate.visitor.say('后台'))).toContain('仅限工会干部或管理员使用');
    for (const actor of signedIn) expect((await sessionOf(actor)).csrf, actor).not.toBe('');
  });

  it('has a row for every route the console registers, and none for a route it does not', () => {
    expectOneRowPerRoute(
      fixture.stack,
      '/console',
      [...rows, ...publicRows].map((r) => r.route),
    );
  });

  it.each(rows)('$route', async (row) => {
    nextMinute();
    const db = fixture.database.db;
    // Signed out: a page sends to the sign-in, a form is refused; nothing changes.
    const outside = await row.make(w());
    const before = await fingerprint(db);
    const res = await attempt(outside, null);
    expect(res.status, 'no session').toBe(outside.form ? 401 : 303);
    expect(await fingerprint(db), 'no session').toBe(before);

    for (const actor of signedIn) {
      const request = await row.make(w());
      const session = await sessionOf(actor, row.fresh);
      const was = await fingerprint(db);
      const answer = await attempt(request, session);
      expect(answer.status, `${actor}: ${request.url}`).toBe(row.expect[actor]);
      if (refusal(row.expect[actor])) {
        const body = await answer.text();
        // Refusals say why in both languages.
        expect(body, actor).toMatch(/[\u4e00-\u9fff]/);
        expect(body, actor).toMatch(/ (may not|admins only|not yours|another unit)/i);
        expect(await fingerprint(db), `${actor} changed something`).toBe(was);
        // And recorded, with who tried.
        const [audited] = await db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
        expect(audited!.action, actor).toMatch(/_refused$/);
        expect(audited!.actorId, actor).toBe(actor === 'token' ? null : w()[actor].id);
      }
    }
  });

  it.each(publicRows)('$route', async (row) => {
    const db = fixture.database.db;
    for (const actor of [null, ...signedIn]) {
      const session = actor ? await sessionOf(actor) : null;
      const request = await row.make(w());
      const was = await fingerprint(db);
      const res = await attempt(request, session);
      expect(res.status, String(actor)).toBe(row.status);
      if (refusal(row.status)) expect(await fingerprint(db), String(actor)).toBe(was);
    }
  });

  it('refuses an officer who cancels or closes an admin’s poll, audits it, and keeps its votes', async () => {
    nextMinute();
    const db = fixture.database.db;
    const poll = await w().adminPoll();
    const voted = await fixture.stack.request(`/chat/polls/${poll.id}/vote`, {
      method: 'POST',
      headers: { cookie: w().staff.visitor.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ answer: 1 }),
    });
    expect(voted.status).toBe(200);
    const votes = async () => (await db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id))).length;
    expect(await votes()).toBe(1);
    const officer = await sessionOf('officerSame');
    // The page offers them no button to end it.
    const shown = await (await client.get(`/console/polls/${poll.no}`, officer.cookie)).text();
    expect(shown).not.toContain(`/console/polls/${poll.no}/cancel`);
    for (const how of ['cancel', 'close']) {
      const res = await fixture.stack.request(
        `/console/polls/${poll.no}/${how}`,
        client.form({ csrf: officer.csrf }, officer.cookie),
      );
      expect(res.status, how).toBe(403);
      const body = await res.text();
      expect(body).toContain('只有发起这项投票的干部或管理员可以结束或撤销它');
      expect(body).toContain('Only the officer who started this poll, or an admin, may close or cancel it');
      const [audited] = await db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
      expect(audited).toMatchObject({
        action: 'console.poll_refused',
        actorType: 'officer',
        actorId: w().officerSame.id,
        subjectId: poll.id,
      });
    }
    const [row] = await db.select().from(polls).where(eq(polls.id, poll.id));
    expect(row!.status).toBe('open');
    expect(await votes()).toBe(1);
  });
});
