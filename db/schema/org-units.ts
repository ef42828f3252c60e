/** 基层工会 / 部门: the tree of org units (bureau union > station union > team). */
import { type AnyPgColumn, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

export const orgUnits = pgTable(
  'org_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgUnits.id),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** A unit an enterprise directory keeps: channel and department id (lark:od-…); null for the union's own. */
    directoryKey: text('directory_key').unique('org_units_directory_key_uq'),
    createdAt: createdAt(),
  },
  (t) => [index('org_units_parent_idx').on(t.parentId)],
);

export type OrgUnitRow = typeof orgUnits.$inferSelect;
