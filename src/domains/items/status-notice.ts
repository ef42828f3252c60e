/**
 * What a status change tells the item's author, where they filed it: the change itself and, when
 * the move calls for it, the one question whether they are satisfied. The author of an anonymous
 * item is told without being named beside the change.
 */
import type { Db } from '../../../db/handle.ts';
import type { SubmissionRow } from '../../../db/schema/index.ts';
import { ratingPrompt } from '../../../flows/commands/rating.ts';
import { type StatusChange, statusChangedNotice } from '../../../flows/notices.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { authorContact } from './authors.ts';

/**
 * Whether a move asks the person, once, whether they are satisfied: a motion on each answer; a
 * help request at its follow-up (or on closing, if it closes without one and is not rated yet);
 * anything else once it is closed.
 */
export function asksRating(submission: SubmissionRow, from: string, to: string): boolean {
  const kind = submission.kind;
  return kind === 'motion'
    ? to === 'answered'
    : kind === 'help_request'
      ? to === 'follow_up' || (to === 'closed' && submission.rating === null && from !== 'follow_up')
      : to === 'closed';
}

/** Queues the change's notice (and the rating question, if due) to the author's own chat. */
export async function notifyStatusChange(
  tx: Db,
  keyRing: KeyRing,
  submission: SubmissionRow,
  change: StatusChange,
  timeZone: string,
): Promise<void> {
  const author = await authorContact(tx, keyRing, submission);
  if (!author) return;
  const language = author.language;
  const notice = statusChangedNotice(change, language, timeZone);
  const origin = {
    channel: author.channel,
    chatId: author.chatId,
    ...(author.hidden ? { hideRecipient: true } : {}),
  };
  await enqueue(tx, keyRing, [
    // A reply on a help request is sealed in the outbox too.
    { ...origin, message: notice },
    ...(asksRating(submission, change.from, change.to)
      ? [{ ...origin, message: ratingPrompt(submission, language) }]
      : []),
  ]);
}
