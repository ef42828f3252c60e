/**
 * Ends conversations abandoned past their expiry and tells the person, so a half-filled form
 * does not wait forever. A conversation with events still waiting in the inbox is left to the
 * processor, which judges expiry by when the person actually spoke.
 */
import { and, eq, isNotNull, lte, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { conversations, inbox, people } from '../../db/schema/index.ts';
import type { Engine } from '../../flows/engine/engine.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import type { Logger } from '../kernel/log.ts';
import { saveConversation, stateOf } from './conversations.ts';
import { enqueue } from './outbox.ts';

export interface ExpiryDeps {
  db: Db;
  engine: Engine;
  log: Logger;
  timeZone: string;
  now: () => Date;
  keyRing: KeyRing;
}

/** Ends up to `batch` expired conversations; resolves to how many. */
export function createExpirySweep(deps: ExpiryDeps, batch = 50): () => Promise<number> {
  return () =>
    deps.db.transaction(async (tx) => {
      const rows = await tx
        .select({ conversation: conversations, language: people.language, role: people.role })
        .from(conversations)
        .innerJoin(people, eq(people.id, conversations.personId))
        .where(
          and(
            isNotNull(conversations.flow),
            lte(conversations.expiresAt, deps.now()),
            notExists(
              tx
                .select({ one: sql`1` })
                .from(inbox)
                .where(and(eq(inbox.conversationKey, conversations.key), eq(inbox.status, 'pending'))),
            ),
          ),
        )
        .limit(batch)
        .for('update', { of: conversations, skipLocked: true });
      for (const { conversation, language, role } of rows) {
        const state = stateOf(conversation);
        if (state) {
          const notice = deps.engine.expiryNotice(state, {
            now: deps.now(),
            lang: language,
            timeZone: deps.timeZone,
            chatType: 'private',
            role,
          });
          if (notice) {
            await enqueue(tx, deps.keyRing, [
              { channel: conversation.channel, chatId: conversation.chatId, message: notice },
            ]);
          }
        }
        await saveConversation(tx, conversation.key, null);
      }
      if (rows.length > 0) deps.log.info('conversations.expired', { count: rows.length });
      return rows.length;
    });
}
