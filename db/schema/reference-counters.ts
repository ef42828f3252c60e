/** Per-prefix, per-year sequences behind reference codes such as JY-2026-0001. */
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const referenceCounters = pgTable(
  'reference_counters',
  {
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ name: 'reference_counters_pk', columns: [t.prefix, t.year] })],
);
