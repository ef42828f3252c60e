/**
 * Reminders, each sent once: a person who left a form half-filled is asked the open question
 * again (with when it will end); an author whose item was answered and who has not rated it
 * after 3 days is asked for a rating. Run by the `reminders` schedule, in its claiming transaction.
 *
 * Idleness is read from the form's expiry (set on the clock of the turn that moved it, always
 * `timeoutMinutes` ahead), not from the row's updated_at, which the database writer stamps with
 * its own clock. Every form's answers are sealed; this job opens them to ask the open question
 * again. Sensitive forms (a help request) are not reminded, so nothing of one is repeated.
 */
import { and, eq, gt, isNotNull, isNull, lte, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { conversations, inbox, people, submissions } from '../../db/schema/index.ts';
import { ratingPrompt } from '../../flows/commands/rating.ts';
import type { Engine } from '../../flows/engine/engine.ts';
import { authorContact } from '../domains/items/authors.ts';
import { awaitingRating } from '../domains/items/ratings.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { stateOf } from './conversations.ts';
import { enqueue } from './outbox.ts';
import { openFlowState } from './sensitive.ts';

/** The sweep's own settings; the context's `keys` open the forms' sealed answers and seal what is queued. */
interface ReminderOptions {
  engine: Engine;
  /** Minutes a form sits untouched before its reminder. */
  idleMinutes: number;
  /** Minutes a form is kept after its last answer (CONVERSATION_TIMEOUT_MINUTES). */
  timeoutMinutes: number;
  /** Days after an answer before the rating reminder. */
  ratingDays?: number;
  batch?: number;
}

/** Queues due reminders; resolves to how many. */
export async function sendReminders(
  tx: Db,
  now: Date,
  ctx: Pick<Ctx, 'timeZone' | 'keys'>,
  options: ReminderOptions,
): Promise<number> {
  const { keys } = ctx;
  const batch = options.batch ?? 200;
  // Last touched at least idleMinutes ago ⇔ it expires at most (timeout − idle) from now.
  const idleBy = new Date(now.getTime() + (options.timeoutMinutes - options.idleMinutes) * 60_000);
  const halfDone = await tx
    .select({ conversation: conversations, language: people.language, role: people.role })
    .from(conversations)
    .innerJoin(people, eq(people.id, conversations.personId))
    .where(
      and(
        isNotNull(conversations.flow),
        isNull(conversations.remindedAt),
        lte(conversations.expiresAt, idleBy),
        gt(conversations.expiresAt, now),
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
  let sent = 0;
  for (const { conversation, language, role } of halfDone) {
    const state = options.engine.isSensitive(conversation.flow)
      ? null
      : await openFlowState(stateOf(conversation), keys);
    const message = state
      ? options.engine.reminder(state, {
          now,
          lang: language,
          timeZone: ctx.timeZone,
          chatType: conversation.chatType ?? 'private',
          role,
        })
      : null;
    if (message) {
      await enqueue(tx, keys, [{ channel: conversation.channel, chatId: conversation.chatId, message }]);
      sent++;
    }
    await tx.update(conversations).set({ remindedAt: now }).where(eq(conversations.key, conversation.key));
  }

  const answeredBefore = new Date(now.getTime() - (options.ratingDays ?? 3) * 86_400_000);
  const unrated = await tx
    .select({ item: submissions })
    .from(submissions)
    .where(
      and(isNull(submissions.ratingRemindedAt), lte(submissions.updatedAt, answeredBefore), awaitingRating()),
    )
    .limit(batch)
    .for('update', { of: submissions, skipLocked: true });
  for (const { item } of unrated) {
    // The author of an anonymous item is asked without being named beside it.
    const author = await authorContact(tx, keys, item);
    if (author) {
      await enqueue(tx, keys, [
        {
          channel: author.channel,
          chatId: author.chatId,
          message: ratingPrompt(item, author.language),
          ...(author.hidden ? { hideRecipient: true } : {}),
        },
      ]);
    }
    await tx.update(submissions).set({ ratingRemindedAt: now }).where(eq(submissions.id, item.id));
    sent++;
  }
  return sent;
}
