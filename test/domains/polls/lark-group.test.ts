/**
 * A poll run end to end in a Lark group, over real HTTP into the app and out through the Lark
 * stand-in: the officer API creates it, the card goes to the group, members click (each told
 * privately in a toast, the shared card never changed), one reminder reaches only those who
 * have not answered, and at the close the results go to the group and to an admin. Then the
 * anonymity check: every table and every log line written during the poll, searched for
 * anything that ties a voter to a vote.
 */
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/handle.ts';
import { people, pollSecrets, polls, pollVotes } from '../../../db/schema/index.ts';
import { openedBallots } from '../../support/ballots.ts';
import { type HttpServer, startHttpServer } from '../../support/browser.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { delivery, envelope, larkApp, larkEnv, nextId, textMessage } from '../../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../../support/lark-server.ts';
import type { StandIn } from '../../support/lark-stand-in.ts';
import { createStack, type Stack } from '../../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let standIn: StandIn;
let clock = new Date('2026-05-08T02:00:00Z');
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
const publicUrl = 'https://union.example.org';

let lark: LarkServer;
/** A second instance on the same database, as behind a balancer: the limits are kept together. */
let other: { stack: Stack; server: HttpServer };
const env = { PUBLIC_URL: publicUrl, LARK_TIMESTAMP_WINDOW_SECONDS: '100000000' };

beforeAll(async () => {
  lark = await startLarkServer({ now: () => clock, env, sharedLimits: true });
  ({ standIn, database, stack } = lark);
  const otherStack = createStack(database, {
    now: () => clock,
    env: { ...larkEnv(standIn.url), ...env },
    sharedLimits: true,
  });
  other = { stack: otherStack, server: await startHttpServer(otherStack.services) };
});

afterAll(async () => {
  await other?.server.close();
  await lark?.close();
});

const post = (payload: unknown) => lark.post(payload);
const click = (openId: string, chatId: string, value: unknown) => lark.click(openId, chatId, value);

/** Types in the comment box of the card and presses Enter. */
async function comment(openId: string, chatId: string, pollId: string, text: string) {
  const res = await post(
    envelope('card.action.trigger', {
      operator: { open_id: openId },
      token: 'c-card-update-token',
      action: { value: { poll: pollId, c: 1 }, tag: 'input', input_value: text },
      host: 'im_message',
      context: { open_message_id: nextId('om'), open_chat_id: chatId },
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { toast: { type: string; content: string } };
}

const run = async () => {
  while ((await stack.services.jobs.polls()) > 0) {}
  await stack.drain();
};

const group = 'oc_poll_group_1';
const members = Array.from({ length: 8 }, (_, i) => `ou_member_${i + 1}`);
const voters = members.slice(0, 5);
const answers = [1, 2, 2, 3, 2];
const admin = 'ou_union_admin';

describe('a poll in a Lark group', () => {
  let pollId = '';
  let pollCode = '';
  let sentBefore = 0;
  let logFrom = 0;
  let secret = '';
  const personIds = new Map<string, string>();

  it('is created in the officer API and posted to the group as a card with a button per answer', async () => {
    // An admin who talks to the bot privately, to receive the officers' results.
    expect((await post(textMessage({ openId: admin, chatId: 'oc_p2p_admin', text: '菜单' }))).status).toBe(
      200,
    );
    await stack.drain();
    await database.db
      .update(people)
      .set({ role: 'admin' })
      .where(sql`id = (select person_id from channel_identities where external_id = ${admin})`);
    standIn.chatMembers.set(group, [...members, larkApp.botOpenId]);
    logFrom = stack.logLines.length;
    sentBefore = standIn.sent.length;

    const res = await stack.api('/polls', {
      method: 'POST',
      json: {
        question: '食堂晚餐开饭时间是否合适？',
        kind: 'single',
        options: ['合适', '太早', '太晚'],
        allowComment: true,
        audience: { kind: 'chats', chats: [{ channel: 'lark', chatId: group }] },
        durationMinutes: 24 * 60,
        threshold: 5,
        commentThreshold: 3,
        remindAfterMinutes: 120,
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as { id: string; code: string; status: string };
    pollId = created.id;
    pollCode = created.code;
    await run();
    const cards = standIn.sent.slice(sentBefore).filter((m) => m.receiveId === group);
    expect(cards).toHaveLength(1);
    const card = JSON.stringify(cards[0]!.content);
    expect(card).toContain('食堂晚餐开饭时间是否合适？');
    expect(card).toContain('匿名投票');
    expect(card).toContain(pollCode);
    for (const answer of [1, 2, 3]) expect(card).toContain(JSON.stringify({ poll: pollId, a: answer }));
    expect(card).toContain('"tag":"input"');
    // The secret is stored sealed with the app's key: the database alone does not hold it.
    const [secretRow] = await database.db.select().from(pollSecrets).where(eq(pollSecrets.pollId, pollId));
    secret = await stack.keyRing.open(secretRow!.secret);
    expect(secretRow!.secret).not.toContain(secret);
  });

  it('records each click with a toast for the voter alone, never writes the inbox and never changes the card', async () => {
    const inboxBefore = (
      await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from inbox`)
    )[0]?.n;
    for (const [i, openId] of voters.entries()) {
      const answer = await click(openId, group, { poll: pollId, a: answers[i] });
      expect(answer.toast?.type).toBe('success');
      expect(answer.toast?.i18n.zh_cn).toContain('已匿名记录');
      // The first vote a person casts carries the statement of what is stored.
      expect(answer.toast?.i18n.zh_cn).toContain(`${publicUrl}/polls/privacy`);
      expect(answer.card).toBeUndefined();
    }
    // A change replaces the earlier answer and is not counted twice.
    const changed = await click(voters[0]!, group, { poll: pollId, a: 3 });
    expect(changed.toast?.i18n.zh_cn).toContain('之前的回答不再计入');
    expect(changed.toast?.i18n.zh_cn).not.toContain('/polls/privacy');
    answers[0] = 3;
    for (const [i, openId] of voters.slice(0, 3).entries()) {
      const said = await comment(openId, group, pollId, `意见${i + 1}：晚餐希望推迟半小时`);
      expect(said.toast.type).toBe('success');
    }
    const inboxAfter = (
      await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from inbox`)
    )[0]?.n;
    expect(inboxAfter).toBe(inboxBefore);
    expect(standIn.updates).toHaveLength(0);
    const votes = await database.db.select().from(pollVotes).where(eq(pollVotes.pollId, pollId));
    expect(votes).toHaveLength(5);
    for (const row of await database.db.select({ id: people.id }).from(people)) personIds.set(row.id, row.id);
    // While the poll is open its secret ties each token to a person: that is what closing ends.
    const tokens = new Set(votes.map((v) => v.token));
    const voterIds = await queryRows<{ person_id: string; external_id: string }>(
      database.db,
      sql`select person_id, external_id from channel_identities where channel = 'lark'`,
    );
    const linked = voterIds.filter((v) =>
      tokens.has(createHmac('sha256', Buffer.from(secret, 'base64')).update(v.person_id).digest('hex')),
    );
    expect(linked.map((v) => v.external_id).sort()).toEqual([...voters].sort());
  });

  it('refuses forged values, unknown polls and answers it does not have, storing nothing', async () => {
    const count = async () =>
      (await database.db.select().from(pollVotes).where(eq(pollVotes.pollId, pollId))).length;
    for (const value of [
      { poll: pollId, a: 7 },
      { poll: pollId, a: 'x' },
      { poll: 'not-a-poll', a: 1 },
      { poll: pollId, a: 1, extra: true },
      { poll: '00000000-0000-4000-8000-000000000000', a: 1 },
    ]) {
      const answer = await click('ou_member_8', group, value);
      expect(answer.toast?.type).toBe('warning');
    }
    // Someone the poll was not sent to: a click from another chat, or a code in private from
    // someone who is not in the group.
    const stranger = await click('ou_stranger', 'oc_other_group', { poll: pollId, a: 1 });
    expect(stranger.toast?.i18n.zh_cn).toContain('没有发给您');
    const sentNow = standIn.sent.length;
    expect(
      (await post(textMessage({ openId: 'ou_stranger', chatId: 'oc_p2p_stranger', text: `${pollCode} 1` })))
        .status,
    ).toBe(200);
    await stack.drain();
    expect(JSON.stringify(standIn.sent.slice(sentNow).map((m) => m.content))).toContain('没有发给您');
    expect(await count()).toBe(5);
    // Answering the code in the group is not recorded: the answer would be public.
    const res = await post(
      textMessage({
        openId: 'ou_member_7',
        chatId: group,
        group: true,
        text: `@_user_1 ${pollCode} 2`,
        mentions: [{ key: '@_user_1', openId: larkApp.botOpenId, name: '同心' }],
      }),
    );
    expect(res.status).toBe(200);
    await stack.drain();
    expect(await count()).toBe(5);
    const told = standIn.sent.filter((m) => m.receiveId === 'ou_member_7');
    expect(JSON.stringify(told.at(-1)?.content)).toContain('私聊');
  });

  it('takes an answer by code in a private chat from a member of the group, once per delivery', async () => {
    const say = async (text: string, messageId: string, to = lark.server) => {
      const { body, headers } = await delivery(
        textMessage({ openId: 'ou_member_8', chatId: 'oc_p2p_m8', text, messageId }),
      );
      const res = await fetch(`${to.url}/webhooks/lark`, { method: 'POST', headers, body });
      expect(res.status).toBe(200);
      await stack.drain();
      await other.stack.drain();
    };
    const sentNow = standIn.sent.length;
    await say(`${pollCode} 1`, 'om_code_vote_1');
    await say(`投票 ${pollCode} 太晚`, 'om_code_vote_2');
    // Lark delivers the first message again (hours later, in life), to the other instance: it must
    // not undo the change.
    await say(`${pollCode} 1`, 'om_code_vote_1', other.server);
    const replies = standIn.sent.slice(sentNow).map((m) => JSON.stringify(m.content));
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('已匿名记录');
    expect(replies[1]).toContain('之前的回答不再计入');
    voters.push('ou_member_8');
    answers.push(3);
    const votes = await openedBallots(database.db, stack.keyRing, pollId);
    expect(votes.map((v) => v.answer).sort()).toEqual([...answers].sort());
  });

  it('reminds once, privately, only the members who have not answered, with the same text for each', async () => {
    const before = standIn.sent.length;
    later(119);
    await run();
    expect(standIn.sent.length).toBe(before);
    later(2);
    await run();
    const reminders = standIn.sent.slice(before);
    expect(reminders.map((m) => m.receiveId).sort()).toEqual(['ou_member_6', 'ou_member_7']);
    expect(new Set(reminders.map((m) => JSON.stringify(m.content))).size).toBe(1);
    expect(JSON.stringify(reminders[0]!.content)).toContain('还没有收到您的回答');
    later(60);
    await run();
    expect(standIn.sent.length).toBe(before + 2);
  });

  it('closes with the results in the group and, with the comments, to the admin; the card is never updated', async () => {
    const before = standIn.sent.length;
    later(24 * 60);
    await run();
    const out = standIn.sent.slice(before);
    const inGroup = out.filter((m) => m.receiveId === group);
    expect(inGroup).toHaveLength(1);
    const groupCard = JSON.stringify(inGroup[0]!.content);
    expect(groupCard).toContain('投票结果');
    // 合适 0, 太早 3 (50%), 太晚 3 (50%).
    expect(groupCard).toContain('0 · 0%');
    expect(groupCard).toContain('3 · 50%');
    expect(groupCard).not.toContain('晚餐希望推迟');
    const toAdmin = out.filter((m) => m.receiveId === 'oc_p2p_admin');
    expect(toAdmin).toHaveLength(1);
    expect(JSON.stringify(toAdmin[0]!.content)).toContain('晚餐希望推迟半小时');
    expect(standIn.updates).toHaveLength(0);
    const answer = await click(voters[1]!, group, { poll: pollId, a: 1 });
    expect(answer.toast?.i18n.zh_cn).toContain('已经结束');
    // Answering by code in a private chat after the close: told so privately, nothing stored.
    const sentNow = standIn.sent.length;
    expect(
      (await post(textMessage({ openId: 'ou_member_6', chatId: 'oc_p2p_m6', text: `${pollCode} 1` }))).status,
    ).toBe(200);
    await stack.drain();
    const told = standIn.sent.slice(sentNow);
    expect(told.map((m) => m.receiveId)).toEqual(['oc_p2p_m6']);
    expect(JSON.stringify(told[0]!.content)).toContain('已经结束');
    const results = (await (await stack.api(`/polls/${pollId}/results`)).json()) as {
      answers: number;
      counts: Record<string, number>;
    };
    expect(results.answers).toBe(6);
    expect(results.counts).toEqual({ '1': 0, '2': 3, '3': 3 });
  });

  it('leaves nothing that ties a voter to a vote: no table, no log line, and the tokens cannot be recomputed', async () => {
    const db = database.db;
    // The secret is gone, from its table and from everywhere else.
    expect(await db.select().from(pollSecrets).where(eq(pollSecrets.pollId, pollId))).toHaveLength(0);
    const tables = (
      await queryRows<{ table_name: string }>(
        db,
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      )
    ).map((r) => r.table_name);
    const dump = new Map<string, string[]>();
    for (const table of tables) {
      const rows = await queryRows<{ row: string }>(
        db,
        sql`select row_to_json(t)::text as row from ${sql.identifier(table)} t`,
      );
      dump.set(
        table,
        rows.map((r) => r.row),
      );
    }
    const everything = [...dump.values()].flat().join('\n');
    expect(everything).not.toContain(secret);

    const votes = await db.select().from(pollVotes).where(eq(pollVotes.pollId, pollId));
    const identities = await queryRows<{ person_id: string; external_id: string }>(
      db,
      sql`select person_id, external_id from channel_identities where external_id like 'ou_member_%'`,
    );
    const voterIdentities = identities.filter((i) => voters.includes(i.external_id));
    expect(voterIdentities).toHaveLength(6);
    // A vote row holds no identity; its only time is the day.
    for (const vote of votes) {
      expect(Object.keys(vote).sort()).toEqual([
        'answer',
        'ballot',
        'comment',
        'pollId',
        'segment',
        'token',
        'votedOn',
      ]);
      expect(vote.votedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const who of identities) {
        expect(JSON.stringify(vote)).not.toContain(who.person_id);
        expect(JSON.stringify(vote)).not.toContain(who.external_id);
      }
    }
    // No token appears anywhere but in its vote row.
    for (const [table, rows] of dump) {
      if (table === 'poll_votes') continue;
      for (const vote of votes) expect(rows.join('\n')).not.toContain(vote.token);
    }
    // No row anywhere holds a voter's identity together with the poll.
    for (const [table, rows] of dump) {
      for (const row of rows) {
        const names = voterIdentities.some((v) => row.includes(v.person_id) || row.includes(v.external_id));
        if (names) expect(row.includes(pollId) || row.includes(pollCode), `${table}: ${row}`).toBe(false);
      }
    }
    // No log line written during the poll names a voter or holds a token.
    const lines = stack.logLines.slice(logFrom);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const who of voterIdentities) {
        expect(line).not.toContain(who.person_id);
        expect(line).not.toContain(who.external_id);
      }
      for (const vote of votes) expect(line).not.toContain(vote.token);
    }
    // The close wrote every vote again in one transaction: neither order nor transaction ids tell when each came.
    const [rewritten] = await queryRows<{ n: number }>(
      db,
      sql`select count(distinct xmin::text)::int as n from poll_votes where poll_id = ${pollId}`,
    );
    expect(rewritten?.n).toBe(1);
    // Only what the frozen results can show is kept: no comment beside an answer, no group (one
    // group is no breakdown), and the closing day for every vote.
    for (const vote of votes) {
      expect(vote.ballot).toBeNull();
      expect(vote.comment).toBeNull();
      expect(vote.segment).toBeNull();
      expect(vote.votedOn).toBe(votes[0]!.votedOn);
    }
    // And the tokens cannot be recomputed: not with the secret as it was while the poll was open
    // (a backup taken then), nor with anything else at hand.
    const stored = new Set(votes.map((v) => v.token));
    for (const who of identities) {
      expect(
        stored.has(createHmac('sha256', Buffer.from(secret, 'base64')).update(who.person_id).digest('hex')),
      ).toBe(false);
    }
    for (const who of identities) {
      for (const key of ['', pollId, pollCode, larkApp.appSecret]) {
        expect(stored.has(createHmac('sha256', key).update(who.person_id).digest('hex'))).toBe(false);
      }
    }
    const [closed] = await db.select().from(polls).where(eq(polls.id, pollId));
    expect(closed!.status).toBe('closed');
  });
});
