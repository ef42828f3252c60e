/**
 * The console's 投票 and 动态 sections over real requests into the app: a poll started from the
 * form opens, takes votes and shows its figures only once closed and only at k; bad input and
 * forged forms change nothing; a news item is previewed with its Markdown rendered and raw HTML
 * escaped, published, and queued by the broadcast; a past publish time is refused.
 */
import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, newsItems, polls } from '../../db/schema/index.ts';
import { adminToken, useStack, verifiedVisitor, type webVisitor } from '../support/stack.ts';

let clock = new Date('2026-09-01T02:00:00Z');
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
const publicUrl = 'https://union.example.org';
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });

type Visitor = Awaited<ReturnType<typeof webVisitor>>;

const session = { cookie: '', csrf: '' };
async function signIn() {
  if (session.cookie) return session;
  const res = await fixture.stack.request('/console/signin/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: publicUrl },
    body: new URLSearchParams({ token: adminToken }).toString(),
  });
  expect(res.status).toBe(303);
  session.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const page = await get('/console/polls/new');
  session.csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  expect(session.csrf).not.toBe('');
  return session;
}

async function get(path: string) {
  const res = await fixture.stack.request(path, { headers: { cookie: session.cookie } });
  return { status: res.status, text: await res.text() };
}

async function post(path: string, fields: [string, string][] | Record<string, string>, csrf = session.csrf) {
  const body = new URLSearchParams(fields);
  if (!body.has('csrf')) body.set('csrf', csrf);
  const res = await fixture.stack.request(path, {
    method: 'POST',
    headers: {
      cookie: session.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      origin: publicUrl,
    },
    body: body.toString(),
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

const run = async () => {
  while ((await fixture.stack.services.jobs.polls()) > 0) {}
  await fixture.stack.drain();
};

async function vote(visitor: Visitor, pollId: string, answer: number) {
  const res = await fixture.stack.request(`/chat/polls/${pollId}/vote`, {
    method: 'POST',
    headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ answer }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const pollByNo = async (no: number) =>
  (await fixture.database.db.select().from(polls).where(eq(polls.no, no)))[0]!;
const pollCount = async () => (await fixture.database.db.select().from(polls)).length;
const lastAudit = async () =>
  (await fixture.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;

const pollForm = (fields: Record<string, string>) => ({
  question: '食堂满意度',
  kind: 'single',
  options: '满意\n一般\n不满意',
  audience: 'everyone',
  durationHours: '1',
  threshold: '3',
  commentThreshold: '10',
  ...fields,
});

describe('polls in the console', () => {
  const people: Visitor[] = [];

  it('starts a poll from the form, shows nothing while open, and its figures once closed', async () => {
    await signIn();
    // Verified members (placed in a unit by an admin): a poll to everyone asks them.
    for (let i = 0; i < 4; i++) people.push((await verifiedVisitor(fixture.stack)).visitor);
    const created = await post('/console/polls', pollForm({}));
    expect(created.status, created.text).toBe(303);
    const no = Number(/\/console\/polls\/(\d+)$/.exec(created.location ?? '')?.[1]);
    expect((await lastAudit()).action).toBe('poll.create');
    await run();
    const poll = await pollByNo(no);
    expect(poll.status).toBe('open');
    for (const [i, person] of people.entries()) await vote(person, poll.id, [1, 1, 2, 1][i]!);

    const open = await get(`/console/polls/${no}`);
    expect(open.text).toContain('投票进行中');
    expect(open.text).not.toContain('data-figures');

    later(61);
    await run();
    const closed = await get(`/console/polls/${no}`);
    expect(closed.status).toBe(200);
    const figures =
      /<table class="sr" data-figures="poll-\d+">([\s\S]*?)<\/table>/.exec(closed.text)?.[1] ?? '';
    expect(figures.replace(/\s+/g, '')).toContain('<th scope="row">满意</th><td>3</td>'.replace(/\s+/g, ''));
    expect(figures).toContain('<th scope="row">一般</th><td>1</td>');
    expect(figures).toContain('<th scope="row">不满意</th><td>0</td>');
    expect(closed.text).toContain('n = 4');
  });

  it('shows only "too few" below k, never the count', async () => {
    const created = await post(
      '/console/polls',
      pollForm({ question: '人数不够', threshold: '5', kind: 'rating', options: '' }),
    );
    expect(created.status, created.text).toBe(303);
    const no = Number(/(\d+)$/.exec(created.location ?? '')?.[1]);
    await run();
    const poll = await pollByNo(no);
    for (const person of people.slice(0, 3)) await vote(person, poll.id, 4);
    later(61);
    await run();
    const shown = await get(`/console/polls/${no}`);
    expect(shown.text).toContain('作答人数不足 5 人');
    expect(shown.text).not.toContain('data-figures');
    expect(shown.text).not.toMatch(/n = \d/);
    expect(shown.text).not.toContain('平均分');
  });

  it('refuses bad input with a message and forged forms, creating nothing', async () => {
    const before = await pollCount();
    const oneOption = await post('/console/polls', pollForm({ options: '只有一个' }));
    expect(oneOption.status).toBe(400);
    expect(oneOption.text).toContain('单选投票需要 2–10 个选项');
    expect(oneOption.text).toContain('只有一个'); // the form keeps what was typed
    const lowK = await post('/console/polls', pollForm({ threshold: '2' }));
    expect(lowK.status).toBe(400);
    expect(lowK.text).toContain('公布门槛');
    const past = await post('/console/polls', pollForm({ opensAt: '2020-01-01T09:00' }));
    expect(past.status).toBe(400);
    expect(past.text).toContain('开始时间已经过去');
    const forged = await post('/console/polls', pollForm({}), 'not-the-token');
    expect(forged.status).toBe(403);
    expect(await pollCount()).toBe(before);
  });

  it('cancels a poll with an audited button, and starts a weekly poll with a trend page', async () => {
    const created = await post(
      '/console/polls',
      pollForm({ question: '要撤销的', opensAt: '2026-12-01T09:00' }),
    );
    expect(created.status, created.text).toBe(303);
    const no = Number(/(\d+)$/.exec(created.location ?? '')?.[1]);
    const cancelled = await post(`/console/polls/${no}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toContain('投票已撤销');
    expect(await lastAudit()).toMatchObject({ action: 'poll.cancel', actorType: 'admin_token' });
    expect((await pollByNo(no)).status).toBe('cancelled');
    expect((await post(`/console/polls/${no}/close`, {})).status).toBe(409);

    const weekly = await post(
      '/console/polls',
      pollForm({
        question: '本周心情',
        kind: 'enps',
        options: '',
        repeat: 'on',
        repeatDay: '5',
        repeatTime: '16:00',
      }),
    );
    expect(weekly.status, weekly.text).toBe(303);
    expect(weekly.location).toMatch(/^\/console\/polls\/series\/\d+$/);
    expect((await lastAudit()).action).toBe('poll.schedule');
    const trend = await get(weekly.location!);
    expect(trend.status).toBe(200);
    expect(trend.text).toContain('0 16 * * 5');

    // Two Fridays (16:00 Shanghai is 08:00 UTC): two answers the first week, four the second.
    for (const week of [0, 1]) {
      clock = new Date(Date.UTC(2026, 8, 4 + 7 * week, 8, 0, 30));
      await fixture.stack.services.jobs.tick();
      await run();
      const [open] = await fixture.database.db.select().from(polls).where(eq(polls.status, 'open'));
      for (const person of people.slice(0, week === 0 ? 2 : 4)) await vote(person, open!.id, 10);
      later(61);
      await run();
    }
    session.cookie = ''; // a week later the session has expired
    await signIn();
    const figures = (await get(weekly.location!)).text;
    const score = /data-figures="trend-score-\d+">([\s\S]*?)<\/table>/.exec(figures)?.[1] ?? '';
    expect(score).toContain('<th scope="row">2026-09-04</th><td>—</td>');
    expect(score).toContain('<th scope="row">2026-09-11</th><td>100</td>');
    const answers = /data-figures="trend-answers-\d+">([\s\S]*?)<\/table>/.exec(figures)?.[1] ?? '';
    expect(answers).toContain('<th scope="row">2026-09-04</th><td>—</td>');
    expect(answers).toContain('<th scope="row">2026-09-11</th><td>4</td>');
  });
});

describe('news in the console', () => {
  it('previews rendered Markdown with HTML escaped, publishes, and the broadcast queues it', async () => {
    session.cookie = '';
    await signIn();
    const fields = {
      topic: 'notice',
      title: '职工体检通知',
      body: '请**按时**参加体检。\n\n<script>alert(1)</script>',
      audience: 'everyone',
    };
    const preview = await post('/console/news', { ...fields, action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('<strong>按时</strong>');
    expect(preview.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(preview.text).not.toContain('<script>alert');
    expect(await fixture.database.db.select().from(newsItems)).toHaveLength(0);

    const published = await post('/console/news', { ...fields, action: 'publish' });
    expect(published.status, published.text).toBe(303);
    expect((await lastAudit()).action).toBe('news.publish');
    expect(await fixture.stack.services.jobs.broadcast()).toBeGreaterThan(0);
    const list = await get('/console/news');
    expect(list.text).toContain('职工体检通知');
    expect(list.text).toMatch(/data-progress>[1-9]\d* \/ 0 \/ 0/);
  });

  it('refuses a publish time in the past, creating nothing, and cancels a scheduled item', async () => {
    const before = (await fixture.database.db.select().from(newsItems)).length;
    const fields = { topic: 'news', title: '旧闻', body: '正文', audience: 'everyone', action: 'publish' };
    const past = await post('/console/news', { ...fields, publishAt: '2020-01-01T09:00' });
    expect(past.status).toBe(400);
    expect(past.text).toContain('发布时间已经过去');
    expect(await fixture.database.db.select().from(newsItems)).toHaveLength(before);

    const scheduled = await post('/console/news', {
      ...fields,
      title: '下周活动',
      publishAt: '2026-12-01T09:00',
    });
    expect(scheduled.status, scheduled.text).toBe(303);
    const [item] = await fixture.database.db.select().from(newsItems).where(eq(newsItems.title, '下周活动'));
    expect(item?.publishAt.toISOString()).toBe('2026-12-01T01:00:00.000Z');
    const cancelled = await post(`/console/news/${item!.id}/cancel`, {});
    expect(cancelled.status).toBe(303);
    expect(await lastAudit()).toMatchObject({ action: 'news.cancel', actorType: 'admin_token' });
  });
});
