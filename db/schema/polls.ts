/**
 * 民意调查: anonymous polls. A vote row holds the poll, a token, the answer, an optional comment,
 * the group it came from (merged away at close when smaller than the threshold) and the day —
 * nothing that names the voter. The token is HMAC(poll secret, person id); the secret lives in
 * its own table and is deleted when the poll closes, after which no token can be recomputed.
 */

import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';
import { createdAt } from './columns.ts';
import { people } from './people.ts';

/** Who is asked: everyone, the people of some org units (and the units below), or chosen group chats. */
export type PollAudience =
  | { kind: 'everyone' }
  | { kind: 'units'; unitIds: string[] }
  | { kind: 'chats'; chats: { channel: ChannelName; chatId: string }[] };

/** single: one of 2–10 options; rating: 1–5; enps: 0–10. */
export type PollKind = 'single' | 'rating' | 'enps';

/** A closed poll's audience: keyed hashes of the people asked, under the data key `key`. */
export interface AudienceDigest {
  key: string;
  members: string[];
}

/** What a closed poll came to: frozen at close, so the results never change afterwards. */
export interface PollResults {
  answers: number;
  /** False when fewer than the threshold answered: then nothing else is given. */
  shown: boolean;
  /** Count per answer value (option number, rating or score), when shown. */
  counts?: Record<string, number>;
  /** Mean (rating) or eNPS score (enps), when shown. */
  score?: number | null;
  /** Comments in random order, only when at least the comment threshold wrote one. */
  comments?: string[] | null;
  /** Number of comments (shown only with the comments). */
  commentCount?: number | null;
  /** Per posted group, only when every group reached the threshold. */
  segments?: { label: string; answers: number; counts: Record<string, number> }[] | null;
  /**
   * Why results reached the threshold yet are not shown: `overlap` when the audience differs by
   * fewer than k people from a poll published shortly before (its number in `overlapsPoll`), so
   * subtracting the two would tell a few people's answers.
   */
  withheld?: 'overlap';
  overlapsPoll?: number;
}

export const polls = pgTable(
  'polls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** A short number officers type in chat (投票 结果 3). */
    no: bigint('no', { mode: 'number' }).notNull().generatedAlwaysAsIdentity().unique('polls_no_uq'),
    /** The short code people answer by in a private chat (WeChat groups): 4 letters and digits. */
    code: text('code').notNull().unique('polls_code_uq'),
    question: text('question').notNull(),
    kind: text('kind', { enum: ['single', 'rating', 'enps'] })
      .$type<PollKind>()
      .notNull(),
    /** The options of a single-choice poll, in order (answer 1 is the first). */
    options: jsonb('options').$type<string[]>().notNull().default([]),
    allowComment: boolean('allow_comment').notNull().default(false),
    audience: jsonb('audience').$type<PollAudience>().notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    /** k: results show only with at least this many answers. */
    threshold: integer('threshold').notNull().default(5),
    /** Comments show only when at least this many people wrote one. */
    commentThreshold: integer('comment_threshold').notNull().default(10),
    /** One reminder to those who have not answered, this long after opening (none when null). */
    remindAfterMinutes: integer('remind_after_minutes'),
    /** scheduled → open → closed, or cancelled before it closed. */
    status: text('status', { enum: ['scheduled', 'open', 'closed', 'cancelled'] })
      .notNull()
      .default('scheduled'),
    /** The recurring schedule it is an occurrence of. */
    scheduleId: uuid('schedule_id'),
    /** The officer who started it in chat (null from the officer API or a schedule). */
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: createdAt(),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    results: jsonb('results').$type<PollResults>(),
    /**
     * Who was asked, as keyed hashes (from the data key `key`), recorded when it opens so a later
     * poll whose audience differs by fewer than k people is not published (no differencing).
     */
    audienceDigest: jsonb('audience_digest').$type<AudienceDigest>(),
  },
  (t) => [
    index('polls_due_idx').on(t.status, t.opensAt),
    index('polls_schedule_idx').on(t.scheduleId),
    check('polls_threshold_ck', sql`${t.threshold} >= 3 and ${t.commentThreshold} >= 3`),
  ],
);

/** The key of each open poll's voter tokens; deleted at close. */
export const pollSecrets = pgTable('poll_secrets', {
  pollId: uuid('poll_id')
    .primaryKey()
    .references(() => polls.id),
  secret: text('secret').notNull(),
});

export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id),
    /** HMAC(poll secret, person id): one vote per person, unlinkable once the secret is gone. */
    token: text('token').notNull(),
    /**
     * While the poll is open: the answer, comment and group sealed with the data key, so neither
     * the rows' order nor the transactions that wrote them tell anyone who chose what. At the
     * close every row is opened and written again in the clear columns, in random order.
     */
    ballot: text('ballot'),
    answer: smallint('answer'),
    comment: text('comment'),
    /** The posted group the vote came from (its posting number), or null. */
    segment: integer('segment'),
    /** The day it was cast, never the time. */
    votedOn: date('voted_on').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.pollId, t.token] }),
    check('poll_votes_content_ck', sql`(${t.ballot} is null) <> (${t.answer} is null)`),
  ],
);

/** Where a poll was posted: each group chat, and each person asked in private. */
export const pollPostings = pgTable(
  'poll_postings',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id),
    /** Numbered per poll; a group's number is the segment its votes carry. */
    no: integer('no').notNull(),
    channel: text('channel').$type<ChannelName>().notNull(),
    chatId: text('chat_id').notNull(),
    group: boolean('group').notNull(),
    /** The person asked, for a private posting. */
    personId: uuid('person_id').references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.no] }), index('poll_postings_chat_idx').on(t.pollId, t.chatId)],
);

export type PollRow = typeof polls.$inferSelect;
