/**
 * Polls in the web chat, over the real app: a poll to everyone appears in each conversation;
 * answers go to the vote endpoint (never into the conversation or the inbox); a code typed in
 * the chat answers too; the thresholds hold at k-1 and k; one reminder reaches only those
 * without a vote, saying the same to each; bad input is refused with nothing stored; recurring
 * polls open on their schedule and show a trend.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/handle.ts';
import { polls, pollVotes, webChatMessages } from '../../../db/schema/index.ts';
import { openedBallots } from '../../support/ballots.ts';
import { useStack, verifiedVisitor, webVisitor } from '../../support/stack.ts';

let clock = new Date('2026-06-01T01:00:00Z');
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: 'https://union.example.org' } });
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);

type Visitor = Awaited<ReturnType<typeof webVisitor>>;
interface PollBubble {
  title?: string;
  notice?: string;
  text?: string;
  footer?: string;
  poll?: { id: string; answers: { label: string; answer: number }[]; comment?: string };
}

const run = async () => {
  while ((await fixture.stack.services.jobs.polls()) > 0) {}
  await fixture.stack.drain();
};

/** Verified members in the web chat (an admin placed them in a unit): polls to everyone ask them. */
async function talkers(n: number): Promise<Visitor[]> {
  const out: Visitor[] = [];
  for (let i = 0; i < n; i++) out.push((await verifiedVisitor(fixture.stack)).visitor);
  return out;
}

async function vote(visitor: Visitor, pollId: string, body: unknown) {
  return fixture.stack.request(`/chat/polls/${pollId}/vote`, {
    method: 'POST',
    headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function create(fields: Record<string, unknown>) {
  const res = await api('/polls', {
    method: 'POST',
    json: {
      question: '本周工作量如何？',
      kind: 'rating',
      audience: { kind: 'everyone' },
      durationMinutes: 60,
      ...fields,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; code: string; no: number };
}

const pollBubbles = async (visitor: Visitor) =>
  ((await visitor.replies()) as PollBubble[]).filter((b) => b.poll);

describe('polls in the web chat', () => {
  let people: Visitor[] = [];

  it('appear in each conversation, take answers at the vote endpoint and keep them out of the conversation', async () => {
    people = await talkers(4);
    const poll = await create({ question: '食堂满意度', threshold: 3, remindAfterMinutes: 30 });
    await run();
    for (const person of people) {
      const [bubble] = await pollBubbles(person);
      expect(bubble?.poll?.id).toBe(poll.id);
      expect(bubble?.poll?.answers.map((a) => a.answer)).toEqual([1, 2, 3, 4, 5]);
      expect(bubble?.text).toContain('食堂满意度');
    }
    const messagesBefore = await fixture.database.db.select().from(webChatMessages);
    const inboxBefore = await queryRows<{ n: number }>(
      fixture.database.db,
      sql`select count(*)::int as n from inbox`,
    );

    const first = await vote(people[0]!, poll.id, { answer: 4 });
    expect(first.status).toBe(200);
    const said = (await first.json()) as { outcome: string; text: string; privacy?: string };
    expect(said.outcome).toBe('recorded');
    expect(said.privacy).toContain('匿名投票说明');
    const again = (await (await vote(people[0]!, poll.id, { answer: 5 })).json()) as {
      outcome: string;
      privacy?: string;
    };
    expect(again.outcome).toBe('replaced');
    expect(again.privacy).toBeUndefined();

    // The code typed in the chat answers as well, and is not kept as a message.
    const typed = await people[1]!.post({ id: 'typed-vote-0001', text: `${poll.code} 2` });
    expect(typed.status).toBe(200);
    expect(((await typed.json()) as { vote: { recorded: boolean; text: string } }).vote.recorded).toBe(true);

    expect(await fixture.database.db.select().from(webChatMessages)).toHaveLength(messagesBefore.length);
    expect(
      await queryRows<{ n: number }>(fixture.database.db, sql`select count(*)::int as n from inbox`),
    ).toEqual(inboxBefore);
    const votes = await openedBallots(fixture.database.db, fixture.stack.keyRing, poll.id);
    expect(votes.map((v) => v.answer).sort()).toEqual([2, 5]);

    // Bad input: refused, nothing stored.
    const refused: [unknown, number, string][] = [
      [{ answer: 6 }, 400, '没有这个选项'],
      [{ answer: 0 }, 400, '没有这个选项'],
      [{ comment: '好' }, 400, '不收集意见'],
      [{ answer: '3' }, 400, ''],
      [{}, 400, ''],
    ];
    for (const [body, status, zh] of refused) {
      const res = await vote(people[2]!, poll.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const error = ((await res.json()) as { error: { message_zh: string } }).error;
      expect(error.message_zh).toContain(zh);
    }
    expect((await vote(people[2]!, '00000000-0000-4000-8000-000000000000', { answer: 1 })).status).toBe(404);
    expect((await vote(people[2]!, 'nope', { answer: 1 })).status).toBe(404);
    // Someone who arrives after the poll went out was not asked: a fresh browser cannot pad the count.
    const newcomer = await webVisitor(fixture.stack);
    const padded = await vote(newcomer, poll.id, { answer: 1 });
    expect(padded.status).toBe(403);
    expect(((await padded.json()) as { error: { message_zh: string } }).error.message_zh).toContain(
      '没有发给您',
    );
    expect(
      await fixture.database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id)),
    ).toHaveLength(2);

    // Only those without a vote are reminded, each with the same message.
    later(30);
    await run();
    const reminded: string[] = [];
    for (const person of people) {
      const bubbles = (await person.replies()) as PollBubble[];
      for (const b of bubbles) if (b.notice) reminded.push(JSON.stringify(b));
      expect(bubbles.length > 0).toBe(person === people[2] || person === people[3]);
    }
    expect(reminded).toHaveLength(2);
    expect(new Set(reminded).size).toBe(1);
    expect(reminded[0]).toContain('还没有收到您的回答');

    // Results are not given while the poll is open.
    expect((await api(`/polls/${poll.id}/results`)).status).toBe(409);
  });

  it('tells a code-shaped answer from an ordinary message, and never keeps either kind of answer', async () => {
    const poll = await create({ question: '代码测试', kind: 'single', options: ['是', '否'] });
    await run();
    await fixture.database.db.update(polls).set({ code: 'NEED' }).where(eq(polls.id, poll.id));
    const person = people[3]!;
    const kept = async () => (await fixture.database.db.select().from(webChatMessages)).length;
    let before = await kept();
    // An ordinary sentence that starts like a code goes on to the bot as usual.
    expect((await person.post({ id: 'ordinary-0001', text: 'NEED help with overtime' })).status).toBe(202);
    expect(await kept()).toBe(before + 1);
    await fixture.stack.drain();
    before = await kept();
    // With 投票 in front it is an answer, even to a code that does not exist: answered, not kept.
    const unknown = await person.post({ id: 'unknown-code-0001', text: '投票 ZZZZ 2' });
    expect(unknown.status).toBe(200);
    expect(((await unknown.json()) as { vote: { text: string } }).vote.text).toContain('没有这项投票');
    const typed = await person.post({ id: 'full-width-0001', text: 'ＮＥＥＤ　２' });
    expect(((await typed.json()) as { vote: { recorded: boolean } }).vote.recorded).toBe(true);
    expect(await kept()).toBe(before);
    expect(
      await fixture.database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id)),
    ).toHaveLength(1);
  });

  it('shows no results at k-1 answers, not even the count, and shows them at k', async () => {
    const fewer = await create({ question: '差一人', threshold: 3 });
    const enough = await create({ question: '刚好够', threshold: 3, kind: 'enps' });
    await run();
    for (const [i, person] of people.slice(0, 2).entries()) {
      expect((await vote(person, fewer.id, { answer: i + 1 })).status).toBe(200);
    }
    for (const [i, person] of people.slice(0, 3).entries()) {
      expect((await vote(person, enough.id, { answer: [10, 9, 3][i] })).status).toBe(200);
    }
    later(61);
    await run();
    const below = (await (await api(`/polls/${fewer.id}/results`)).json()) as Record<string, unknown>;
    expect(below.shown).toBe(false);
    expect(below).not.toHaveProperty('answers');
    expect(below).not.toHaveProperty('counts');
    expect(JSON.stringify(below)).not.toMatch(/"2"/);
    const at = (await (await api(`/polls/${enough.id}/results`)).json()) as {
      shown: boolean;
      answers: number;
      score: number;
    };
    expect(at).toMatchObject({ shown: true, answers: 3 });
    // eNPS: 2 of 3 promoters, 1 of 3 detractors: +33.
    expect(at.score).toBe(33);
  });

  it('refuses polls with one option, a threshold below 3, or a reminder after the close, creating nothing', async () => {
    const before = (await fixture.database.db.select().from(polls)).length;
    const cases: Record<string, unknown>[] = [
      { kind: 'single', options: ['只有一个'] },
      { kind: 'single', options: ['同', '同'] },
      { kind: 'single', options: Array.from({ length: 11 }, (_, i) => `选项${i}`) },
      { threshold: 2 },
      { commentThreshold: 1 },
      { remindAfterMinutes: 90 },
      { kind: 'rating', options: ['x', 'y'] },
      { durationMinutes: undefined },
      { audience: { kind: 'units', unitIds: ['00000000-0000-4000-8000-000000000000'] } },
    ];
    for (const fields of cases) {
      const res = await api('/polls', {
        method: 'POST',
        json: {
          question: '坏的',
          kind: 'rating',
          audience: { kind: 'everyone' },
          durationMinutes: 60,
          ...fields,
        },
      });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const error = ((await res.json()) as { error: { message_zh: string; message_en: string } }).error;
      expect(error.message_zh.length).toBeGreaterThan(0);
    }
    expect(await fixture.database.db.select().from(polls)).toHaveLength(before);
  });

  it('opens a recurring poll each Friday at 16:00 and shows the trend over the weeks', async () => {
    const res = await api('/polls', {
      method: 'POST',
      json: {
        question: '本周心情如何？',
        kind: 'rating',
        audience: { kind: 'everyone' },
        durationMinutes: 120,
        threshold: 3,
        repeat: { cron: '0 16 * * 5' },
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { schedule } = (await res.json()) as { schedule: { id: string } };
    // 2026-06-05 is a Friday: 16:00 Shanghai is 08:00 UTC.
    for (const week of [0, 1]) {
      clock = new Date(Date.UTC(2026, 5, 5 + 7 * week, 8, 0, 30));
      await fixture.stack.services.jobs.tick();
      await run();
      const open = await fixture.database.db.select().from(polls).where(eq(polls.scheduleId, schedule.id));
      expect(open).toHaveLength(week + 1);
      const current = open.find((p) => p.status === 'open')!;
      for (const [i, person] of people.slice(0, 3 + week).entries()) {
        expect((await vote(person, current.id, { answer: [3, 4, 5, 5][i] })).status).toBe(200);
      }
      later(121);
      await run();
    }
    const trend = (await (await api(`/polls/series/${schedule.id}`)).json()) as {
      items: { status: string; shown: boolean; answers?: number; score?: number }[];
    };
    expect(trend.items.map((i) => [i.status, i.answers, i.score])).toEqual([
      ['closed', 3, 4],
      ['closed', 4, 4.25],
    ]);
  });
});
