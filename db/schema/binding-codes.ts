/**
 * Codes that bind a channel's account to a person (绑定): a personal invitation an admin makes
 * from the roster (printed as a link and QR code, valid for weeks, used once), or a one-time code
 * a person asks for in a channel already bound, to bind another (valid for minutes). Looked up by
 * a keyed hash, so a copy of the database cannot use one; an invitation is also kept sealed so the
 * console can print it again.
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../../bots/core/messenger.ts';
import { createdAt } from './columns.ts';
import { people } from './people.ts';

export const bindingKinds = ['invite', 'code'] as const;
export type BindingKind = (typeof bindingKinds)[number];

export const bindingCodes = pgTable(
  'binding_codes',
  {
    /** HMAC of the code under the data key (purpose binding-code), hex. */
    codeHash: text('code_hash').primaryKey(),
    kind: text('kind', { enum: bindingKinds }).notNull(),
    /** The person the code binds to. */
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** An invitation's code, sealed, to print again; null for a one-time code. */
    codeSealed: text('code_sealed'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The channel whose account it bound. */
    usedOn: text('used_on').$type<ChannelName>(),
    createdAt: createdAt(),
  },
  (t) => [index('binding_codes_person_idx').on(t.personId, t.kind)],
);

export type BindingCodeRow = typeof bindingCodes.$inferSelect;
