/**
 * Photos and documents people attach to their items (附件): uploaded in the web chat, or sent as a
 * Lark image or file message and fetched afterwards through the message resource API. Every file
 * is sealed with the data key at rest, its name too. Who attached it is kept only as a keyed tag,
 * dropped when the file joins an anonymous item; where to tell them about a refused file is kept
 * sealed until it is fetched.
 */
import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { FileAccepts } from '../../flows/files/rules.ts';
import { submissions } from './submissions.ts';

/** Raw bytes: `bytea` on both PostgreSQL and PGlite. */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

export const attachmentStates = ['pending', 'ready', 'refused', 'failed'] as const;
export type AttachmentState = (typeof attachmentStates)[number];

/** What the draft or item holding a file takes: photos only (a suggestion), or documents too (a help request). */
export const attachmentAccepts = ['photo', 'any'] as const satisfies readonly FileAccepts[];
export type AttachmentAccepts = (typeof attachmentAccepts)[number];

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * Its place among the item's files, given when it goes on the item (null before): the order
     * they came in, without a count across items that would line it up with other tables.
     */
    position: smallint('position'),
    /** The item it belongs to, once filed (null while a draft holds it). */
    submissionId: uuid('submission_id').references(() => submissions.id, { onDelete: 'cascade' }),
    /** HMAC of the person who sent it (purpose attachment-owner); null once on an anonymous item. */
    ownerTag: text('owner_tag'),
    /** How it came: uploaded in the web chat, or a Lark message to fetch. */
    source: text('source', { enum: ['web', 'lark'] }).notNull(),
    /** Lark's message id, resource key and type, sealed; cleared once fetched. */
    sourceSeal: text('source_seal'),
    /** What the channel called it: a photo (`image`) or a file, before its content says. */
    sourceKind: text('source_kind', { enum: ['image', 'file'] }),
    /** The chat to tell when the file is refused after fetching, sealed; cleared once fetched. */
    notifySeal: text('notify_seal'),
    state: text('state', { enum: attachmentStates }).notNull(),
    /** Set when a draft or an item takes it: what it accepts. Files nothing took are not fetched and are cleared. */
    accepts: text('accepts', { enum: attachmentAccepts }),
    /** The file's name as sent, sealed. */
    nameSealed: text('name_sealed').notNull(),
    /** Found from the content, never from the name: image/jpeg, application/pdf, … */
    mime: text('mime'),
    size: integer('size'),
    /** The content, sealed (`KeyRing.sealBytes`); null until fetched. */
    content: bytes('content'),
    /** Why it was refused: too_large, type, executable, gone, photo_only, … */
    refusal: text('refusal'),
    attempts: smallint('attempts').notNull().default(0),
    /** When the fetch job may take it next; to the hour while it waits, and once done. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true })
      .notNull()
      .default(sql`date_trunc('hour', now())`),
    /** To the hour: only clearing old drafts' files reads it, and a finer time would point at the sender. */
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`date_trunc('hour', now())`),
  },
  (t) => [
    index('attachments_submission_idx').on(t.submissionId),
    index('attachments_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.state} = 'pending' and ${t.accepts} is not null`),
  ],
);

export type AttachmentRow = typeof attachments.$inferSelect;
