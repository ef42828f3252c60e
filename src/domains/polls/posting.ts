/**
 * Putting a poll in front of people: opening it (its secret, a posting per group and per person
 * asked, the poll message to each) and its one reminder to those whose token is absent. Only
 * verified members are asked in private; reminders are tagged so the close can delete them.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import { type Db, queryRows } from '../../../db/handle.ts';
import {
  type PollAudience,
  type PollRow,
  pollPostings,
  pollSecrets,
  polls,
  pollVotes,
} from '../../../db/schema/index.ts';
import { pollMessage } from '../../../flows/polls/messages.ts';
import { tokenSigner } from '../../kernel/crypto/voter-token.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { inUnitTree, peopleWithReach, verifiedOnly } from '../people/audience.ts';
import { type ChatMembers, type PollKeys, pollView } from './store.ts';
import { newPollSecret } from './token.ts';

/** The tag of a poll's reminder messages, which say who had not answered: deleted at its close. */
export const reminderTopic = (pollId: string) => `poll-reminder:${pollId}`;

/** The people the bot knows behind these channel ids, by channel id. */
async function peopleByChannelId(
  tx: Db,
  channel: string,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const known = await queryRows<{ person_id: string; external_id: string }>(
    tx,
    sql`select person_id, external_id from channel_identities
        where channel = ${channel} and external_id in (${sql.join(
          externalIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
  return new Map(known.map((k) => [k.external_id, k.person_id]));
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
        where reach.chat_id is not null ${inUnits} ${verifiedOnly}
        order by p.id`,
  );
  return rows.map((r) => ({ personId: r.id, channel: r.channel, chatId: r.chat_id }));
}

/** Large audiences go out as bulk, behind replies and notices. */
const bulkFrom = 50;

/** The key purpose of audience hashes, which let a close compare audiences without naming anyone. */
const audiencePurpose = 'poll-audience';

/** Keyed hashes of an audience's members under one data key (64 bits each: enough to compare sets). */
export async function audienceTags(
  keys: PollKeys,
  members: Iterable<string>,
  keyId: string,
): Promise<string[]> {
  const tags: string[] = [];
  for (const member of members) tags.push((await keys.mac(audiencePurpose, member, keyId)).slice(0, 16));
  return tags.sort();
}

/** Each posted group's members by channel id, listed before the opening's transaction (the platform may be slow). */
async function listGroups(
  poll: PollRow,
  chatMembers: ChatMembers | undefined,
): Promise<Map<string, readonly string[] | null>> {
  const lists = new Map<string, readonly string[] | null>();
  if (poll.audience.kind !== 'chats') return lists;
  for (const chat of poll.audience.chats) {
    const key = `${chat.channel}:${chat.chatId}`;
    if (lists.has(key)) continue;
    // A web chat is one visitor's own chat.
    if (chat.channel === 'web') lists.set(key, [chat.chatId]);
    else lists.set(key, (await chatMembers?.(chat.channel, chat.chatId).catch(() => null)) ?? null);
  }
  return lists;
}

/**
 * Who was asked, as people where the bot knows them (by person id), by channel id where it does
 * not, and as the group itself where its members could not be listed.
 */
async function audienceMembers(
  tx: Db,
  persons: readonly Reachable[],
  groups: ReadonlyMap<string, readonly string[] | null>,
): Promise<Set<string>> {
  const members = new Set(persons.map((p) => p.personId));
  for (const [key, ids] of groups) {
    const channel = key.slice(0, key.indexOf(':'));
    if (!ids) {
      members.add(`group:${key}`);
      continue;
    }
    const byId = await peopleByChannelId(tx, channel, ids);
    for (const id of ids) members.add(byId.get(id) ?? `${channel}:${id}`);
  }
  return members;
}

/**
 * Opens one due poll: its secret, a posting per group and per person asked, the poll message to
 * each, and the keyed hashes of who was asked (its audience, for the close's differencing rule),
 * in one transaction. Resolves to the poll opened, if any.
 */
export async function openDuePoll(
  db: Db,
  opts: { now: Date; timeZone: string; keys: PollKeys; chatMembers?: ChatMembers },
): Promise<PollRow | null> {
  const [due] = await db
    .select()
    .from(polls)
    .where(and(eq(polls.status, 'scheduled'), sql`${polls.opensAt} <= ${opts.now}`))
    .orderBy(asc(polls.opensAt))
    .limit(1);
  if (!due) return null;
  const groupLists = await listGroups(due, opts.chatMembers);
  return db.transaction(async (tx) => {
    const [poll] = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.id, due.id), eq(polls.status, 'scheduled')))
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
        opts.keys,
        postings.slice(i, i + 1000).map((p) => ({ channel: p.channel, chatId: p.chatId, message, bulk })),
      );
    }
    const members = await audienceMembers(tx, persons, groupLists);
    const key = opts.keys.currentId;
    const [opened] = await tx
      .update(polls)
      .set({ status: 'open', audienceDigest: { key, members: await audienceTags(opts.keys, members, key) } })
      .where(eq(polls.id, poll.id))
      .returning();
    return opened ?? null;
  });
}

/** Where a reminder goes: a person (by id, where the bot knows them) in private, or a channel id. */
interface ReminderTarget {
  personId: string | null;
  channel: ChannelName;
  chatId: string;
}

/** The open poll whose reminder is not yet sent and which has not closed, locked while it is sent. */
async function lockForReminder(tx: Db, pollId: string, now: Date): Promise<PollRow | undefined> {
  const [poll] = await tx
    .select()
    .from(polls)
    .where(
      and(
        eq(polls.id, pollId),
        eq(polls.status, 'open'),
        sql`${polls.remindedAt} is null`,
        gt(polls.closesAt, now),
      ),
    )
    // Another instance's reminder is seen as sent once its lock is released. Votes do not wait
    // for this (a first vote's row holds the poll's row in key share, which this lock allows):
    // a vote still on its way may yet be reminded, which tells no one else.
    .for('no key update');
  return poll;
}

/**
 * Person id (or, for people never met, channel:id) → where to reach them: each person asked in
 * private, then each listed group member not among them.
 */
async function reminderTargets(
  tx: Db,
  privatePostings: readonly { personId: string | null; channel: ChannelName; chatId: string }[],
  members: ReadonlyMap<string, { channel: ChannelName; externalIds: readonly string[] }>,
): Promise<Map<string, ReminderTarget>> {
  const targets = new Map<string, ReminderTarget>();
  for (const p of privatePostings) {
    if (p.personId)
      targets.set(p.personId, {
        personId: p.personId,
        channel: p.channel,
        chatId: p.chatId,
      });
  }
  for (const group of members.values()) {
    const byId = await peopleByChannelId(tx, group.channel, group.externalIds);
    for (const externalId of group.externalIds) {
      const personId = byId.get(externalId) ?? null;
      const key = personId ?? `${group.channel}:${externalId}`;
      if (!targets.has(key)) targets.set(key, { personId, channel: group.channel, chatId: externalId });
    }
  }
  return targets;
}

/** Adds a private posting for each target reminded who was not asked in private, numbered after the last. */
async function addReminderPostings(tx: Db, pollId: string, fresh: readonly ReminderTarget[]): Promise<void> {
  const [top] = await tx
    .select({ no: sql<number>`coalesce(max(${pollPostings.no}), 0)::int` })
    .from(pollPostings)
    .where(eq(pollPostings.pollId, pollId));
  const start = Number(top?.no ?? 0);
  const rows = fresh.map((d, i) => ({
    pollId,
    no: start + i + 1,
    channel: d.channel,
    // A member is reached, and recognised when answering, by their channel id.
    chatId: d.chatId,
    group: false,
    personId: d.personId,
  }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(pollPostings).values(rows.slice(i, i + 1000));
}

/** Queues the reminder to each target, tagged so the close can delete it. */
async function enqueueReminders(
  tx: Db,
  poll: PollRow,
  due: readonly ReminderTarget[],
  opts: { timeZone: string; keys: PollKeys },
): Promise<void> {
  const message = pollMessage(pollView(poll), opts.timeZone, { reminder: true });
  const bulk = due.length >= bulkFrom;
  for (let i = 0; i < due.length; i += 1000) {
    await enqueue(
      tx,
      opts.keys,
      due.slice(i, i + 1000).map((d) => ({
        channel: d.channel,
        chatId: d.chatId,
        message,
        bulk,
        topic: reminderTopic(poll.id),
      })),
    );
  }
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
    const poll = await lockForReminder(tx, pollId, opts.now);
    if (!poll) return 0;
    const [secret] = await tx.select().from(pollSecrets).where(eq(pollSecrets.pollId, poll.id));
    if (!secret) return 0;
    const sign = await tokenSigner(await opts.keys.open(secret.secret));
    const voted = new Set(
      (await tx.select({ token: pollVotes.token }).from(pollVotes).where(eq(pollVotes.pollId, poll.id))).map(
        (r) => r.token,
      ),
    );
    const privatePostings = await tx
      .select()
      .from(pollPostings)
      .where(and(eq(pollPostings.pollId, poll.id), eq(pollPostings.group, false)));
    const targets = await reminderTargets(tx, privatePostings, members);
    const due: ReminderTarget[] = [];
    for (const target of targets.values()) {
      if (target.personId && voted.has(await sign(target.personId))) continue;
      due.push(target);
    }
    // Group members reminded in private are asked in private too: their answers there count.
    const asked = new Set(privatePostings.map((p) => p.personId));
    await addReminderPostings(
      tx,
      poll.id,
      due.filter((d) => !d.personId || !asked.has(d.personId)),
    );
    await enqueueReminders(tx, poll, due, opts);
    await tx.update(polls).set({ remindedAt: opts.now }).where(eq(polls.id, poll.id));
    return due.length;
  });
}
