/**
 * 民意调查 in the database: creating polls, casting votes (the voter turned into a token before
 * anything is written), opening (posting to groups and people), the one reminder, and closing
 * (secret deleted, votes rewritten in random order, small groups merged away, results frozen).
 */
import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { ChannelName, Inbound } from '../../bots/core/messenger.ts';
import { type Db, queryRows } from '../../db/handle.ts';
import {
  type PollAudience,
  type PollResults,
  type PollRow,
  people,
  pollPostings,
  pollSecrets,
  polls,
  pollVotes,
} from '../../db/schema/index.ts';
import type { Lang } from '../../flows/engine/l10n.ts';
import { isAnswer, maxCommentLength, type PollKind } from '../../flows/polls/kinds.ts';
import { type PollView, pollMessage, resultsMessage, type VoteOutcome } from '../../flows/polls/messages.ts';
import { type CountRow, tally } from '../../flows/polls/tally.ts';
import { newCode } from '../../flows/polls/text-vote.ts';
import { newPollSecret, randomBelow, secureRandom, tokenSigner } from '../polls/token.ts';
import { inUnitTree, peopleWithReach } from './audience.ts';
import { responsibleContacts } from './officer-contacts.ts';
import { enqueue } from './outbox.ts';
import { resolvePerson } from './people.ts';

export interface NewPoll {
  question: string;
  kind: PollKind;
  options: string[];
  allowComment: boolean;
  audience: PollAudience;
  opensAt: Date;
  closesAt: Date;
  threshold: number;
  commentThreshold: number;
  remindAfterMinutes: number | null;
}

export function pollView(row: PollRow): PollView & { commentThreshold: number } {
  return {
    id: row.id,
    no: row.no,
    code: row.code,
    question: row.question,
    kind: row.kind,
    options: row.options,
    allowComment: row.allowComment,
    closesAt: row.closesAt.toISOString(),
    threshold: row.threshold,
    commentThreshold: row.commentThreshold,
  };
}

/** Writes a poll with a fresh code (drawn again on the rare clash). */
export async function createPoll(
  tx: Db,
  poll: NewPoll,
  opts: { now: Date; createdBy?: string | null; scheduleId?: string | null },
): Promise<PollRow> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const [row] = await tx
      .insert(polls)
      .values({
        ...poll,
        code: newCode(randomBelow),
        createdBy: opts.createdBy ?? null,
        scheduleId: opts.scheduleId ?? null,
        createdAt: opts.now,
      })
      .onConflictDoNothing({ target: polls.code })
      .returning();
    if (row) return row;
  }
  throw new Error('no free poll code');
}

export async function findPoll(db: Db, id: string): Promise<PollRow | null> {
  const [row] = await db.select().from(polls).where(eq(polls.id, id));
  return row ?? null;
}

export async function findPollByCode(db: Db, code: string): Promise<PollRow | null> {
  const [row] = await db.select().from(polls).where(eq(polls.code, code.toUpperCase()));
  return row ?? null;
}

export async function findPollByNo(db: Db, no: number): Promise<PollRow | null> {
  const [row] = await db.select().from(polls).where(eq(polls.no, no));
  return row ?? null;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone (votes keep no finer time). */
export function dayIn(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** Seals a poll's secret at rest and opens it for use (the app's key ring). */
export interface PollKeys {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

/** Whether this channel id is a member of that group chat (for answers by code in a private chat). */
export type GroupMember = (channel: ChannelName, groupChatId: string, externalId: string) => Promise<boolean>;

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
  /** True the first time this person voted in any poll: the reply then carries the privacy statement. */
  firstTime: boolean;
}

/** A refusal after something was written (a new person): thrown, so the transaction rolls back. */
class Refused extends Error {
  constructor(readonly result: VoteResult) {
    super(result.outcome);
  }
}

/**
 * Who may answer: anyone in a posted group (a click there), anyone asked in private (the people
 * of the audience at opening, and group members sent the reminder), and, by code in a private
 * chat, a member of a posted group. Resolves to the vote's group (its posting number) or null,
 * or false for someone who was not asked.
 */
async function eligibility(tx: Db, poll: PollRow, req: VoteRequest): Promise<number | null | false> {
  const { channel, sender } = req.voter;
  const postings = await queryRows<{ no: number; grp: boolean; chat_id: string; person_id: string | null }>(
    tx,
    sql`select p.no, p."group" as grp, p.chat_id, p.person_id from poll_postings p
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
 * Records a vote, or replaces the voter's earlier one, in one transaction. The poll is read
 * first: an unknown, closed or not yet open poll, an answer it does not have, a comment it does
 * not take, or someone it did not ask is refused, and nothing is written.
 */
export async function castVote(db: Db, req: VoteRequest): Promise<VoteResult> {
  try {
    return await db.transaction((tx) => voteIn(tx, req));
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

async function voteIn(tx: Db, req: VoteRequest): Promise<VoteResult> {
  const refuse = (outcome: VoteOutcome, lang: Lang = 'zh'): never => {
    throw new Refused({ outcome, lang, firstTime: false });
  };
  // The open poll and its secret in one read, held in share so a close waits for this vote
  // (and this vote, once the close has committed, finds the poll closed).
  const [open] = await tx
    .select({
      poll: polls,
      secret: pollSecrets.secret,
      // A click in a posted group (the common case) is answered here, without a second read.
      group: sql<number | null>`(select p.no from poll_postings p where p.poll_id = ${polls.id}
        and p.channel = ${req.voter.channel} and p."group" and p.chat_id = ${req.chatId} limit 1)`,
    })
    .from(polls)
    .innerJoin(pollSecrets, eq(pollSecrets.pollId, polls.id))
    .where(and(eq(polls.id, req.pollId), eq(polls.status, 'open'), gt(polls.closesAt, req.now)))
    .for('share', { of: polls });
  if (!open) {
    const [poll] = await tx.select({ status: polls.status }).from(polls).where(eq(polls.id, req.pollId));
    return refuse(!poll ? 'unknown' : poll.status === 'scheduled' ? 'not_open' : 'closed');
  }
  const { poll } = open;
  if (req.answer !== undefined && !isAnswer(poll, req.answer)) refuse('invalid_answer');
  const comment = req.comment?.trim() ?? '';
  if (comment.length > 0 && !poll.allowComment) refuse('comment_not_allowed');
  if ([...comment].length > maxCommentLength) refuse('comment_too_long');
  if (req.answer === undefined && comment.length === 0) refuse('invalid_answer');
  const segment = open.group !== null ? Number(open.group) : await eligibility(tx, poll, req);
  if (segment === false) return refuse('not_asked');

  const person = await resolvePerson(tx, req.voter);
  const token = await (await tokenSigner(await req.keys.open(open.secret)))(person.id);
  const lang = person.language;
  let outcome: VoteOutcome;
  if (req.answer === undefined) {
    const updated = await tx
      .update(pollVotes)
      .set({ comment })
      .where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.token, token)))
      .returning({ token: pollVotes.token });
    if (updated.length === 0) return refuse('comment_needs_vote', lang);
    outcome = 'commented';
  } else {
    const votedOn = dayIn(req.now, req.timeZone);
    const [row] = await tx
      .insert(pollVotes)
      .values({ pollId: poll.id, token, answer: req.answer, comment: comment || null, segment, votedOn })
      .onConflictDoUpdate({
        target: [pollVotes.pollId, pollVotes.token],
        set: { answer: req.answer, segment, votedOn, ...(comment ? { comment } : {}) },
      })
      // xmax is 0 on a row this statement inserted, and set on one it updated.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    outcome = row?.inserted ? 'recorded' : 'replaced';
  }
  if (person.pollNoticeSeen) return { outcome, lang, firstTime: false };
  const first = await tx
    .update(people)
    .set({ pollNoticeSeen: true })
    .where(and(eq(people.id, person.id), eq(people.pollNoticeSeen, false)))
    .returning({ id: people.id });
  return { outcome, lang, firstTime: first.length > 0 };
}

/** A person asked in private: their latest private chat, or their Lark open_id. */
interface Reachable {
  personId: string;
  channel: ChannelName;
  chatId: string;
}

async function audiencePeople(db: Db, audience: PollAudience): Promise<Reachable[]> {
  if (audience.kind === 'chats') return [];
  const inUnits = audience.kind === 'units' ? inUnitTree(audience.unitIds) : sql``;
  const rows = await queryRows<{ id: string; channel: ChannelName; chat_id: string }>(
    db,
    sql`select p.id, reach.channel, reach.chat_id from ${peopleWithReach}
        where reach.chat_id is not null ${inUnits}
        order by p.id`,
  );
  return rows.map((r) => ({ personId: r.id, channel: r.channel, chatId: r.chat_id }));
}

/** Large audiences go out as bulk, behind replies and notices. */
const bulkFrom = 50;

/**
 * Opens one due poll: its secret, a posting per group and per person asked, and the poll message
 * to each, in one transaction. Resolves to whether one was opened.
 */
export async function openDuePoll(
  db: Db,
  opts: { now: Date; timeZone: string; keys: PollKeys },
): Promise<PollRow | null> {
  return db.transaction(async (tx) => {
    const [poll] = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.status, 'scheduled'), lte(polls.opensAt, opts.now)))
      .orderBy(asc(polls.opensAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!poll) return null;
    // Sealed with the app's key: a copy of the database alone does not hold a usable secret.
    await tx.insert(pollSecrets).values({ pollId: poll.id, secret: await opts.keys.seal(newPollSecret()) });
    const groups =
      poll.audience.kind === 'chats'
        ? [...new Map(poll.audience.chats.map((c) => [`${c.channel}:${c.chatId}`, c])).values()]
        : [];
    const persons = await audiencePeople(tx, poll.audience);
    const postings = [
      ...groups.map((g) => ({ channel: g.channel, chatId: g.chatId, group: true, personId: null })),
      ...persons.map((p) => ({ channel: p.channel, chatId: p.chatId, group: false, personId: p.personId })),
    ].map((p, i) => ({ ...p, pollId: poll.id, no: i + 1 }));
    for (let i = 0; i < postings.length; i += 1000)
      await tx.insert(pollPostings).values(postings.slice(i, i + 1000));
    const message = pollMessage(pollView(poll), opts.timeZone);
    const bulk = postings.length >= bulkFrom;
    for (let i = 0; i < postings.length; i += 1000) {
      await enqueue(
        tx,
        postings
          .slice(i, i + 1000)
          .map((p) => ({ channel: p.channel as ChannelName, chatId: p.chatId, message, bulk })),
      );
    }
    const [opened] = await tx.update(polls).set({ status: 'open' }).where(eq(polls.id, poll.id)).returning();
    return opened ?? null;
  });
}

/** Who is in a group chat, by the channel's ids; null when the channel cannot say. */
export type ChatMembers = (channel: ChannelName, chatId: string) => Promise<string[] | null>;

/** The open poll whose one reminder is due, if any. */
export async function dueReminder(db: Db, now: Date): Promise<PollRow | null> {
  const [poll] = await db
    .select()
    .from(polls)
    .where(
      and(
        eq(polls.status, 'open'),
        sql`${polls.remindedAt} is null`,
        sql`${polls.remindAfterMinutes} is not null`,
        sql`${polls.opensAt} + make_interval(mins => ${polls.remindAfterMinutes}) <= ${now}`,
        sql`${polls.closesAt} > ${now}`,
      ),
    )
    .orderBy(asc(polls.opensAt))
    .limit(1);
  return poll ?? null;
}

/**
 * Sends the poll's one reminder: to every person asked and every member of its groups whose
 * token is absent, privately, the same message to each. Members the bot has never met cannot
 * have voted and are reminded by their channel id. `members` lists each group (fetched before,
 * outside the transaction); a group it could not list is left out.
 */
export async function sendPollReminder(
  db: Db,
  pollId: string,
  members: ReadonlyMap<string, { channel: ChannelName; externalIds: readonly string[] }>,
  opts: { now: Date; timeZone: string; keys: PollKeys },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [poll] = await tx
      .select()
      .from(polls)
      .where(
        and(
          eq(polls.id, pollId),
          eq(polls.status, 'open'),
          sql`${polls.remindedAt} is null`,
          gt(polls.closesAt, opts.now),
        ),
      )
      // Waits for votes in progress (they hold the poll in share); another instance's reminder
      // is seen as sent once its lock is released.
      .for('update');
    if (!poll) return 0;
    const [secret] = await tx.select().from(pollSecrets).where(eq(pollSecrets.pollId, poll.id));
    if (!secret) return 0;
    const sign = await tokenSigner(await opts.keys.open(secret.secret));
    const voted = new Set(
      (await tx.select({ token: pollVotes.token }).from(pollVotes).where(eq(pollVotes.pollId, poll.id))).map(
        (r) => r.token,
      ),
    );
    /** Person id (or, for people never met, channel:id) → where to reach them. */
    const targets = new Map<string, { personId: string | null; channel: ChannelName; chatId: string }>();
    const privatePostings = await tx
      .select()
      .from(pollPostings)
      .where(and(eq(pollPostings.pollId, poll.id), eq(pollPostings.group, false)));
    for (const p of privatePostings) {
      if (p.personId)
        targets.set(p.personId, {
          personId: p.personId,
          channel: p.channel as ChannelName,
          chatId: p.chatId,
        });
    }
    for (const group of members.values()) {
      const known = group.externalIds.length
        ? await queryRows<{ person_id: string; external_id: string }>(
            tx,
            sql`select person_id, external_id from channel_identities
                where channel = ${group.channel} and external_id in (${sql.join(
                  group.externalIds.map((id) => sql`${id}`),
                  sql`, `,
                )})`,
          )
        : [];
      const byId = new Map(known.map((k) => [k.external_id, k.person_id]));
      for (const externalId of group.externalIds) {
        const personId = byId.get(externalId) ?? null;
        const key = personId ?? `${group.channel}:${externalId}`;
        if (!targets.has(key)) targets.set(key, { personId, channel: group.channel, chatId: externalId });
      }
    }
    const due: { personId: string | null; channel: ChannelName; chatId: string }[] = [];
    for (const target of targets.values()) {
      if (target.personId && voted.has(await sign(target.personId))) continue;
      due.push(target);
    }
    // Group members reminded in private are asked in private too: their answers there count.
    const asked = new Set(privatePostings.map((p) => p.personId));
    const fresh = due.filter((d) => !d.personId || !asked.has(d.personId));
    const [top] = await tx
      .select({ no: sql<number>`coalesce(max(${pollPostings.no}), 0)::int` })
      .from(pollPostings)
      .where(eq(pollPostings.pollId, poll.id));
    const start = Number(top?.no ?? 0);
    const rows = fresh.map((d, i) => ({
      pollId: poll.id,
      no: start + i + 1,
      channel: d.channel,
      // A member is reached, and recognised when answering, by their channel id.
      chatId: d.chatId,
      group: false,
      personId: d.personId,
    }));
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(pollPostings).values(rows.slice(i, i + 1000));
    const message = pollMessage(pollView(poll), opts.timeZone, { reminder: true });
    const bulk = due.length >= bulkFrom;
    for (let i = 0; i < due.length; i += 1000) {
      await enqueue(
        tx,
        due.slice(i, i + 1000).map((d) => ({ channel: d.channel, chatId: d.chatId, message, bulk })),
      );
    }
    await tx.update(polls).set({ remindedAt: opts.now }).where(eq(polls.id, poll.id));
    return due.length;
  });
}

/** The group chats a poll was posted to, with their posting numbers. */
export async function groupPostings(db: Db, pollId: string) {
  return db
    .select()
    .from(pollPostings)
    .where(and(eq(pollPostings.pollId, pollId), eq(pollPostings.group, true)))
    .orderBy(asc(pollPostings.no));
}

/** How many gave each answer, per group: the whole tally in one aggregate. */
async function countRows(db: Db, pollId: string): Promise<CountRow[]> {
  const rows = await db
    .select({ segment: pollVotes.segment, answer: pollVotes.answer, n: sql<number>`count(*)::int` })
    .from(pollVotes)
    .where(eq(pollVotes.pollId, pollId))
    .groupBy(pollVotes.segment, pollVotes.answer);
  return rows.map((r) => ({ segment: r.segment, answer: r.answer, n: Number(r.n) }));
}

/** The results of a poll's votes as they stand (the tally a close freezes). */
export async function tallyPoll(
  db: Db,
  poll: PollRow,
  random: () => number = secureRandom,
): Promise<PollResults> {
  const rows = await countRows(db, poll.id);
  const comments = poll.allowComment
    ? (
        await db
          .select({ comment: pollVotes.comment })
          .from(pollVotes)
          .where(and(eq(pollVotes.pollId, poll.id), sql`${pollVotes.comment} is not null`))
      ).map((r) => r.comment ?? '')
    : [];
  const labels = new Map((await groupPostings(db, poll.id)).map((p) => [p.no, p.chatId]));
  return tally(poll, rows, comments, labels, random);
}

/** The open poll due to close, if any. */
export async function dueClose(db: Db, now: Date): Promise<PollRow | null> {
  const [poll] = await db
    .select()
    .from(polls)
    .where(and(eq(polls.status, 'open'), lte(polls.closesAt, now)))
    .orderBy(asc(polls.closesAt))
    .limit(1);
  return poll ?? null;
}

/**
 * Closes a poll in one transaction. The secret is deleted and the results frozen; then every
 * vote is written again keeping only what the frozen results could show: the answer, the group
 * where the breakdown by group is shown (else none), the closing day, a fresh random token and
 * no comment (comments live on in the results, and only when enough were written). The rows go
 * back in an order drawn from a strong random source, so neither their order on disk nor the
 * transaction that wrote them tells when each was cast. Reminders sent for the poll, which say
 * who had not answered, are deleted. The results go to each group and to the officers.
 */
export async function closePoll(
  db: Db,
  pollId: string,
  opts: { now: Date; timeZone: string; random?: () => number },
): Promise<PollRow | null> {
  const random = opts.random ?? secureRandom;
  return db.transaction(async (tx) => {
    const [poll] = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), eq(polls.status, 'open')))
      // Waits for votes in progress: each is counted, or (once this commits) refused as closed.
      .for('update');
    if (!poll) return null;
    await tx.delete(pollSecrets).where(eq(pollSecrets.pollId, poll.id));
    const results = await tallyPoll(tx, poll, random);
    const keepGroups = (results.segments?.length ?? 0) > 0;
    await tx.execute(sql`
      with moved as (
        delete from poll_votes where poll_id = ${poll.id} returning poll_id, answer, segment)
      insert into poll_votes (poll_id, token, answer, comment, segment, voted_on)
      select poll_id,
             replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''),
             answer, null, ${keepGroups ? sql`segment` : sql`null`}, ${dayIn(opts.now, opts.timeZone)}::date
      from moved order by gen_random_uuid()`);
    await tx.execute(sql`
      delete from outbox where status <> 'sending' and payload->>'type' = 'poll'
        and payload->>'pollId' = ${poll.id} and payload ? 'notice'`);
    await tx.execute(sql`
      delete from web_chat_messages where direction = 'out' and payload->>'type' = 'poll'
        and payload->>'pollId' = ${poll.id} and payload ? 'notice'`);
    const [closed] = await tx
      .update(polls)
      .set({ status: 'closed', closedAt: opts.now, results })
      .where(eq(polls.id, poll.id))
      .returning();
    const view = pollView(poll);
    const groups = await groupPostings(tx, poll.id);
    await enqueue(
      tx,
      groups.map((g) => ({
        channel: g.channel as ChannelName,
        chatId: g.chatId,
        message: resultsMessage(view, results, 'both', { forOfficers: false }),
      })),
    );
    const officers = await resultReaders(tx, poll);
    await enqueue(
      tx,
      officers.map((o) => ({
        channel: o.channel,
        chatId: o.chatId,
        message: resultsMessage(view, results, o.language, { forOfficers: true }),
      })),
    );
    return closed ?? null;
  });
}

/** Who gets the officers' results: the officer who started it, and those responsible for its audience. */
async function resultReaders(db: Db, poll: PollRow) {
  const units = poll.audience.kind === 'units' ? poll.audience.unitIds : [null];
  const found = new Map<string, Awaited<ReturnType<typeof responsibleContacts>>[number]>();
  for (const unit of units) {
    for (const contact of await responsibleContacts(db, unit, unit ? ['officer', 'admin'] : ['admin'])) {
      found.set(contact.personId, contact);
    }
  }
  if (poll.createdBy && !found.has(poll.createdBy)) {
    for (const contact of await responsibleContacts(db, null, ['officer', 'admin'])) {
      if (contact.personId === poll.createdBy) found.set(contact.personId, contact);
    }
  }
  return [...found.values()];
}

/** Ends a poll before it closed, without results: its secret and votes are deleted. */
export async function cancelPoll(db: Db, pollId: string, now: Date): Promise<PollRow | null> {
  return db.transaction(async (tx) => {
    const [poll] = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), inArray(polls.status, ['scheduled', 'open'])))
      .for('update');
    if (!poll) return null;
    await tx.delete(pollSecrets).where(eq(pollSecrets.pollId, poll.id));
    await tx.delete(pollVotes).where(eq(pollVotes.pollId, poll.id));
    const [row] = await tx
      .update(polls)
      .set({ status: 'cancelled', closedAt: now })
      .where(eq(polls.id, poll.id))
      .returning();
    return row ?? null;
  });
}

export async function listPolls(db: Db, opts: { scheduleId?: string; limit?: number } = {}) {
  return db
    .select()
    .from(polls)
    .where(opts.scheduleId ? eq(polls.scheduleId, opts.scheduleId) : undefined)
    .orderBy(desc(polls.opensAt), desc(polls.no))
    .limit(opts.limit ?? 100);
}
