/**
 * 民意调查 in the database: writing and finding polls, and what the other poll stores share.
 * Votes are cast in poll-votes.ts, polls are posted and reminded in poll-posting.ts, and closed
 * or cancelled in poll-close.ts.
 */
import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { type PollAudience, type PollRow, pollPostings, polls } from '../../../db/schema/index.ts';
import type { PollKind } from '../../../flows/polls/kinds.ts';
import type { PollView } from '../../../flows/polls/messages.ts';
import { newCode } from '../../../flows/polls/text-vote.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { randomBelow } from './token.ts';

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

/**
 * The advisory lock of one poll: every vote holds it shared for its transaction, and a close or a
 * cancel holds it alone, so a poll ends only between votes.
 */
export function pollLockKey(pollId: string) {
  return sql`hashtextextended(${`poll:${pollId}`}, 0)`;
}

/** Seals a poll's secret and ballots at rest and opens them for use: the app's key ring. */
export type PollKeys = KeyRing;

/** Whether this channel id is a member of that group chat (for answers by code in a private chat). */
export type GroupMember = (channel: ChannelName, groupChatId: string, externalId: string) => Promise<boolean>;

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

/** The group chats a poll was posted to, with their posting numbers. */
export async function groupPostings(db: Db, pollId: string) {
  return db
    .select()
    .from(pollPostings)
    .where(and(eq(pollPostings.pollId, pollId), eq(pollPostings.group, true)))
    .orderBy(asc(pollPostings.no));
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

export async function listPolls(db: Db, opts: { scheduleId?: string; limit?: number } = {}) {
  return db
    .select()
    .from(polls)
    .where(opts.scheduleId ? eq(polls.scheduleId, opts.scheduleId) : undefined)
    .orderBy(desc(polls.opensAt), desc(polls.no))
    .limit(opts.limit ?? 100);
}
