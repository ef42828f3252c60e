/**
 * Congress motions: filing with invitations to co-sign, the delegates' answers, and converting a
 * motion that did not gather enough co-signers by its deadline into a suggestion.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import {
  congressSessions,
  motionCosigners,
  people,
  type SubmissionRow,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import { allows } from '../../../flows/access/rules.ts';
import type { EffectResults } from '../../../flows/effects.ts';
import { cosignInvitation, motionNotices } from '../../../flows/motion/cosign.ts';
import type { MotionDraft } from '../../../flows/motion/draft.ts';
import { yearIn } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { signedOrigin } from '../items/authors.ts';
import { recordFiling } from '../items/filing.ts';
import { nextReferenceCode, referencePrefixes } from '../items/reference-codes.ts';
import { privateChatOf } from '../people/officer-contacts.ts';

export interface MotionRules {
  /** Co-signers needed (default 2). */
  cosigners: number;
  /** Days to gather them (default 7). */
  cosignDays: number;
  /** Days a registered motion has for its answer (default 90). */
  answerDays: number;
}

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

const acceptedCount = async (tx: Db, submissionId: string) =>
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

/** Who changed a motion or a session, for the timeline and the audit log. */
export type MotionActor = { type: 'officer' | 'admin_token'; id: string | null };
const tokenActor: MotionActor = { type: 'admin_token', id: null };

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

export async function listSessions(db: Db) {
  return db.select().from(congressSessions).orderBy(congressSessions.createdAt);
}

/** Creates a session; opening one closes whichever was open (new motions join the open one). */
export async function saveSession(
  db: Db,
  session: { id?: string; nameZh?: string; nameEn?: string; open?: boolean },
  now: Date,
  actor: MotionActor = tokenActor,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    if (session.open)
      await tx.update(congressSessions).set({ open: false }).where(eq(congressSessions.open, true));
    let id = session.id;
    if (id) {
      const updated = await tx
        .update(congressSessions)
        .set({
          ...(session.nameZh ? { nameZh: session.nameZh } : {}),
          ...(session.nameEn ? { nameEn: session.nameEn } : {}),
          ...(session.open !== undefined ? { open: session.open } : {}),
        })
        .where(eq(congressSessions.id, id))
        .returning({ id: congressSessions.id });
      if (updated.length === 0) return null;
    } else {
      const [row] = await tx
        .insert(congressSessions)
        .values({
          nameZh: session.nameZh!,
          nameEn: session.nameEn!,
          open: session.open ?? false,
          createdAt: now,
        })
        .returning({ id: congressSessions.id });
      id = row!.id;
    }
    await audit(tx, {
      at: now,
      actorType: actor.type,
      actorId: actor.id,
      action: 'congress_session.save',
      subjectType: 'congress_session',
      subjectId: id,
      detail: { open: session.open },
    });
    return id;
  });
}
