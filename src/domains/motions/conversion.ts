/**
 * A motion that did not gather enough co-signers by its deadline becomes a suggestion, and its
 * author is told why.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { people, type SubmissionRow, submissionEvents, submissions } from '../../../db/schema/index.ts';
import { motionNotices } from '../../../flows/motion/cosign.ts';
import { yearIn } from '../../../kernel/l10n.ts';
import type { MotionRules } from '../../kernel/config.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { signedOrigin } from '../items/authors.ts';
import { nextReferenceCode, referencePrefixes } from '../items/reference-codes.ts';
import { acceptedCount } from './store.ts';

/**
 * Motions past their co-signing deadline with too few co-signers become suggestions (with a new
 * JY reference, the motion pointing to it), and their authors are told why. Resolves to how many.
 */
export async function convertUnsupportedMotions(
  db: Db,
  keys: KeyRing,
  now: Date,
  rules: MotionRules,
  timeZone: string,
): Promise<number> {
  const due = await db
    .select({ id: submissions.id })
    .from(submissions)
    .where(
      sql`${submissions.kind} = 'motion' and ${submissions.status} = 'submitted' and ${submissions.cosignDueAt} <= ${now.toISOString()}`,
    )
    .limit(50);
  let converted = 0;
  for (const { id } of due) {
    const done = await db.transaction(async (tx) => {
      const [motion] = await tx
        .select({ submission: submissions, language: people.language })
        .from(submissions)
        .innerJoin(people, eq(people.id, submissions.personId))
        .where(and(eq(submissions.id, id), eq(submissions.status, 'submitted')))
        .for('update', { of: submissions, skipLocked: true });
      if (!motion) return false;
      const { submission } = motion;
      const accepted = await acceptedCount(tx, id);
      if (accepted >= rules.cosigners) return false;
      const suggestionCode = await spawnSuggestion(tx, submission, now, timeZone);
      await tx
        .update(submissions)
        .set({
          status: 'converted',
          updatedAt: now,
          details: { ...submission.details, convertedTo: suggestionCode },
        })
        .where(eq(submissions.id, id));
      await tx.insert(submissionEvents).values({
        submissionId: id,
        at: now,
        actorType: 'system',
        type: 'status_changed',
        fromStatus: 'submitted',
        toStatus: 'converted',
        note: suggestionCode,
      });
      await audit(tx, {
        at: now,
        actorType: 'system',
        actorId: null,
        action: 'motion.converted',
        subjectType: 'submission',
        subjectId: submission.referenceCode,
        detail: { accepted, needed: rules.cosigners, suggestion: suggestionCode },
      });
      await enqueue(tx, keys, [
        {
          ...signedOrigin(submission),
          message: motionNotices.converted(
            submission.referenceCode,
            accepted,
            rules.cosigners,
            suggestionCode,
            motion.language,
          ),
        },
      ]);
      return true;
    });
    if (done) converted++;
  }
  return converted;
}

/** A suggestion made from a motion (its reasons and measures as the description); resolves to its reference. */
export async function spawnSuggestion(
  tx: Db,
  motion: SubmissionRow,
  now: Date,
  timeZone: string,
): Promise<string> {
  const code = await nextReferenceCode(tx, referencePrefixes.suggestion, yearIn(now, timeZone));
  const [suggestion] = await tx
    .insert(submissions)
    .values({
      kind: 'suggestion',
      referenceCode: code,
      personId: motion.personId,
      originChannel: motion.originChannel,
      originChatId: motion.originChatId,
      status: 'submitted',
      title: motion.title,
      category: 'management',
      details: {
        description: `${motion.details.reasons ?? ''}\n\n${motion.details.measures ?? ''}`.trim(),
        benefit: '',
        fromMotion: motion.referenceCode,
      },
      orgUnitId: motion.orgUnitId,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: submissions.id });
  await tx.insert(submissionEvents).values({
    submissionId: suggestion!.id,
    at: now,
    actorType: 'system',
    type: 'submitted',
    toStatus: 'submitted',
  });
  return code;
}
