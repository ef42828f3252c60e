/**
 * Casting a vote. The voter becomes a token, HMAC(poll secret, person id), before anything is
 * written; the answer, comment and group are sealed with the data key into the vote's ballot, so
 * while the poll is open no row tells who chose what, in whatever order the rows sit. The vote's
 * transaction writes nothing else: a person met for the first time is recorded beforehand, in a
 * transaction of their own, and only once every check has passed.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Inbound } from '../../../bots/core/messenger.ts';
import { type Db, queryRows } from '../../../db/handle.ts';
import { type PollRow, pollSecrets, polls, pollVotes } from '../../../db/schema/index.ts';
import { storableText } from '../../../db/storable.ts';
import { isAnswer, maxCommentLength } from '../../../flows/polls/kinds.ts';
import type { VoteOutcome } from '../../../flows/polls/messages.ts';
import type { Lang } from '../../../kernel/l10n.ts';
import { tokenSigner } from '../../kernel/crypto/voter-token.ts';
import { findPerson, resolvePerson } from '../people/people.ts';
import { dayIn, type GroupMember, type PollKeys, pollLockKey } from './store.ts';

export interface VoteRequest {
  pollId: string;
  /** Who clicked or typed, as the channel names them: turned into a token here and kept nowhere. */
  voter: Pick<Inbound, 'channel' | 'sender'>;
  /** The chat the vote came from (a posted group gives the vote its group). */
  chatId: string;
  answer?: number;
  comment?: string;
  now: Date;
  timeZone: string;
  keys: PollKeys;
  /** For a vote by code in a private chat on a group poll: asks the platform who is in the group. */
  groupMember?: GroupMember;
}

export interface VoteResult {
  outcome: VoteOutcome;
  /** The voter's language, for the reply. */
  lang: Lang;
  /** The person's first answer to this poll: the reply then says what is stored and who can see it. */
  firstAnswer: boolean;
}

/** What a ballot seals. */
export interface Ballot {
  answer: number;
  comment: string | null;
  segment: number | null;
}

const refused = (outcome: VoteOutcome, lang: Lang = 'zh'): VoteResult => ({
  outcome,
  lang,
  firstAnswer: false,
});

/** The poll while it takes votes, and its secret, read without a lock (the vote's transaction checks it is still open). */
async function openPoll(db: Db, req: VoteRequest): Promise<{ poll: PollRow; secret: string } | VoteOutcome> {
  const [row] = await db
    .select({ poll: polls, secret: pollSecrets.secret })
    .from(polls)
    .leftJoin(pollSecrets, eq(pollSecrets.pollId, polls.id))
    .where(eq(polls.id, req.pollId));
  if (!row) return 'unknown';
  const { poll, secret } = row;
  if (poll.status === 'scheduled') return 'not_open';
  if (poll.status !== 'open' || poll.closesAt <= req.now || !secret) return 'closed';
  return { poll, secret };
}

/**
 * Who may answer: anyone in a posted group (a click there), anyone asked in private (the people
 * of the audience at opening, and group members sent the reminder), and, by code in a private
 * chat, a member of a posted group. Resolves to the vote's group (its posting number) or null,
 * or false for someone who was not asked.
 */
async function eligibility(db: Db, poll: PollRow, req: VoteRequest): Promise<number | null | false> {
  const { channel, sender } = req.voter;
  const postings = await queryRows<{ no: number; grp: boolean; chat_id: string }>(
    db,
    sql`select p.no, p."group" as grp, p.chat_id from poll_postings p
        where p.poll_id = ${poll.id} and p.channel = ${channel}
          and (p."group" or p.chat_id in (${req.chatId}, ${sender.externalId})
               or p.person_id = (select ci.person_id from channel_identities ci
                                 where ci.channel = ${channel} and ci.external_id = ${sender.externalId}))`,
  );
  const inGroup = postings.find((p) => p.grp && p.chat_id === req.chatId);
  if (inGroup) return Number(inGroup.no);
  if (postings.some((p) => !p.grp)) return null;
  if (req.groupMember) {
    for (const group of postings.filter((p) => p.grp)) {
      if (await req.groupMember(channel, group.chat_id, sender.externalId)) return null;
    }
  }
  return false;
}

/**
 * Records a vote, or replaces the voter's earlier one. An unknown, closed or not yet open poll,
 * an answer it does not have, a comment it does not take, or someone it did not ask is refused,
 * and nothing is written.
 */
export async function castVote(db: Db, req: VoteRequest): Promise<VoteResult> {
  const open = await openPoll(db, req);
  if (typeof open === 'string') return refused(open);
  const { poll } = open;
  if (req.answer !== undefined && !isAnswer(poll, req.answer)) return refused('invalid_answer');
  // Text from a card or a chat may carry what the database cannot hold (see db/storable.ts).
  const comment = storableText(req.comment?.trim() ?? '');
  if (comment.length > 0 && !poll.allowComment) return refused('comment_not_allowed');
  if ([...comment].length > maxCommentLength) return refused('comment_too_long');
  if (req.answer === undefined && comment.length === 0) return refused('invalid_answer');
  const segment = await eligibility(db, poll, req);
  if (segment === false) return refused('not_asked');

  const person =
    (await findPerson(db, req.voter.channel, req.voter.sender.externalId)) ??
    (await db.transaction((tx) => resolvePerson(tx, req.voter, { looked: true })));
  // The secret cannot change while the poll is open; the transaction finds out whether it still is.
  const token = await (await tokenSigner(await req.keys.open(open.secret)))(person.id);
  const outcome = await db.transaction(async (tx) => {
    // The poll's lock, shared with every other vote, so a close or a cancel (which takes it alone)
    // waits for this vote. While one holds it or waits for it, the poll is ending: the vote is
    // refused at once rather than hold its place in the queue (and every poll's votes behind it)
    // for as long as a large close takes.
    const [lock] = await queryRows<{ held: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock_shared(${pollLockKey(poll.id)}) as held`,
    );
    if (!lock?.held) return 'closed' as const;
    // One voter's clicks at once take turns here, so each finds the vote the one before it wrote
    // (there is no row to lock before the first one). Taken after the poll's lock, always.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`poll-vote:${poll.id}:${token}`}, 0))`,
    );
    // Both read after the locks: whether the poll is still open, and this voter's vote so far.
    const [still] = await tx
      .select({ earlier: pollVotes })
      .from(polls)
      .leftJoin(pollVotes, and(eq(pollVotes.pollId, polls.id), eq(pollVotes.token, token)))
      .where(and(eq(polls.id, poll.id), eq(polls.status, 'open'), gt(polls.closesAt, req.now)));
    if (!still) return 'closed' as const;
    const earlier = still.earlier;
    const before = earlier ? await openBallot(req.keys, earlier) : null;
    if (req.answer === undefined && !before) return 'comment_needs_vote' as const;
    const ballot: Ballot = {
      answer: req.answer ?? before!.answer,
      // A new answer without a comment keeps the comment given before.
      comment: comment || before?.comment || null,
      segment: req.answer === undefined ? (before?.segment ?? null) : segment,
    };
    // The same answer again (a second press to see that the first one counted) writes nothing,
    // and is told what a changed answer is told.
    if (
      before &&
      req.answer !== undefined &&
      before.answer === ballot.answer &&
      (before.comment ?? null) === ballot.comment &&
      (before.segment ?? null) === ballot.segment
    )
      return 'replaced' as const;
    const sealed = {
      ballot: await req.keys.seal(JSON.stringify(ballot)),
      answer: null,
      comment: null,
      segment: null,
      votedOn: dayIn(req.now, req.timeZone),
    };
    await tx
      .insert(pollVotes)
      .values({ pollId: poll.id, token, ...sealed })
      .onConflictDoUpdate({ target: [pollVotes.pollId, pollVotes.token], set: sealed });
    return req.answer === undefined
      ? ('commented' as const)
      : earlier
        ? ('replaced' as const)
        : ('recorded' as const);
  });
  if (outcome === 'closed' || outcome === 'comment_needs_vote') return refused(outcome, person.language);
  return { outcome, lang: person.language, firstAnswer: outcome === 'recorded' };
}

/** A stored vote's content: its sealed ballot, or (a vote cast before ballots were sealed) its columns. */
export async function openBallot(
  keys: Pick<PollKeys, 'open'>,
  row: { ballot: string | null; answer: number | null; comment: string | null; segment: number | null },
): Promise<Ballot> {
  if (row.ballot) return JSON.parse(await keys.open(row.ballot)) as Ballot;
  return { answer: row.answer ?? 0, comment: row.comment, segment: row.segment };
}
