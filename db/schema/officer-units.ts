/** Which org units an officer handles: items raised in those units and the units below them. */
import { index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { orgUnits } from './org-units.ts';
import { people } from './people.ts';

export const officerUnits = pgTable(
  'officer_units',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.orgUnitId] }),
    index('officer_units_unit_idx').on(t.orgUnitId),
  ],
);

export type OfficerUnitRow = typeof officerUnits.$inferSelect;
