import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openedBallots } from '../../support/ballots.ts';
import { primaryKind, type TestDatabase } from '../../support/databases.ts';
import { larkApp, textMessage } from '../../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../../support/lark-server.ts';
import type { StandIn } from '../../support/lark-stand-in.ts';
import { type Stack, verifiedVisitor } from '../../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let standIn: StandIn;
let clock = new Date('2026-12-01T02:00:00Z');
const later = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

let lark: LarkServer;

beforeAll(async () => {
  lark = await startLarkServer({
    now: () => clock,
    env: { VOTES_PER_MINUTE: '3', LARK_TIMESTAMP_WINDOW_SECONDS: '100000000' },
  });
  ({ standIn, database, stack } = lark);
});

afterAll(() => lark?.close());

const post = (payload: unknown) => lark.post(payload);
const click = async (openId: string, chatId: string, value: unknown) =>
  (await lark.click(openId, chatId, value)).toast!;

async function createPoll(audience: unknown) {
  const res = await stack.api('/polls', {
    method: 'POST',
    json: {
      question: '班车时间是否合适？',
      kind: 'single',
      options: ['合适', '太早', '太晚'],
      audience,
      durationMinutes: 60,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const poll = (await res.json()) as { id: string; code: string };
  while ((await stack.services.jobs.polls()) > 0) {}
  await stack.drain();
  return poll;
}

const answerOf = async (pollId: string) =>
  (await openedBallots(database.db, stack.keyRing, pollId)).map((v) => v.answer);

describe(`the limit on poll answers (${primaryKind})`, () => {
  it('refuses a Lark member’s fourth click and typed code in a minute, keeping their vote', async () => {
    const group = 'oc_vote_limit_group';
    const member = 'ou_vote_limit_member';
    standIn.chatMembers.set(group, [member, 'ou_vote_limit_other', larkApp.botOpenId]);
    const poll = await createPoll({ kind: 'chats', chats: [{ channel: 'lark', chatId: group }] });

    for (const answer of [1, 2, 3])
      expect((await click(member, group, { poll: poll.id, a: answer })).type).toBe('success');
    const refused = await click(member, group, { poll: poll.id, a: 1 });
    expect(refused.type).toBe('warning');
    expect(refused.i18n.zh_cn).toContain('作答太频繁');
    expect(refused.i18n.en_us).toContain('answering too fast');
    expect(await answerOf(poll.id)).toEqual([3]);

    // The code typed in a private chat counts against the same person.
    const before = standIn.sent.length;
    expect(
      (await post(textMessage({ openId: member, chatId: 'oc_p2p_vote_limit', text: `${poll.code} 1` })))
        .status,
    ).toBe(200);
    await stack.drain();
    const reply = JSON.stringify(standIn.sent.slice(before).map((m) => m.content));
    expect(reply).toContain('作答太频繁');
    expect(reply).toContain('answering too fast');
    expect(await answerOf(poll.id)).toEqual([3]);

    // Someone else is not held up, and a minute later the member answers again.
    expect((await click('ou_vote_limit_other', group, { poll: poll.id, a: 2 })).type).toBe('success');
    later(61);
    expect((await click(member, group, { poll: poll.id, a: 1 })).type).toBe('success');
    expect((await answerOf(poll.id)).sort()).toEqual([1, 2]);
  });

  it('answers the web chat’s fourth vote in a minute 429 in both languages, and a typed code with a note', async () => {
    later(60);
    const { visitor } = await verifiedVisitor(stack);
    const poll = await createPoll({ kind: 'everyone' });
    const vote = (answer: number) =>
      stack.request(`/chat/polls/${poll.id}/vote`, {
        method: 'POST',
        headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ answer }),
      });
    for (const answer of [1, 2, 3]) expect((await vote(answer)).status).toBe(200);
    const refused = await vote(1);
    expect(refused.status).toBe(429);
    const { error } = (await refused.json()) as { error: { message_zh: string; message_en: string } };
    expect(error.message_zh).toContain('作答太频繁');
    expect(error.message_en).toContain('answering too fast');

    const typed = await visitor.post({ id: 'typed-vote-limit-01', text: `${poll.code} 1` });
    expect(typed.status).toBe(200);
    const { vote: note } = (await typed.json()) as { vote: { recorded: boolean; text: string } };
    expect(note.recorded).toBe(false);
    expect(note.text).toContain('作答太频繁');
    expect(await answerOf(poll.id)).toEqual([3]);

    later(61);
    expect((await vote(1)).status).toBe(200);
  });
});
