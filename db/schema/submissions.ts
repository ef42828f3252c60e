/** Items people raise: suggestions (合理化建议) now; motions and help requests share the table. */

import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';
import type { ItemStatus } from '../../flows/lifecycles.ts';
import { createdAt, updatedAt } from './columns.ts';
import { congressSessions } from './congress-sessions.ts';
import { orgUnits } from './org-units.ts';
import { people } from './people.ts';

export const submissions = pgTable(
  'submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['suggestion', 'help_request', 'motion'] }).notNull(),
    /** JY-2026-0001: prefix by kind, year in the union's time zone, sequence per year. */
    referenceCode: text('reference_code').notNull().unique('submissions_reference_code_uq'),
    /** The author; null on an anonymous item, whose author is only in `authorSeal`. */
    personId: uuid('person_id').references(() => people.id),
    /** Where the person filed it; status notices go back there (null on an anonymous item). */
    originChannel: text('origin_channel').$type<ChannelName>(),
    originChatId: text('origin_chat_id'),
    status: text('status').$type<ItemStatus>().notNull(),
    title: text('title').notNull(),
    category: text('category').notNull(),
    details: jsonb('details').$type<Record<string, string>>().notNull(),
    /** Officers do not see who proposed an anonymous suggestion. */
    anonymous: boolean('anonymous').notNull().default(false),
    /**
     * Anonymous items: who filed it and where, sealed with the data key (the only link from the
     * item to a person, used to tell them how it goes), and a keyed hash of the person that finds
     * their own items (我的) without naming them.
     */
    authorSeal: text('author_seal'),
    authorTag: text('author_tag'),
    /**
     * Set when the author's own transaction wrote the item (filing, rating): the item's rows are
     * then written again in a transaction of their own, so no row shares a transaction id with
     * what that transaction wrote about the author.
     */
    launderDue: boolean('launder_due').notNull().default(false),
    orgUnitId: uuid('org_unit_id').references(() => orgUnits.id),
    /** 满意度, given once by the person after the item closes: 1 满意, 2 基本满意, 3 不满意. */
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    /** When the author was reminded, once, to rate an answered item. */
    ratingRemindedAt: timestamp('rating_reminded_at', { withTimezone: true }),
    /** When it was last closed (the satisfaction figures are grouped by it). */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Help requests: an officer must acknowledge it by then, or the unit's admins are told. */
    ackDueAt: timestamp('ack_due_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** Motions: the congress session, and by when enough delegates must have co-signed. */
    sessionId: uuid('session_id').references(() => congressSessions.id),
    cosignDueAt: timestamp('cosign_due_at', { withTimezone: true }),
    /** Motions: when it went to its department (it may be sent back within 7 days), the answer's deadline, and its grade. */
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    answerDueAt: timestamp('answer_due_at', { withTimezone: true }),
    /** A solved, B in progress, C not possible now, D for reference. */
    grade: text('grade', { enum: ['A', 'B', 'C', 'D'] }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('submissions_person_idx').on(t.personId, t.createdAt),
    index('submissions_status_idx').on(t.kind, t.status),
    index('submissions_rated_idx').on(t.ratedAt),
    index('submissions_author_tag_idx').on(t.authorTag).where(sql`${t.authorTag} is not null`),
    index('submissions_launder_idx').on(t.id).where(sql`${t.launderDue}`),
    check(
      'submissions_author_ck',
      sql`(${t.anonymous} and ${t.personId} is null and ${t.originChatId} is null and ${t.authorSeal} is not null and ${t.authorTag} is not null)
        or (not ${t.anonymous} and ${t.personId} is not null and ${t.originChannel} is not null and ${t.originChatId} is not null)`,
    ),
  ],
);

export type SubmissionRow = typeof submissions.$inferSelect;
