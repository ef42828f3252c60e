/**
 * 职工 / 会员: anyone who talks to the bot, or whom the union's roster lists, with the language they
 * chose and their role. A roster entry is a person with an employee number (工号).
 */

/** Where a person's name came from; `generated` means nobody knows it yet (网页用户 1a2B). */
export const nameSources = ['generated', 'channel', 'self', 'roster', 'directory'] as const;
export type NameSource = (typeof nameSources)[number];

import { bigint, date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
  nameSource: text('name_source', { enum: nameSources }).notNull().default('generated'),
  /** 工号: the union's key for a member, unique; set by the roster import or a directory sync. */
  employeeNo: text('employee_no').unique('people_employee_no_uq'),
  /** A phone number, sealed with the data key like a help request's text; read only through an audited view. */
  phone: text('phone'),
  /** 入会日期, a calendar day. */
  memberSince: date('member_since', { mode: 'string' }),
  /** When the person was bound to a roster entry or vouched for by an enterprise directory; null: 未核实. */
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
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
