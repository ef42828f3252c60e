/** 附议: delegates invited to co-sign a motion, and their answers. */
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { people } from './people.ts';
import { submissions } from './submissions.ts';

export const motionCosigners = pgTable(
  'motion_cosigners',
  {
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** invited, accepted or declined. */
    status: text('status', { enum: ['invited', 'accepted', 'declined'] })
      .notNull()
      .default('invited'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.submissionId, t.personId] }),
    index('motion_cosigners_person_idx').on(t.personId),
  ],
);
