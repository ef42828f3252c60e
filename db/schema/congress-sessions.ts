/** 职代会: a congress session (e.g. 第十届三次职代会) groups the motions filed for it. */
import { boolean, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

export const congressSessions = pgTable('congress_sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  /** New motions go to the open session (at most one is open). */
  open: boolean('open').notNull().default(false),
  createdAt: createdAt(),
});

export type CongressSessionRow = typeof congressSessions.$inferSelect;
