/**
 * The console's CSV of every list, over real requests into the app: each CSV is UTF-8 with a BOM
 * and holds the page's rows; the help cases' without sealed text and only those the officer sees,
 * the polls' answers only once closed and at or above k, the news with delivery progress, and the
 * schedules' and people's lists refused to officers.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { polls, schedules } from '../../db/schema/index.ts';
import { askForHelp, createUnit as unit, type Visitor } from '../support/console.ts';
import { useStack, verifiedVisitor } from '../support/stack.ts';
import { consoleDriver, person, publicUrl } from './console-helpers.ts';

const clock = new Date('2026-10-01T02:00:00Z');
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });

const { form, get, adminSession, officerSession, latestAudit } = consoleDriver(fixture);

/** The body's bytes: starts with the UTF-8 byte-order mark, then the text after it. */
async function csvOf(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

async function vote(visitor: Visitor, pollId: string, answer: number) {
  const res = await fixture.stack.request(`/chat/polls/${pollId}/vote`, {
    method: 'POST',
    headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ answer }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const runPolls = async () => {
  while ((await fixture.stack.services.jobs.polls()) > 0) {}
  await fixture.stack.drain();
};

/** A CSV's line that starts with this cell. */
const lineOf = (csv: string, first: string) => csv.split('\r\n').find((l) => l.startsWith(`${first},`)) ?? '';

describe('CSV of every list', () => {
  it('exports the help cases an officer sees, list columns only, never sealed text', async () => {
    const stack = fixture.stack;
    const forestry = await unit(stack, '四号林场');
    const mill = await unit(stack, '木材加工厂');
    const officer = await person(stack, { role: 'officer', officerUnitIds: [forestry] });
    const situation = '爱人下岗，孩子上大学学费两万元，家里实在凑不齐。';
    const ours = await askForHelp((await person(stack, { orgUnitId: forestry })).visitor, situation);
    const theirs = await askForHelp(
      (await person(stack, { orgUnitId: mill })).visitor,
      '父亲重病住院，医药费缺口较大。',
    );
    const session = await officerSession(officer.visitor);
    const page = await (await get('/console/help', session.cookie)).text();
    expect(page).toContain('href="/console/help.csv?show=open"');

    const csv = await csvOf(await get('/console/help.csv?show=open', session.cookie));
    expect(csv.split('\r\n')[0]).toBe(
      '编号 Reference,状态 Status,求助类型 Kind of help,紧急程度 Urgency,单位 Unit,提交时间 Filed,最迟受理 Acknowledge by,受理超时 Acknowledgement overdue',
    );
    expect(lineOf(csv, ours)).toContain('四号林场');
    expect(csv).not.toContain(theirs);
    expect(csv).not.toContain('学费');
    expect(csv).not.toContain('13912345678');
    expect(await latestAudit()).toMatchObject({ action: 'help_request.export', actorType: 'officer' });

    const admin = await adminSession();
    const all = await csvOf(await get('/console/help.csv?show=all', admin.cookie));
    expect(all).toContain(ours);
    expect(all).toContain(theirs);
    expect(all).not.toContain('医药费');
  });

  it('exports polls: nothing of an open poll’s answers, a closed one’s only at or above k', async () => {
    const stack = fixture.stack;
    const admin = await adminSession();
    const voters = [];
    for (let i = 0; i < 3; i++) voters.push((await verifiedVisitor(stack)).visitor);
    const start = async (question: string, threshold: string) => {
      const res = await stack.request(
        '/console/polls',
        form(
          {
            csrf: admin.csrf,
            question,
            kind: 'single',
            options: '满意\n一般\n不满意',
            audience: 'everyone',
            durationHours: '1',
            threshold,
            commentThreshold: '10',
          },
          admin.cookie,
        ),
      );
      expect(res.status, await res.clone().text()).toBe(303);
      const no = Number(/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
      await runPolls();
      const [row] = await fixture.database.db.select().from(polls).where(eq(polls.no, no));
      return row!;
    };
    const shown = await start('食堂满意度调查', '3');
    const tooFew = await start('班车满意度调查', '5');
    const running = await start('宿舍满意度调查', '3');
    for (const [i, voter] of voters.entries()) {
      await vote(voter, shown.id, [1, 1, 2][i]!);
      await vote(voter, tooFew.id, 1);
      await vote(voter, running.id, 3);
    }
    for (const poll of [shown, tooFew]) {
      const res = await stack.request(
        `/console/polls/${poll.no}/close`,
        form({ csrf: admin.csrf }, admin.cookie),
      );
      expect(res.status).toBe(200);
    }
    expect(await (await get('/console/polls', admin.cookie)).text()).toContain('href="/console/polls.csv"');

    const csv = await csvOf(await get('/console/polls.csv', admin.cookie));
    const cells = (no: number) => lineOf(csv, String(no)).split(',');
    expect(cells(shown.no)).toEqual([
      String(shown.no),
      shown.code,
      '食堂满意度调查',
      expect.any(String),
      '已结束',
      expect.any(String),
      expect.any(String),
      '3',
      '3',
      // Quoted, so a spreadsheet whose list separator is ; keeps it in one cell.
      '"满意: 2; 一般: 1; 不满意: 0"',
      '',
    ]);
    expect(cells(tooFew.no).slice(7)).toEqual(['5', '', '人数不足 Too few answered', '']);
    expect(cells(running.no).slice(4)).toEqual([
      '进行中',
      expect.any(String),
      expect.any(String),
      '3',
      '',
      '',
      '',
    ]);
  });

  it('exports news with delivery progress, and schedules and people for admins only', async () => {
    const stack = fixture.stack;
    const admin = await adminSession();
    const published = await stack.request(
      '/console/news',
      form(
        {
          csrf: admin.csrf,
          action: 'publish',
          topic: 'news',
          title: '职工疗休养报名开始',
          body: '今年疗休养分三批进行，请于月底前报名。',
          audience: 'everyone',
        },
        admin.cookie,
      ),
    );
    expect(published.status, await published.clone().text()).toBe(303);
    await stack.drain();
    expect(await (await get('/console/news', admin.cookie)).text()).toContain('href="/console/news.csv"');
    const news = await csvOf(await get('/console/news.csv', admin.cookie));
    expect(news.split('\r\n')[0]).toBe(
      '标题 Title,栏目 Topic,状态 Status,发布时间 Publish time,排队 Queued,已发 Sent,失败 Failed,链接 Link',
    );
    const line = lineOf(news, '职工疗休养报名开始').split(',');
    expect(line[2]).toBe('已发送');
    expect(Number(line[4])).toBeGreaterThan(0);
    expect(Number(line[5])).toBe(Number(line[4]));
    expect(line[7]).toMatch(/^https:\/\/union\.example\.org\/news\//);

    const created = await stack.api('/schedules', {
      method: 'POST',
      json: {
        name: '周一例会提醒',
        cron: '0 9 * * 1',
        timeZone: 'Asia/Shanghai',
        kind: 'message',
        payload: { channel: 'web', chatId: 'web-room-1', text: '例会九点开始' },
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    expect(await (await get('/console/schedules', admin.cookie)).text()).toContain(
      'href="/console/schedules.csv"',
    );
    const schedulesCsv = await csvOf(await get('/console/schedules.csv', admin.cookie));
    const all = await fixture.database.db.select().from(schedules);
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) expect(lineOf(schedulesCsv, String(s.no))).toContain(`${s.name},${s.cron},`);
    expect(schedulesCsv).toContain('周一例会提醒,0 9 * * 1,Asia/Shanghai,消息,运行中,');

    const someone = await person(stack, { role: 'delegate' });
    expect(await (await get('/console/people', admin.cookie)).text()).toContain(
      'href="/console/people.csv?"',
    );
    const people = await csvOf(
      await get(`/console/people.csv?q=${someone.memberNo}&role=delegate`, admin.cookie),
    );
    expect(people.split('\r\n')[0]).toBe(
      '成员号 Member no.,姓名 Name,角色 Role,所属单位 Unit,负责单位 Handles',
    );
    expect(lineOf(people, String(someone.memberNo))).toContain('职工代表');
    expect(people.trim().split('\r\n')).toHaveLength(2);
    expect(await latestAudit()).toMatchObject({ action: 'person.export', actorType: 'admin_token' });

    const officer = await person(stack, { role: 'officer', officerUnitIds: [await unit(stack, '五号林场')] });
    const session = await officerSession(officer.visitor);
    for (const path of ['/console/schedules.csv', '/console/people.csv', '/console/people.csv?role=admin']) {
      const res = await get(path, session.cookie);
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain(String(someone.memberNo));
    }
    expect((await latestAudit()).action).toBe('console.admin_refused');
  });
});
