/**
 * Congress motions: filing with invitations to co-sign, and the delegates' answers. Converting a
 * motion short of co-signers is in conversion.ts, moving its answer deadline in deadline.ts, the
 * congress sessions in sessions.ts.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import {
  congressSessions,
  motionCosigners,
  people,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import { allows } from '../../../flows/access/rules.ts';
import type { EffectResults } from '../../../flows/effects.ts';
import { cosignInvitation, motionNotices } from '../../../flows/motion/cosign.ts';
import type { MotionDraft } from '../../../flows/motion/draft.ts';
import { yearIn } from '../../../kernel/l10n.ts';
import type { MotionRules } from '../../kernel/config.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';

import { audit } from '../../pipeline/audit.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { signedOrigin } from '../items/authors.ts';
import { recordFiling } from '../items/filing.ts';
import { nextReferenceCode, referencePrefixes } from '../items/reference-codes.ts';
import { privateChatOf } from '../people/officer-contacts.ts';

export interface MotionFilingContext extends MotionRules {
  personId: string;
  channel: ChannelName;
  chatId: string;
  now: Date;
  timeZone: string;
  keyRing: KeyRing;
}

export async function createMotion(
  tx: Db,
  draft: MotionDraft,
  at: MotionFilingContext,
): Promise<EffectResults['motion.create']> {
  const referenceCode = await nextReferenceCode(tx, referencePrefixes.motion, yearIn(at.now, at.timeZone));
  const cosignDueAt = new Date(at.now.getTime() + at.cosignDays * 86_400_000);
  const [session] = await tx
    .select({ id: congressSessions.id })
    .from(congressSessions)
    .where(eq(congressSessions.open, true))
    .limit(1);
  const [row] = await tx
    .insert(submissions)
    .values({
      kind: 'motion',
      referenceCode,
      personId: at.personId,
      originChannel: at.channel,
      originChatId: at.chatId,
      status: 'submitted',
      title: draft.title,
      category: 'motion',
      details: { reasons: draft.reasons, measures: draft.measures, department: draft.department },
      orgUnitId: sql`(select ${people.orgUnitId} from ${people} where ${people.id} = ${at.personId})`,
      sessionId: session?.id ?? null,
      cosignDueAt,
      createdAt: at.now,
      updatedAt: at.now,
    })
    .returning();
  const [author] = await tx
    .select({ name: people.displayName })
    .from(people)
    .where(eq(people.id, at.personId));
  // Those who may co-sign (delegates), and not the author.
  const found = await tx
    .select({ id: people.id, memberNo: people.memberNo, role: people.role })
    .from(people)
    .where(inArray(people.memberNo, draft.cosigners));
  const invited = found.filter((p) => allows(p.role, 'motion.cosign') && p.id !== at.personId);
  const rejected = draft.cosigners.filter((no) => !invited.some((p) => p.memberNo === no));
  if (invited.length > 0) {
    await tx
      .insert(motionCosigners)
      .values(invited.map((p) => ({ submissionId: row!.id, personId: p.id, createdAt: at.now })));
  }
  for (const delegate of invited) {
    const chat = await privateChatOf(tx, delegate.id);
    if (!chat) continue;
    await enqueue(tx, at.keyRing, [
      {
        channel: chat.channel,
        chatId: chat.chatId,
        message: cosignInvitation(
          { ...draft, referenceCode, author: author?.name ?? '', dueAt: cosignDueAt },
          chat.language,
          at.timeZone,
        ),
      },
    ]);
  }
  await recordFiling(tx, row!, at.keyRing, {
    now: at.now,
    category: draft.department,
    detail: { invited: invited.length },
  });
  return {
    referenceCode,
    cosignDueAt: cosignDueAt.toISOString(),
    needed: at.cosigners,
    invited: invited.map((p) => p.memberNo).sort((a, b) => a - b),
    rejected,
  };
}

/** How many co-signers a motion has gathered. */
export const acceptedCount = async (tx: Db, submissionId: string) =>
  (
    await tx
      .select({ n: count() })
      .from(motionCosigners)
      .where(and(eq(motionCosigners.submissionId, submissionId), eq(motionCosigners.status, 'accepted')))
  )[0]!.n;

export async function answerInvitation(
  tx: Db,
  answer: {
    personId: string;
    referenceCode: string;
    accept: boolean;
    now: Date;
    rules: MotionRules;
    keyRing: KeyRing;
  },
): Promise<EffectResults['motion.cosign']> {
  const [motion] = await tx
    .select({ submission: submissions, language: people.language })
    .from(submissions)
    .innerJoin(people, eq(people.id, submissions.personId))
    .where(and(eq(submissions.referenceCode, answer.referenceCode), eq(submissions.kind, 'motion')))
    .for('update', { of: submissions });
  if (!motion) return { ok: false, reason: 'not_found' };
  const { submission } = motion;
  if (submission.personId === answer.personId) return { ok: false, reason: 'own' };
  const [invitation] = await tx
    .select()
    .from(motionCosigners)
    .where(
      and(eq(motionCosigners.submissionId, submission.id), eq(motionCosigners.personId, answer.personId)),
    );
  if (!invitation) return { ok: false, reason: 'not_invited' };
  if (invitation.status !== 'invited') return { ok: false, reason: 'already' };
  if (submission.status !== 'submitted' || (submission.cosignDueAt && submission.cosignDueAt <= answer.now)) {
    return { ok: false, reason: 'closed' };
  }
  await tx
    .update(motionCosigners)
    .set({ status: answer.accept ? 'accepted' : 'declined', respondedAt: answer.now })
    .where(
      and(eq(motionCosigners.submissionId, submission.id), eq(motionCosigners.personId, answer.personId)),
    );
  await tx.insert(submissionEvents).values({
    submissionId: submission.id,
    at: answer.now,
    actorType: 'person',
    actorId: answer.personId,
    type: answer.accept ? 'cosigned' : 'cosign_declined',
  });
  await audit(tx, {
    at: answer.now,
    actorType: 'person',
    actorId: answer.personId,
    action: answer.accept ? 'motion.cosign' : 'motion.cosign_decline',
    subjectType: 'submission',
    subjectId: submission.referenceCode,
  });
  const accepted = await acceptedCount(tx, submission.id);
  if (answer.accept && accepted === answer.rules.cosigners) {
    await enqueue(tx, answer.keyRing, [
      {
        ...signedOrigin(submission),
        message: motionNotices.enough(submission.referenceCode, accepted, motion.language),
      },
    ]);
  }
  return { ok: true, accepted, needed: answer.rules.cosigners };
}

/** Who changed a motion or a session, for the timeline and the audit log. */
export type MotionActor = { type: 'officer' | 'admin_token'; id: string | null };
export const tokenActor: MotionActor = { type: 'admin_token', id: null };
