/**
 * Attacks on a poll's threshold k, over the real app. Padding: someone makes web chat cookies at
 * will to answer beside one real person and then subtracts their own answers; those cookies are
 * not verified members, so a poll to everyone never asks them, and where they may answer (a poll
 * sent to their own chats) their answers never bring the poll, or a group of its breakdown, up
 * to k. Differencing: a poll to a parent unit and one to a child unit missing a few people would
 * give those few people's answers by subtraction; the later one is not published, and says why.
 */
import { describe, expect, it } from 'vitest';
import { createUnit } from '../support/console.ts';
import { useStack, verifiedVisitor, webPerson, webVisitor } from '../support/stack.ts';

let clock = new Date('2026-09-01T02:00:00Z');
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
const fixture = useStack({ now: () => clock });
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
type Visitor = Awaited<ReturnType<typeof webVisitor>>;

const run = async () => {
  while ((await fixture.stack.services.jobs.polls()) > 0) {}
  await fixture.stack.drain();
};

async function startPoll(audience: unknown, question = '食堂夜班供餐是否满意？') {
  const res = await api('/polls', {
    method: 'POST',
    json: {
      question,
      kind: 'single',
      options: ['满意', '不满意'],
      audience,
      durationMinutes: 60,
      threshold: 5,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const poll = (await res.json()) as { id: string; no: number };
  await run();
  return poll;
}

const vote = (visitor: Visitor, pollId: string, answer: number) =>
  fixture.stack.request(`/chat/polls/${pollId}/vote`, {
    method: 'POST',
    headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ answer }),
  });

async function close(pollId: string) {
  later(61);
  await run();
  return (await (await api(`/polls/${pollId}/results`)).json()) as {
    shown: boolean;
    reason?: string;
    message?: { zh: string; en: string };
    counts?: Record<string, number>;
    segments?: unknown;
  };
}

const visitorIdOf = (visitor: Visitor) =>
  decodeURIComponent(visitor.cookie.split('=')[1] ?? '').split('.')[0]!;

describe('padding a poll with made-up people', () => {
  it('never asks cookies made at will in a poll to everyone, so one real answer stays hidden', async () => {
    const victim = (await verifiedVisitor(fixture.stack)).visitor;
    const sybils: Visitor[] = [];
    for (let i = 0; i < 4; i++) {
      const sybil = await webVisitor(fixture.stack);
      await sybil.say('菜单');
      sybils.push(sybil);
    }
    const poll = await startPoll({ kind: 'everyone' });
    expect((await vote(victim, poll.id, 1)).status).toBe(200);
    for (const sybil of sybils) {
      const refused = await vote(sybil, poll.id, 2);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message_zh: string } }).error.message_zh).toContain(
        '没有发给您',
      );
    }
    const results = await close(poll.id);
    expect(results).toMatchObject({ shown: false, reason: 'too_few' });
    expect(JSON.stringify(results)).not.toMatch(/"counts"|"answers"/);
  });

  it('counts their answers in a poll sent to their own chats, but never toward k', async () => {
    const victim = (await verifiedVisitor(fixture.stack)).visitor;
    const sybils: Visitor[] = [];
    for (let i = 0; i < 4; i++) sybils.push(await webVisitor(fixture.stack));
    const chats = [victim, ...sybils].map((v) => ({ channel: 'web', chatId: visitorIdOf(v) }));
    const poll = await startPoll({ kind: 'chats', chats });
    expect((await vote(victim, poll.id, 1)).status).toBe(200);
    for (const sybil of sybils) expect((await vote(sybil, poll.id, 2)).status).toBe(200);
    // Five answers, but only one from a verified member: nothing is published.
    expect(await close(poll.id)).toMatchObject({ shown: false, reason: 'too_few' });
  });

  it('publishes when verified members alone reach k, with no breakdown one of the others could pad', async () => {
    const members: Visitor[] = [];
    for (let i = 0; i < 5; i++) members.push((await verifiedVisitor(fixture.stack)).visitor);
    const stranger = await webVisitor(fixture.stack);
    const chats = [...members, stranger].map((v) => ({ channel: 'web', chatId: visitorIdOf(v) }));
    const poll = await startPoll({ kind: 'chats', chats });
    for (const member of members) expect((await vote(member, poll.id, 1)).status).toBe(200);
    expect((await vote(stranger, poll.id, 2)).status).toBe(200);
    const results = await close(poll.id);
    expect(results).toMatchObject({ shown: true, counts: { '1': 5, '2': 1 }, segments: null });
  });
});

describe('differencing two polls', () => {
  it('withholds a poll whose audience is a published one’s minus fewer than k people, and says why', async () => {
    const north = await createUnit(fixture.stack, '北区');
    const one = await createUnitUnder('北区一站', north);
    const two = await createUnitUnder('北区二站', north);
    const inOne: Visitor[] = [];
    const inTwo: Visitor[] = [];
    for (let i = 0; i < 6; i++) inOne.push(await member(one));
    for (let i = 0; i < 2; i++) inTwo.push(await member(two));

    // The whole of 北区: eight answers, published.
    const parent = await startPoll({ kind: 'units', unitIds: [north] }, '北区：班车时间是否合适？');
    for (const v of [...inOne, ...inTwo]) expect((await vote(v, parent.id, 1)).status).toBe(200);
    expect(await close(parent.id)).toMatchObject({ shown: true, counts: { '1': 8, '2': 0 } });

    // 北区一站 alone: the parent's figures minus these would be 二站's two people. Not published.
    const child = await startPoll({ kind: 'units', unitIds: [one] }, '一站：班车时间是否合适？');
    for (const v of inOne) expect((await vote(v, child.id, 1)).status).toBe(200);
    const withheld = await close(child.id);
    expect(withheld).toMatchObject({ shown: false, reason: 'overlap' });
    expect(withheld.message?.zh).toContain(`第 ${parent.no} 号投票`);
    expect(withheld.message?.en).toContain(`poll #${parent.no}`);
    expect(JSON.stringify(withheld)).not.toMatch(/"counts"|"answers"/);

    // The same audience again (a weekly poll to 北区): differs by nobody, published.
    const weekly = await startPoll({ kind: 'units', unitIds: [north] }, '北区：本周班车是否准时？');
    for (const v of [...inOne, ...inTwo]) expect((await vote(v, weekly.id, 2)).status).toBe(200);
    expect(await close(weekly.id)).toMatchObject({ shown: true, counts: { '1': 0, '2': 8 } });
  });
});

async function createUnitUnder(nameZh: string, parentId: string): Promise<string> {
  const res = await api('/org-units', { method: 'POST', json: { nameZh, nameEn: nameZh, parentId } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A verified member of the unit, who has talked to the bot (so a poll to the unit reaches them). */
async function member(unitId: string): Promise<Visitor> {
  const { visitor, memberNo } = await webPerson(fixture.stack);
  expect((await api(`/people/${memberNo}`, { method: 'PATCH', json: { orgUnitId: unitId } })).status).toBe(
    200,
  );
  return visitor;
}
