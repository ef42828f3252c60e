/**
 * The poll store on both databases: concurrent votes by one person make one vote, votes race a
 * close without being lost or counted after it, people outside the audience are refused with
 * nothing written, and at the close a group under the threshold takes every group label with it.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channelIdentities, pollSecrets, polls, pollVotes } from '../../../db/schema/index.ts';
import { closePoll } from '../../../src/domains/polls/close.ts';
import { openDuePoll } from '../../../src/domains/polls/posting.ts';
import { createPoll, pollLockKey } from '../../../src/domains/polls/store.ts';
import { castVote, openBallot } from '../../../src/domains/polls/votes.ts';
import { createKeyRing, generateDataKey } from '../../../src/kernel/crypto/sealed.ts';
import { databaseKinds, useDatabase } from '../../support/databases.ts';

const now = new Date('2026-07-01T02:00:00Z');
const keys = createKeyRing(generateDataKey());
const voter = (id: string) => ({ channel: 'lark' as const, sender: { externalId: id } });

describe.each(databaseKinds)('poll store on %s', (kind) => {
  const database = useDatabase(kind);

  async function openPoll(chats: string[], threshold = 3) {
    const poll = await createPoll(
      database.db,
      {
        question: '班车时间合适吗？',
        kind: 'single',
        options: ['合适', '不合适'],
        allowComment: false,
        audience: { kind: 'chats', chats: chats.map((chatId) => ({ channel: 'lark', chatId })) },
        opensAt: now,
        closesAt: new Date(now.getTime() + 3_600_000),
        threshold,
        commentThreshold: 10,
        remindAfterMinutes: null,
      },
      { now },
    );
    while ((await openDuePoll(database.db, { now, timeZone: 'Asia/Shanghai', keys })) !== null) {}
    return poll;
  }
  const vote = (pollId: string, who: string, chatId: string, answer: number, at = now) =>
    castVote(database.db, {
      pollId,
      voter: voter(who),
      chatId,
      answer,
      now: at,
      timeZone: 'Asia/Shanghai',
      keys,
    });

  it('keeps one vote per person when the same person clicks many times at once', async () => {
    const poll = await openPoll(['oc_one']);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => vote(poll.id, 'ou_same', 'oc_one', (i % 2) + 1)),
    );
    expect(results.filter((r) => r.outcome === 'recorded')).toHaveLength(1);
    expect(results.filter((r) => r.firstAnswer)).toHaveLength(1);
    expect(await database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id))).toHaveLength(1);
  });

  it('refuses someone the poll was not sent to, writing nothing (not even their person)', async () => {
    const poll = await openPoll(['oc_asked']);
    const result = await vote(poll.id, 'ou_stranger', 'oc_elsewhere', 1);
    expect(result.outcome).toBe('not_asked');
    expect(await database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id))).toHaveLength(0);
    const strangers = await database.db
      .select()
      .from(channelIdentities)
      .where(eq(channelIdentities.externalId, 'ou_stranger'));
    expect(strangers).toHaveLength(0);
  });

  it('counts every vote acknowledged before the close, and refuses every one after it', async () => {
    const poll = await openPoll(['oc_race']);
    const later = new Date(now.getTime() + 60_000);
    const outcomes = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        vote(poll.id, `ou_race_${i}`, 'oc_race', 1, later).then((r) => r.outcome),
      ),
      closePoll(database.db, poll.id, { now: later, timeZone: 'Asia/Shanghai', keys }).then(
        () => 'closed-now',
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        vote(poll.id, `ou_race_${20 + i}`, 'oc_race', 2, later).then((r) => r.outcome),
      ),
    ]);
    const recorded = outcomes.filter((o) => o === 'recorded').length;
    expect(recorded + outcomes.filter((o) => o === 'closed').length).toBe(40);
    const [closed] = await database.db.select().from(polls).where(eq(polls.id, poll.id));
    expect(closed!.status).toBe('closed');
    expect(closed!.results?.answers).toBe(recorded);
    expect(await database.db.select().from(pollSecrets).where(eq(pollSecrets.pollId, poll.id))).toHaveLength(
      0,
    );
  });

  // Two connections: a close in progress on one, a vote on the other (PGlite has one).
  it.runIf(kind === 'postgres')(
    'answers a vote at once, as closed, while the poll is being closed',
    async () => {
      const poll = await openPoll(['oc_closing']);
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked!: () => void;
      const taken = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // What a close holds while it counts: the poll's lock, alone.
      const closing = database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${pollLockKey(poll.id)})`);
        locked();
        await held;
      });
      await taken;
      // A vote that waited for the lock would never be answered while it is held.
      expect((await vote(poll.id, 'ou_closing', 'oc_closing', 1)).outcome).toBe('closed');
      expect(await database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id))).toHaveLength(0);
      // This "close" ends without closing: the poll takes votes again.
      release();
      await closing;
      expect((await vote(poll.id, 'ou_closing', 'oc_closing', 1)).outcome).toBe('recorded');
    },
  );

  it('drops every group label at the close when a group is smaller than the threshold', async () => {
    const poll = await openPoll(['oc_big', 'oc_small'], 3);
    for (let i = 0; i < 4; i++) await vote(poll.id, `ou_big_${i}`, 'oc_big', 1);
    for (let i = 0; i < 2; i++) await vote(poll.id, `ou_small_${i}`, 'oc_small', 2);
    const before = await database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id));
    // While open, a vote's answer and group are sealed in its ballot: no clear column says them.
    expect(before.every((v) => v.answer === null && v.segment === null && v.ballot?.startsWith('tx1.'))).toBe(
      true,
    );
    const ballots = await Promise.all(before.map((v) => openBallot(keys, v)));
    expect(new Set(ballots.map((b) => b.segment))).toEqual(new Set([1, 2]));
    const closed = await closePoll(database.db, poll.id, { now, timeZone: 'Asia/Shanghai', keys });
    const after = await database.db.select().from(pollVotes).where(eq(pollVotes.pollId, poll.id));
    // Dropping only the small group's label would leave it as the only unlabelled rows: all go.
    expect(after.filter((v) => v.segment === null)).toHaveLength(6);
    // The small group's two would follow from the total minus the big group: no breakdown at all.
    expect(closed!.results).toMatchObject({ answers: 6, shown: true, segments: null });
  });
});
