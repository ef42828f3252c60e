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
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import { stateOf } from './conversations.ts';
import { enqueue } from './outbox.ts';
import { openFlowState } from './sensitive.ts';

export interface ReminderDeps {
  engine: Engine;
  timeZone: string;
  /** Minutes a form sits untouched before its reminder. */
  idleMinutes: number;
  /** Minutes a form is kept after its last answer (CONVERSATION_TIMEOUT_MINUTES). */
  timeoutMinutes: number;
  /** Days after an answer before the rating reminder. */
  ratingDays?: number;
  batch?: number;
  /** Opens the forms' sealed answers and seals what is queued. */
  keyRing: KeyRing;
}

/** Queues due reminders; resolves to how many. */
export async function sendReminders(tx: Db, now: Date, deps: ReminderDeps): Promise<number> {
  const batch = deps.batch ?? 200;
  // Last touched at least idleMinutes ago ⇔ it expires at most (timeout − idle) from now.
  const idleBy = new Date(now.getTime() + (deps.timeoutMinutes - deps.idleMinutes) * 60_000);
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
    const state = deps.engine.isSensitive(conversation.flow)
      ? null
      : await openFlowState(stateOf(conversation), deps.keyRing);
    const message = state
      ? deps.engine.reminder(state, {
          now,
          lang: language,
          timeZone: deps.timeZone,
          chatType: conversation.chatType ?? 'private',
          role,
        })
      : null;
    if (message) {
      await enqueue(tx, deps.keyRing, [
        { channel: conversation.channel, chatId: conversation.chatId, message },
      ]);
      sent++;
    }
    await tx.update(conversations).set({ remindedAt: now }).where(eq(conversations.key, conversation.key));
  }

  const answeredBefore = new Date(now.getTime() - (deps.ratingDays ?? 3) * 86_400_000);
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
    const author = await authorContact(tx, deps.keyRing, item);
    if (author) {
      await enqueue(tx, deps.keyRing, [
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
