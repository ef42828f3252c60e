/** 职工 / 会员: anyone who talks to the bot, with the language they chose and their role. */
import { bigint, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { orgUnits } from './org-units.ts';

export const people = pgTable('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** 成员号: a short number a person can read out, and an admin can type, to name them in chat. */
  memberNo: bigint('member_no', { mode: 'number' })
    .notNull()
    .generatedAlwaysAsIdentity({ startWith: 1001 })
    .unique('people_member_no_uq'),
  displayName: text('display_name').notNull(),
  /** 'zh' (default) or 'en'; remembered once the person switches. */
  language: text('language', { enum: ['zh', 'en'] })
    .notNull()
    .default('zh'),
  /** staff, delegate (职工代表), officer (工会干部) or admin. */
  role: text('role', { enum: ['staff', 'delegate', 'officer', 'admin'] })
    .notNull()
    .default('staff'),
  orgUnitId: uuid('org_unit_id').references(() => orgUnits.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type PersonRow = typeof people.$inferSelect;
