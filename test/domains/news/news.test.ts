/**
 * 工会动态 end to end in the chat: items published through the officer API reach the right web
 * chats once (everyone, org units and the units below, chosen chats; never people who turned the
 * topic off), on time when scheduled, never when cancelled; 动态 and 订阅/退订 in chat. Bad input
 * and the public item page are in news-input-and-page.test.ts, a broadcast resumed on another
 * instance in news-resume.test.ts.
 */
import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations, outbox } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webPerson, webVisitor } from '../../support/stack.ts';
import { env, type NewsView, newsApi, publicUrl } from './news-helpers.ts';

let clock = new Date('2026-03-02T01:00:00Z');
const fixture = useStack({ now: () => clock, env });
const { api, later, publish, item, createUnit } = newsApi(fixture, {
  now: () => clock,
  set: (next) => {
    clock = next;
  },
});

/** A web chat bubble as the page receives it, with the article's link. */
interface Bubble {
  title?: string;
  notice?: string;
  text?: string;
  link?: { label: string; url: string };
  buttons?: { label: string; value: string }[];
}

type Visitor = Awaited<ReturnType<typeof webVisitor>>;

/** A web chat person who has talked to the bot (and so can be reached by a broadcast). */
async function talker(): Promise<Visitor> {
  const visitor = await webVisitor(fixture.stack);
  await visitor.say('菜单');
  return visitor;
}

/** The web chat id of a visitor: the value of its signed cookie. */
const chatIdOf = (visitor: Visitor) =>
  decodeURIComponent(visitor.cookie.slice(visitor.cookie.indexOf('=') + 1)).split('.')[0]!;

/** The article bubbles delivered to the visitor since its last read. */
const articlesFor = async (visitor: Visitor) => ((await visitor.replies()) as Bubble[]).filter((b) => b.link);

/** Everyone a broadcast to everyone can reach: each person with a private chat. */
async function reachable(): Promise<number> {
  const [row] = await fixture.database.db
    .select({ n: sql<number>`count(distinct ${conversations.personId})::int` })
    .from(conversations)
    .where(eq(conversations.chatType, 'private'));
  return Number(row!.n);
}

async function personIn(unitId: string | null) {
  const { visitor, memberNo } = await webPerson(fixture.stack);
  if (unitId) {
    const res = await api(`/people/${memberNo}`, { method: 'PATCH', json: { orgUnitId: unitId } });
    expect(res.status).toBe(200);
  }
  await visitor.replies();
  return visitor;
}

describe(`union news (${primaryKind})`, () => {
  it('动态 says there is none, then shows the latest three, newest first, with links', async () => {
    const reader = await talker();
    expect(bubbleText(await reader.say('动态'))).toContain('暂时还没有工会动态');

    const titles = ['一月职工之家建设', '二月劳模座谈会', '三月安全生产月', '四月职工书屋开放'];
    for (const title of titles) {
      await publish({ title, topic: 'news' });
      await fixture.stack.drain();
      later(10);
    }
    await reader.replies();
    const shown = (await reader.say('动态')) as Bubble[];
    const articles = shown.filter((b) => b.link);
    expect(articles.map((b) => b.title)).toEqual(['四月职工书屋开放', '三月安全生产月', '二月劳模座谈会']);
    for (const article of articles) {
      expect(article.link!.label).toBe('阅读全文');
      expect(article.link!.url).toMatch(new RegExp(`^${publicUrl}/news/[0-9a-f-]{36}$`));
      expect(article.notice).toContain('工会新闻');
    }
    expect(bubbleText(shown)).toContain('发送“订阅”');
    // In English, the same items with an English link label.
    await reader.say('English');
    const english = ((await reader.say('news')) as Bubble[]).filter((b) => b.link);
    expect(english.map((b) => b.link!.label)).toEqual(['Read more', 'Read more', 'Read more']);
  });

  it('publishes to everyone now: one article each, counted, and a second drain sends nothing', async () => {
    const visitors = [await talker(), await talker(), await talker()];
    const expected = await reachable();
    const created = await publish({
      topic: 'activity',
      title: '春季职工运动会报名开始',
      body: '**报名时间**：3月5日至3月15日。\n\n各分会请组织职工踊跃参加，[报名表](https://union.example.org/form)。',
    });
    expect(created).toMatchObject({ status: 'scheduled', queued: 0, url: `${publicUrl}/news/${created.id}` });
    await fixture.stack.drain();

    for (const visitor of visitors) {
      const articles = await articlesFor(visitor);
      expect(articles).toHaveLength(1);
      expect(articles[0]).toMatchObject({
        title: '春季职工运动会报名开始',
        text: '报名时间：3月5日至3月15日。 各分会请组织职工踊跃参加，报名表。',
        link: { label: '阅读全文', url: `${publicUrl}/news/${created.id}` },
      });
      expect(articles[0]!.notice).toContain('活动报名');
    }
    expect(await item(created.id)).toMatchObject({
      status: 'sent',
      queued: expected,
      sent: expected,
      failed: 0,
    });

    const outboxRows = async () => (await fixture.database.db.select({ n: count() }).from(outbox))[0]!.n;
    const before = await outboxRows();
    await fixture.stack.drain();
    expect(await fixture.stack.services.jobs.broadcast()).toBe(0);
    expect(await outboxRows()).toBe(before);
    for (const visitor of visitors) expect(await visitor.replies()).toEqual([]);
    expect((await item(created.id)).sent).toBe(expected);
  });

  it('退订 and 订阅 a topic in chat: the opted-out person is passed over until they opt back in', async () => {
    const quitter = await talker();
    const other = await talker();

    const off = (await quitter.say('退订 法律知识')) as Bubble[];
    expect(bubbleText(off)).toContain('已退订：法律知识');
    const states = off.flatMap((b) => b.buttons ?? []).map((b) => b.label);
    expect(states).toContain('法律知识 ✗ 已退订');
    expect(states).toContain('工会新闻 ✓ 已订阅');

    const legal = await publish({
      topic: 'legal',
      title: '劳动合同法要点',
      body: '试用期最长不得超过六个月。',
    });
    await fixture.stack.drain();
    expect(await articlesFor(quitter)).toEqual([]);
    expect((await articlesFor(other)).map((b) => b.title)).toEqual(['劳动合同法要点']);
    expect((await item(legal.id)).queued).toBe((await reachable()) - 1);
    // Other topics still reach them.
    await publish({ topic: 'notice', title: '端午节放假通知' });
    await fixture.stack.drain();
    expect((await articlesFor(quitter)).map((b) => b.title)).toEqual(['端午节放假通知']);
    // Opted out is not shut out: 动态 still shows the item.
    expect(bubbleText(await quitter.say('动态'))).toContain('劳动合同法要点');

    expect(bubbleText(await quitter.say('订阅 法律知识'))).toContain('已订阅：法律知识');
    await publish({ topic: 'legal', title: '工伤认定流程' });
    await fixture.stack.drain();
    expect((await articlesFor(quitter)).map((b) => b.title)).toEqual(['工伤认定流程']);

    const list = (await quitter.say('订阅')) as Bubble[];
    expect(list.flatMap((b) => b.buttons ?? []).map((b) => b.label)).toEqual([
      '工会新闻 ✓ 已订阅',
      '劳模风采 ✓ 已订阅',
      '通知公告 ✓ 已订阅',
      '法律知识 ✓ 已订阅',
      '活动报名 ✓ 已订阅',
    ]);
    expect(bubbleText(await quitter.say('订阅设置'))).toContain('劳模风采 ✓ 已订阅');
    // A button press turns a topic off.
    const pressed = bubbleText(await quitter.press('劳模风采 ✓ 已订阅'));
    expect(pressed).toContain('已退订：劳模风采');
    expect(pressed).toContain('劳模风采 ✗ 已退订');

    const unknown = bubbleText(await quitter.say('退订 星座运势'));
    expect(unknown).toContain('没有叫“星座运势”的栏目');
    expect(unknown).toContain('法律知识');

    // Inside a form, text that merely starts with 订阅 is an answer, not the command.
    await quitter.say('建议');
    const answered = bubbleText(await quitter.say('订阅号推送太频繁'));
    expect(answered).not.toContain('栏目');
    expect(answered).toContain('这条建议属于哪一类');
    await quitter.say('取消');
  });

  it('reaches the people of an org unit and the units below it, or only the chats chosen', async () => {
    const bureau = await createUnit('林业局工会');
    const station = await createUnit('太平林场工会', bureau);
    const elsewhere = await createUnit('三号局工会');
    const inBureau = await personIn(bureau);
    const inStation = await personIn(station);
    const inElsewhere = await personIn(elsewhere);
    const inNone = await personIn(null);

    const forUnit = await publish({
      title: '林业局职工体检安排',
      audience: { kind: 'units', unitIds: [bureau] },
    });
    await fixture.stack.drain();
    expect((await articlesFor(inBureau)).map((b) => b.title)).toEqual(['林业局职工体检安排']);
    expect((await articlesFor(inStation)).map((b) => b.title)).toEqual(['林业局职工体检安排']);
    expect(await articlesFor(inElsewhere)).toEqual([]);
    expect(await articlesFor(inNone)).toEqual([]);
    expect(await item(forUnit.id)).toMatchObject({ status: 'sent', queued: 2, sent: 2 });
    // 动态 shows it to those it was for, not to others.
    expect(bubbleText(await inStation.say('动态'))).toContain('林业局职工体检安排');
    expect(bubbleText(await inElsewhere.say('动态'))).not.toContain('林业局职工体检安排');

    // Chosen chats, one of them named twice: one copy each.
    const forChats = await publish({
      title: '三号局与无单位同事座谈',
      audience: {
        kind: 'chats',
        chats: [
          { channel: 'web', chatId: chatIdOf(inElsewhere) },
          { channel: 'web', chatId: chatIdOf(inNone) },
          { channel: 'web', chatId: chatIdOf(inElsewhere) },
        ],
      },
    });
    await fixture.stack.drain();
    expect((await articlesFor(inElsewhere)).map((b) => b.title)).toEqual(['三号局与无单位同事座谈']);
    expect((await articlesFor(inNone)).map((b) => b.title)).toEqual(['三号局与无单位同事座谈']);
    expect(await articlesFor(inBureau)).toEqual([]);
    expect(await articlesFor(inStation)).toEqual([]);
    expect(await item(forChats.id)).toMatchObject({ status: 'sent', queued: 2, sent: 2, failed: 0 });
  });

  it('sends a scheduled item once its time comes, and never one cancelled before it went', async () => {
    const reader = await talker();
    const due = new Date(clock.getTime() + 2 * 3600_000);
    const scheduled = await publish({ title: '下周一停电检修通知', publishAt: due.toISOString() });
    expect(scheduled).toMatchObject({ status: 'scheduled', publishAt: due.toISOString() });
    await fixture.stack.drain();
    expect(await articlesFor(reader)).toEqual([]);
    expect((await fixture.stack.request(`/news/${scheduled.id}`)).status).toBe(404);

    clock = new Date(due.getTime() - 60_000);
    await fixture.stack.drain();
    expect(await articlesFor(reader)).toEqual([]);
    expect((await item(scheduled.id)).status).toBe('scheduled');

    later(2);
    await fixture.stack.drain();
    expect((await articlesFor(reader)).map((b) => b.title)).toEqual(['下周一停电检修通知']);
    expect((await item(scheduled.id)).status).toBe('sent');
    expect((await fixture.stack.request(`/news/${scheduled.id}`)).status).toBe(200);

    const withdrawn = await publish({
      title: '取消的通知',
      publishAt: new Date(clock.getTime() + 3600_000).toISOString(),
    });
    const cancel = (id: string) => api(`/news/${id}/cancel`, { method: 'POST' });
    const cancelled = await cancel(withdrawn.id);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as NewsView).status).toBe('cancelled');
    later(120);
    await fixture.stack.drain();
    expect(await articlesFor(reader)).toEqual([]);
    expect(await item(withdrawn.id)).toMatchObject({ status: 'cancelled', queued: 0 });
    expect((await fixture.stack.request(`/news/${withdrawn.id}`)).status).toBe(404);
    expect(bubbleText(await reader.say('动态'))).not.toContain('取消的通知');

    for (const id of [scheduled.id, withdrawn.id]) {
      const late = await cancel(id);
      expect(late.status).toBe(409);
      expect(((await late.json()) as { error: { message: string } }).error.message).toContain('撤销');
    }
    expect((await cancel(crypto.randomUUID())).status).toBe(404);
    expect((await cancel('nope')).status).toBe(404);
  });
});
