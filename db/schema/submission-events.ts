/** The timeline of a submission: every transition and reply, in order. */
import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ItemEventType, ItemStatus } from '../../flows/lifecycles.ts';
import { submissions } from './submissions.ts';

export const submissionEvents = pgTable(
  'submission_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** person, officer or system. */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    /** submitted, status_changed. */
    type: text('type').$type<ItemEventType>().notNull(),
    fromStatus: text('from_status').$type<ItemStatus>(),
    toStatus: text('to_status').$type<ItemStatus>(),
    /** The officer's reply or reason, shown to the proposer. */
    note: text('note'),
  },
  (t) => [index('submission_events_submission_idx').on(t.submissionId, t.id)],
);

export type SubmissionEventRow = typeof submissionEvents.$inferSelect;
