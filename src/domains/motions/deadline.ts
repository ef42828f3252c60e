/** A registered motion's answer deadline, moved later with a reason its author is told. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { people, submissionEvents, submissions } from '../../../db/schema/index.ts';
import { motionNotices } from '../../../flows/motion/cosign.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { signedOrigin } from '../items/authors.ts';
import { type MotionActor, tokenActor } from './store.ts';

export type ExtendResult = { ok: true; answerDueAt: Date } | { ok: false; reason: 'not_found' | 'not_open' };

/** Moves a registered motion's answer deadline later, with the reason, and tells its author. */
export async function extendMotion(
  db: Db,
  change: {
    referenceCode: string;
    days: number;
    reason: string;
    now: Date;
    timeZone: string;
    keyRing: KeyRing;
    /** Who gave the time (the console's officer or admin); the officer API's token by default. */
    actor?: MotionActor;
  },
): Promise<ExtendResult> {
  const actor = change.actor ?? tokenActor;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ submission: submissions, language: people.language })
      .from(submissions)
      .innerJoin(people, eq(people.id, submissions.personId))
      .where(and(eq(submissions.referenceCode, change.referenceCode), eq(submissions.kind, 'motion')))
      .for('update', { of: submissions });
    if (!row) return { ok: false, reason: 'not_found' } as const;
    const { submission } = row;
    if (!['registered', 'assigned'].includes(submission.status) || !submission.answerDueAt) {
      return { ok: false, reason: 'not_open' } as const;
    }
    const answerDueAt = new Date(submission.answerDueAt.getTime() + change.days * 86_400_000);
    await tx
      .update(submissions)
      .set({ answerDueAt, updatedAt: change.now })
      .where(eq(submissions.id, submission.id));
    await tx.insert(submissionEvents).values({
      submissionId: submission.id,
      at: change.now,
      actorType: actor.type,
      actorId: actor.id,
      type: 'extended',
      note: change.reason,
    });
    await audit(tx, {
      at: change.now,
      actorType: actor.type,
      actorId: actor.id,
      action: 'motion.extend',
      subjectType: 'submission',
      subjectId: submission.referenceCode,
      detail: { days: change.days },
    });
    await enqueue(tx, change.keyRing, [
      {
        ...signedOrigin(submission),
        message: motionNotices.extended(
          submission.referenceCode,
          answerDueAt,
          change.reason,
          row.language,
          change.timeZone,
        ),
      },
    ]);
    return { ok: true, answerDueAt } as const;
  });
}
