/**
 * Ends conversations abandoned past their expiry and tells the person, so a half-filled form
 * does not wait forever. A conversation with events still waiting in the inbox is left to the
 * processor, which judges expiry by when the person actually spoke.
 */
import { and, eq, isNotNull, lte, notExists, sql } from 'drizzle-orm';
import { conversations, inbox, people } from '../../db/schema/index.ts';
import type { Engine } from '../../flows/engine/engine.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { saveConversation, stateOf } from './conversations.ts';
import { enqueue } from './outbox.ts';

/** Ends up to `batch` (50 unless given) expired conversations; resolves to how many. */
export function createExpirySweep(
  ctx: Pick<Ctx, 'db' | 'now' | 'log' | 'timeZone' | 'keys'>,
  options: { engine: Engine; batch?: number },
): () => Promise<number> {
  const batch = options.batch ?? 50;
  return () =>
    ctx.db.transaction(async (tx) => {
      const rows = await tx
        .select({ conversation: conversations, language: people.language, role: people.role })
        .from(conversations)
        .innerJoin(people, eq(people.id, conversations.personId))
        .where(
          and(
            isNotNull(conversations.flow),
            lte(conversations.expiresAt, ctx.now()),
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
          const notice = options.engine.expiryNotice(state, {
            now: ctx.now(),
            lang: language,
            timeZone: ctx.timeZone,
            chatType: 'private',
            role,
          });
          if (notice) {
            await enqueue(tx, ctx.keys, [
              { channel: conversation.channel, chatId: conversation.chatId, message: notice },
            ]);
          }
        }
        await saveConversation(tx, conversation.key, null);
      }
      if (rows.length > 0) ctx.log.info('conversations.expired', { count: rows.length });
      return rows.length;
    });
}
