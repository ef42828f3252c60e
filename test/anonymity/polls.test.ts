/**
 * Nothing links a vote to a voter, at any moment, in a copy of the database or in the logs. A
 * poll in a Lark group with twenty voters is read while open and after it closes: every table
 * with each row's transaction id (and pg_dump on PostgreSQL) and every log line. While open each
 * vote is a token and a sealed ballot, written by a transaction that wrote nothing else; after the
 * close the votes are one transaction's rows with fresh random tokens, and the records of who was
 * asked in private or reminded are gone. Neither the copy alone nor anything in it recomputes a
 * token or signs a web chat cookie.
 */
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import { outbox, pollPostings, pollSecrets } from '../../db/schema/index.ts';
import { postgresUrl } from '../support/databases.ts';
import { envelope, larkApp, nextId, textMessage } from '../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../support/lark-server.ts';
import { bubbleText, webPerson } from '../support/stack.ts';
import { dumpTables, pgDumpLines, stringsOf } from './dump.ts';

let lark: LarkServer;
let clock = new Date('2026-10-12T01:00:00Z');
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

const group = 'oc_anonymity_group';
const members = Array.from({ length: 24 }, (_, i) => `ou_staff_${String(i + 1).padStart(2, '0')}`);
const voters = members.slice(0, 20);
const answerOf = (i: number) => (i % 3) + 1;

let pollId = '';
let pollCode = '';
/** The poll's secret as it was while open: what a backup taken then would give with the data key. */
let openSecret = '';
const personIds = new Map<string, string>();

const run = async () => {
  while ((await lark.stack.services.jobs.polls()) > 0) {}
  await lark.stack.drain();
};

beforeAll(async () => {
  // With the limits in the database, as on PostgreSQL by default: their rows must not link either.
  lark = await startLarkServer({
    now: () => clock,
    sharedLimits: true,
    env: { LARK_TIMESTAMP_WINDOW_SECONDS: '100000000' },
  });
  lark.standIn.chatMembers.set(group, [...members, larkApp.botOpenId]);
  // Four members talked to the bot before, in private: the reminder reaches them there.
  for (const member of members.slice(18)) {
    expect(
      (await lark.post(textMessage({ openId: member, chatId: `oc_p2p_${member}`, text: '菜单' }))).status,
    ).toBe(200);
  }
  await lark.stack.drain();
  const res = await lark.stack.api('/polls', {
    method: 'POST',
    json: {
      question: '本季度劳保用品发放是否及时？',
      kind: 'single',
      options: ['及时', '偶有延误', '经常延误'],
      allowComment: true,
      audience: { kind: 'chats', chats: [{ channel: 'lark', chatId: group }] },
      durationMinutes: 24 * 60,
      threshold: 5,
      commentThreshold: 3,
      remindAfterMinutes: 60,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  ({ id: pollId, code: pollCode } = (await res.json()) as { id: string; code: string });
  await run();
}, 60_000);

afterAll(() => lark?.close());

/** Everything that names one member, as it could appear in a row or a line. */
const namesOf = (member: string) => [member, personIds.get(member) ?? member, `on_${member}`];

describe('a poll with twenty voters, in a copy of the database', () => {
  it('while open: each vote is a token and a sealed ballot, written by a transaction that wrote nothing else', async () => {
    for (const [i, voter] of voters.entries()) {
      const answer = await lark.click(voter, group, { poll: pollId, a: answerOf(i) });
      expect(answer.toast?.type).toBe('success');
      if (i % 4 === 0) {
        const commented = await lark.post(
          envelope('card.action.trigger', {
            operator: { open_id: voter },
            token: 'c-card-update-token',
            action: { value: { poll: pollId, c: 1 }, tag: 'input', input_value: `建议提前一周通知领取 ${i}` },
            host: 'im_message',
            context: { open_message_id: nextId('om'), open_chat_id: group },
          }),
        );
        expect(commented.status).toBe(200);
      }
    }
    for (const row of await queryRows<{ person_id: string; external_id: string }>(
      lark.database.db,
      sql`select person_id, external_id from channel_identities where channel = 'lark'`,
    ))
      personIds.set(row.external_id, row.person_id);
    // The reminder, an hour in: to the four who have not answered, two of them in private chats.
    later(61);
    await run();
    const [secret] = await lark.database.db.select().from(pollSecrets).where(eq(pollSecrets.pollId, pollId));
    openSecret = await lark.stack.keyRing.open(secret!.secret);

    const rows = await dumpTables(lark.database.db);
    const votes = rows.filter((r) => r.table === 'poll_votes');
    expect(votes).toHaveLength(20);
    for (const vote of votes) {
      const fields = JSON.parse(vote.row) as Record<string, unknown>;
      // No answer, comment or group in the clear: the rows' order and times tell nothing of choices.
      expect(fields).toMatchObject({ answer: null, comment: null, segment: null });
      expect(String(fields.ballot)).toMatch(/^tx1\./);
      // Nothing else carries this vote's transaction: not the voter's person, identity, or anything.
      const alongside = rows.filter((r) => r.xmin === vote.xmin && r !== vote);
      expect(alongside.map((r) => r.table)).toEqual([]);
    }
    // No row holds a voter's identity together with the poll, and no row but its own holds a token.
    const tokens = votes.map((v) => (JSON.parse(v.row) as { token: string }).token);
    for (const r of rows) {
      if (r.table !== 'poll_votes') for (const token of tokens) expect(r.row).not.toContain(token);
      const namesVoter = voters.some((v) => namesOf(v).some((n) => r.row.includes(n)));
      if (namesVoter)
        expect(r.row.includes(pollId) || r.row.includes(pollCode), `${r.table}: ${r.row}`).toBe(false);
    }
    // The secret in the copy is sealed: the copy alone cannot recompute a token.
    expect(rows.some((r) => r.row.includes(openSecret))).toBe(false);
    expectNoTokenFrom(stringsOf(rows, 8), tokens);
    // The logs name no voter and hold no token.
    for (const line of lark.stack.logLines) {
      for (const voter of voters) for (const name of namesOf(voter)) expect(line).not.toContain(name);
      for (const token of tokens) expect(line).not.toContain(token);
    }
    if (postgresUrl) {
      for (const line of await pgDumpLines(lark.database.url!)) {
        if (!line.includes('poll_votes')) continue;
        for (const voter of voters) for (const name of namesOf(voter)) expect(line).not.toContain(name);
      }
    }
  });

  it('after the close: one transaction’s rows with fresh tokens, and no record of who was asked or reminded', async () => {
    const before = await lark.database.db.select().from(pollPostings).where(eq(pollPostings.pollId, pollId));
    expect(before.filter((p) => !p.group).length).toBeGreaterThan(0);
    later(24 * 60);
    await run();
    const rows = await dumpTables(lark.database.db);
    const votes = rows.filter((r) => r.table === 'poll_votes').map((r) => ({ ...r, v: JSON.parse(r.row) }));
    expect(votes).toHaveLength(20);
    expect(new Set(votes.map((v) => v.xmin)).size).toBe(1);
    for (const { v } of votes) {
      expect(v).toMatchObject({ ballot: null, comment: null, segment: null });
      expect([1, 2, 3]).toContain(v.answer);
      // A fresh random token, all 64 digits of it (not a short value written twice).
      expect(v.token).toMatch(/^[0-9a-f]{64}$/);
      expect(v.token.slice(0, 32)).not.toBe(v.token.slice(32));
    }
    const tokens = votes.map(({ v }) => v.token as string);
    // The secret is gone; the one taken while open recomputes none of the stored tokens.
    expect(rows.filter((r) => r.table === 'poll_secrets')).toEqual([]);
    for (const voter of voters) {
      const then = createHmac('sha256', Buffer.from(openSecret, 'base64'))
        .update(personIds.get(voter)!)
        .digest('hex');
      expect(tokens).not.toContain(then);
    }
    expectNoTokenFrom(stringsOf(rows, 8), tokens);
    // Only the group's posting is left; who was reminded in private, and the reminders, are gone.
    const left = await lark.database.db.select().from(pollPostings).where(eq(pollPostings.pollId, pollId));
    expect(left.map((p) => [p.group, p.chatId])).toEqual([[true, group]]);
    const reminders = await lark.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.topic, `poll-reminder:${pollId}`));
    expect(reminders).toEqual([]);
    for (const r of rows) {
      const namesVoter = members.some((m) => namesOf(m).some((n) => r.row.includes(n)));
      if (namesVoter)
        expect(r.row.includes(pollId) || r.row.includes(pollCode), `${r.table}: ${r.row}`).toBe(false);
    }
    const results = (await (await lark.stack.api(`/polls/${pollId}/results`)).json()) as {
      shown: boolean;
      counts: Record<string, number>;
    };
    expect(results.shown).toBe(true);
    expect(results.counts).toEqual({ '1': 7, '2': 7, '3': 6 });
  });

  it('cannot sign a web chat cookie, whatever string of the copy is tried as the key', async () => {
    const visitor = await webPerson(lark.stack);
    const id = decodeURIComponent(visitor.visitor.cookie.split('=')[1] ?? '').split('.')[0]!;
    expect(bubbleText(await visitor.visitor.say('我的'))).toContain('还没有提交');
    const candidates = stringsOf(await dumpTables(lark.database.db), 16);
    expect(candidates.size).toBeGreaterThan(50);
    const tried = async (cookie: string) =>
      (await lark.stack.request('/chat/messages?after=0', { headers: { cookie } })).status;
    // The real cookie works; none made with a value from the copy does.
    expect(await tried(visitor.visitor.cookie)).toBe(200);
    for (const key of candidates) {
      for (const keyId of ['k1', 'env']) {
        const signature = createHmac('sha256', key).update(id).digest('hex');
        expect(await tried(`tx_visitor=${encodeURIComponent(`${id}.${keyId}.${signature}`)}`)).toBe(401);
      }
      // The earlier cookie format (a signature over the id with the key kept in the database).
      const old = createHmac('sha256', key).update(id).digest('base64');
      expect(await tried(`tx_visitor=${encodeURIComponent(`${id}.${old}`)}`)).toBe(401);
    }
  });
});

/** No stored token is HMAC(candidate, person) for any voter and any string of the copy. */
function expectNoTokenFrom(candidates: ReadonlySet<string>, tokens: readonly string[]) {
  const stored = new Set(tokens);
  for (const key of candidates) {
    for (const voter of voters) {
      const personId = personIds.get(voter)!;
      expect(stored.has(createHmac('sha256', key).update(personId).digest('hex'))).toBe(false);
      expect(
        stored.has(createHmac('sha256', Buffer.from(key, 'base64')).update(personId).digest('hex')),
      ).toBe(false);
    }
  }
}
