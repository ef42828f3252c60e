/**
 * 满意度: an author rates their own item once it is answered (a motion on each answer, a help
 * request at its follow-up), and the items still waiting for their rating. On an anonymous item
 * the author acts unnamed and the item's rows are laundered afterwards (see jobs/launder.ts).
 */
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { submissionEvents, submissions } from '../../../db/schema/index.ts';
import type { RateOutcome } from '../../../flows/commands/item-effects.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { notifyReopened } from '../people/officer-contacts.ts';
import { authoredBy, authorTime } from './authors.ts';

/** Rates one of the person's own closed items, once; the rating goes on its timeline and in the audit log. */
export async function rateSubmission(
  tx: Db,
  keys: KeyRing,
  rate: {
    personId: string;
    referenceCode: string;
    rating: 1 | 2 | 3;
    comment: string;
    now: Date;
  },
): Promise<RateOutcome> {
  const [row] = await tx
    .select()
    .from(submissions)
    .where(and(eq(submissions.referenceCode, rate.referenceCode), await authoredBy(keys, rate.personId)))
    .for('update');
  if (!row) return { ok: false, reason: 'not_found' };
  // On an anonymous item the author acts unnamed, at a time kept to the minute, and its rows are laundered.
  const anonymous = row.anonymous;
  const when = authorTime(rate.now, anonymous);
  const actor = anonymous
    ? ({ actorType: 'author', actorId: null } as const)
    : ({ actorType: 'person', actorId: rate.personId } as const);
  // A motion is rated on each answer: satisfied closes it, 不满意 sends it back for another answer.
  const motion = row.kind === 'motion';
  // A help request in follow-up is closed by its rating.
  const followUp = row.kind === 'help_request' && row.status === 'follow_up';
  if (motion ? row.status === 'closed' : row.status === 'closed' && row.rating !== null) {
    return { ok: false, reason: 'already_rated' };
  }
  if (motion ? row.status !== 'answered' : row.status !== 'closed' && !followUp)
    return { ok: false, reason: 'not_closed' };
  const next = motion ? (rate.rating === 3 ? 'assigned' : 'closed') : followUp ? 'closed' : row.status;
  await tx
    .update(submissions)
    .set({
      rating: rate.rating,
      ratingComment: rate.comment || null,
      ratedAt: when,
      ...(anonymous ? { launderDue: true } : { updatedAt: rate.now }),
      status: next,
      ...((motion || followUp) && next === 'closed' ? { closedAt: rate.now } : {}),
    })
    .where(eq(submissions.id, row.id));
  if (motion || followUp) {
    await tx.insert(submissionEvents).values({
      submissionId: row.id,
      at: when,
      ...actor,
      type: next === 'closed' ? 'status_changed' : 'reopened',
      fromStatus: row.status,
      toStatus: next,
    });
    if (next === 'assigned') {
      await notifyReopened(
        tx,
        keys,
        { referenceCode: row.referenceCode, title: row.title, comment: rate.comment },
        row.orgUnitId,
      );
    }
  }
  await tx.insert(submissionEvents).values({
    submissionId: row.id,
    at: when,
    ...actor,
    type: 'rated',
    note: rate.comment || null,
  });
  await audit(tx, {
    at: when,
    ...actor,
    action: 'submission.rate',
    subjectType: 'submission',
    subjectId: row.referenceCode,
    detail: { rating: rate.rating, commented: rate.comment !== '' },
  });
  return { ok: true };
}

/** Items answered and waiting for their author's rating: closed and unrated, an answered motion, a help request in follow-up. */
export const awaitingRating = () =>
  or(
    and(eq(submissions.status, 'closed'), isNull(submissions.rating), sql`${submissions.kind} <> 'motion'`),
    and(eq(submissions.kind, 'motion'), eq(submissions.status, 'answered')),
    and(eq(submissions.kind, 'help_request'), eq(submissions.status, 'follow_up')),
  );

/** The person's closed items still waiting for their rating, oldest first. */
export async function listAwaitingRating(tx: Db, keys: KeyRing, personId: string, limit: number) {
  return tx
    .select({ referenceCode: submissions.referenceCode, title: submissions.title })
    .from(submissions)
    .where(and(await authoredBy(keys, personId), awaitingRating()))
    .orderBy(asc(submissions.closedAt))
    .limit(limit);
}
