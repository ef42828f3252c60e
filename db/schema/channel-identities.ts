/** A person's account on one channel; one person may have several. */

import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';
import { createdAt } from './columns.ts';
import { people } from './people.ts';

export const channelIdentities = pgTable(
  'channel_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** 'web', 'lark' or 'wechat'. */
    channel: text('channel').$type<ChannelName>().notNull(),
    /** web: the cookie's visitor id; lark: open_id (per app); wechat: contact id. */
    externalId: text('external_id').notNull(),
    /** lark: union_id when the platform sends it (stable across apps of one developer). */
    unionId: text('union_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('channel_identities_channel_external_uq').on(t.channel, t.externalId),
    index('channel_identities_person_idx').on(t.personId),
  ],
);

export type ChannelIdentityRow = typeof channelIdentities.$inferSelect;
