/**
 * Reminders, each sent once: a person who left a form half-filled is asked the open question
 * again (with when it will end); an author whose item was answered and who has not rated it
 * after 3 days is asked for a rating. Run by the `reminders` schedule, in its claiming transaction.
 *
 * Idleness is read from the form's expiry (set on the clock of the turn that moved it, always
 * `timeoutMinutes` ahead), not from the row's updated_at, which the database writer stamps with
 * its own clock. Sensitive forms (a help request) are not reminded: their answers are sealed and
 * this job holds no key to open them, and a question asked without them would be wrong.
 */
import { and, eq, gt, isNotNull, isNull, lte, notExists, sql } from 'drizzle-orm';
import type { ChannelName } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { conversations, inbox, people, submissions } from '../../db/schema/index.ts';
import type { Engine } from '../../flows/engine/engine.ts';
import { ratingPrompt } from '../../flows/rating.ts';
import { stateOf } from '../store/conversations.ts';
import { enqueue } from '../store/outbox.ts';
import { awaitingRating } from '../store/submissions.ts';

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
    const state = deps.engine.isSensitive(conversation.flow) ? null : stateOf(conversation);
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
      await enqueue(tx, [
        { channel: conversation.channel as ChannelName, chatId: conversation.chatId, message },
      ]);
      sent++;
    }
    await tx.update(conversations).set({ remindedAt: now }).where(eq(conversations.key, conversation.key));
  }

  const answeredBefore = new Date(now.getTime() - (deps.ratingDays ?? 3) * 86_400_000);
  const unrated = await tx
    .select({ item: submissions, language: people.language })
    .from(submissions)
    .innerJoin(people, eq(people.id, submissions.personId))
    .where(
      and(isNull(submissions.ratingRemindedAt), lte(submissions.updatedAt, answeredBefore), awaitingRating()),
    )
    .limit(batch)
    .for('update', { of: submissions, skipLocked: true });
  for (const { item, language } of unrated) {
    await enqueue(tx, [
      {
        channel: item.originChannel as ChannelName,
        chatId: item.originChatId,
        message: ratingPrompt(item, language),
      },
    ]);
    await tx.update(submissions).set({ ratingRemindedAt: now }).where(eq(submissions.id, item.id));
    sent++;
  }
  return sent;
}
