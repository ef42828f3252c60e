/**
 * Closing a poll, in one transaction: the secret is deleted; the ballots are opened and counted;
 * what may be published is decided (thresholds, verified members only, no differencing with a
 * poll published lately); every vote is written again keeping only what the results could show,
 * with a fresh random token, in random order; reminders and private postings, which say who was
 * asked or had not answered, are deleted; the results go to each group and to the officers.
 * Cancelling deletes the secret, the votes and the same records, without results.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/handle.ts';
import {
  outbox,
  type PollResults,
  type PollRow,
  pollPostings,
  pollSecrets,
  polls,
  pollVotes,
  webChatMessages,
} from '../../../db/schema/index.ts';
import { countRows, publishableComments, rewrittenVotes } from '../../../flows/polls/close.ts';
import { disclose, overlappingPoll, type PublishedAudience } from '../../../flows/polls/disclosure.ts';
import { resultsMessage } from '../../../flows/polls/messages.ts';
import { tally } from '../../../flows/polls/tally.ts';
import { hex } from '../../kernel/crypto/sealed.ts';
import { tokenSigner } from '../../kernel/crypto/voter-token.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { verifiedOnly } from '../people/audience.ts';
import { responsibleContacts, tellContacts } from '../people/officer-contacts.ts';
import { reminderTopic } from './posting.ts';
import { dayIn, groupPostings, type PollKeys, pollLockKey, pollView } from './store.ts';
import { secureRandom } from './token.ts';
import { openBallot } from './votes.ts';

/** Days within which a published poll's audience is compared with a closing one's (the differencing rule). */
export const defaultOverlapDays = 90;

export interface CloseOptions {
  now: Date;
  timeZone: string;
  keys: PollKeys;
  random?: () => number;
  overlapDays?: number;
}

/** A vote's token after the close: 32 fresh random bytes, linked to nothing. */
const freshToken = () => hex(crypto.getRandomValues(new Uint8Array(32)));

/** Every vote of the poll, opened. */
async function openVotes(db: Db, keys: PollKeys, pollId: string) {
  const rows = await db.select().from(pollVotes).where(eq(pollVotes.pollId, pollId));
  return Promise.all(rows.map(async (row) => ({ token: row.token, ...(await openBallot(keys, row)) })));
}

/**
 * The tokens of votes from people who are not verified members. Only a web visitor can be one, and
 * only where a poll was sent to their chat, or (from before this rule) asked them in private.
 */
async function unverifiedTokens(
  db: Db,
  poll: PollRow,
  secret: string | null,
  tokens: ReadonlySet<string>,
): Promise<Set<string>> {
  const found = new Set<string>();
  if (!secret || tokens.size === 0) return found;
  const candidates = await queryRows<{ id: string }>(
    db,
    sql`select distinct p.id from poll_postings pp
        join channel_identities ci on pp."group" and ci.channel = pp.channel and ci.external_id = pp.chat_id
          or not pp."group" and ci.person_id = pp.person_id
        join people p on p.id = ci.person_id
        where pp.poll_id = ${poll.id}
          and not (true ${verifiedOnly})`,
  );
  const sign = await tokenSigner(secret);
  for (const { id } of candidates) {
    const token = await sign(id);
    if (tokens.has(token)) found.add(token);
  }
  return found;
}

/** Polls published within the last days, with their audiences, hashed under the closing poll's keys. */
async function recentlyPublished(db: Db, poll: PollRow, since: Date): Promise<PublishedAudience[]> {
  const rows = await db
    .select({
      no: polls.no,
      threshold: polls.threshold,
      results: polls.results,
      digest: polls.audienceDigest,
    })
    .from(polls)
    .where(and(eq(polls.status, 'closed'), gt(polls.closedAt, since), sql`${polls.id} <> ${poll.id}`));
  return rows
    .filter((r) => r.results?.shown && r.digest)
    .map((r) => ({
      no: r.no,
      threshold: r.threshold,
      members: new Set(r.digest!.members),
      key: r.digest!.key,
    }))
    .filter((r) => r.key === poll.audienceDigest?.key);
}

/** Closes an open poll; resolves to the closed poll, or null when it was not open. */
export async function closePoll(db: Db, pollId: string, opts: CloseOptions): Promise<PollRow | null> {
  const random = opts.random ?? secureRandom;
  return db.transaction(async (tx) => {
    // Waits for votes in progress: each is counted, or (once this commits) refused as closed.
    await tx.execute(sql`select pg_advisory_xact_lock(${pollLockKey(pollId)})`);
    const [poll] = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), eq(polls.status, 'open')))
      .for('update');
    if (!poll) return null;
    // One close at a time: a close sees every poll closed before it (the differencing rule).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tongxin:poll-close'))`);
    const [stored] = await tx.select().from(pollSecrets).where(eq(pollSecrets.pollId, poll.id));
    const secret = stored ? await opts.keys.open(stored.secret) : null;
    await tx.delete(pollSecrets).where(eq(pollSecrets.pollId, poll.id));
    const votes = await openVotes(tx, opts.keys, poll.id);
    const unverified = await unverifiedTokens(tx, poll, secret, new Set(votes.map((v) => v.token)));
    const labels = new Map((await groupPostings(tx, poll.id)).map((p) => [p.no, p.chatId]));
    const counted = tally(
      poll,
      countRows(votes),
      poll.allowComment ? publishableComments(votes, unverified) : [],
      labels,
      random,
    );
    const since = new Date(opts.now.getTime() - (opts.overlapDays ?? defaultOverlapDays) * 86_400_000);
    const audience = poll.audienceDigest ? new Set(poll.audienceDigest.members) : null;
    const results: PollResults = disclose(counted, {
      threshold: poll.threshold,
      unverified: unverified.size,
      overlapsPoll: audience
        ? overlappingPoll(audience, poll.threshold, await recentlyPublished(tx, poll, since))
        : null,
    });
    const keepGroups = (results.segments?.length ?? 0) > 0;
    const closingDay = dayIn(opts.now, opts.timeZone);
    await tx.delete(pollVotes).where(eq(pollVotes.pollId, poll.id));
    const rewritten = rewrittenVotes(votes, {
      keepGroups,
      day: closingDay,
      random: secureRandom,
      freshToken,
    }).map((v) => ({ ...v, pollId: poll.id }));
    for (let i = 0; i < rewritten.length; i += 1000)
      await tx.insert(pollVotes).values(rewritten.slice(i, i + 1000));
    await forgetWhoWasAsked(tx, poll.id);
    const [closed] = await tx
      .update(polls)
      .set({ status: 'closed', closedAt: opts.now, results })
      .where(eq(polls.id, poll.id))
      .returning();
    const view = pollView(poll);
    const groups = await groupPostings(tx, poll.id);
    await enqueue(
      tx,
      opts.keys,
      groups.map((g) => ({
        channel: g.channel,
        chatId: g.chatId,
        message: resultsMessage(view, results, 'both', { forOfficers: false }),
      })),
    );
    const officers = await resultReaders(tx, poll);
    await tellContacts(tx, opts.keys, officers, (language) =>
      resultsMessage(view, results, language, { forOfficers: true }),
    );
    return closed ?? null;
  });
}

/**
 * Deletes what says who was asked in private or reminded (and so who had not answered by then):
 * the private postings, and the reminders not yet sent or already delivered to the web chat.
 */
async function forgetWhoWasAsked(tx: Db, pollId: string): Promise<void> {
  await tx.delete(pollPostings).where(and(eq(pollPostings.pollId, pollId), eq(pollPostings.group, false)));
  await tx
    .delete(outbox)
    .where(
      and(eq(outbox.topic, reminderTopic(pollId)), inArray(outbox.status, ['pending', 'sent', 'failed'])),
    );
  await tx.delete(webChatMessages).where(eq(webChatMessages.topic, reminderTopic(pollId)));
}

/**
 * Reminders of polls closed in the last minutes that were on their way at the close (it leaves a
 * row being sent alone) are deleted once they have gone, with the web chat's copies of them.
 */
export async function forgetLateReminders(db: Db, now: Date): Promise<void> {
  const since = new Date(now.getTime() - 10 * 60_000);
  await db.execute(sql`
    delete from outbox o using polls p
    where p.status in ('closed', 'cancelled') and p.closed_at > ${since}
      and o.topic = 'poll-reminder:' || p.id::text and o.status <> 'sending'`);
  await db.execute(sql`
    delete from web_chat_messages w using polls p
    where p.status in ('closed', 'cancelled') and p.closed_at > ${since}
      and w.topic = 'poll-reminder:' || p.id::text`);
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

/** Ends a poll before it closed, without results: its secret, votes and who was asked are deleted. */
export async function cancelPoll(db: Db, pollId: string, now: Date): Promise<PollRow | null> {
  return db.transaction(async (tx) => {
    // Like a close, between votes.
    await tx.execute(sql`select pg_advisory_xact_lock(${pollLockKey(pollId)})`);
    const [poll] = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), inArray(polls.status, ['scheduled', 'open'])))
      .for('update');
    if (!poll) return null;
    await tx.delete(pollSecrets).where(eq(pollSecrets.pollId, poll.id));
    await tx.delete(pollVotes).where(eq(pollVotes.pollId, poll.id));
    await forgetWhoWasAsked(tx, poll.id);
    const [row] = await tx
      .update(polls)
      .set({ status: 'cancelled', closedAt: now })
      .where(eq(polls.id, poll.id))
      .returning();
    return row ?? null;
  });
}
