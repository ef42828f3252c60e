/**
 * What a motion's moves need beyond its lifecycle: registering needs its co-signers (and starts
 * the answer deadline), assigning names the department and opens a 7-day window to send it back,
 * and an answer needs its grade. Returns the columns the move sets, or why it cannot be made.
 */
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { motionCosigners, type SubmissionRow } from '../../../db/schema/index.ts';
import type { Grade } from '../../../flows/motion/lifecycle.ts';
import type { KindMoveCheck, KindMoveRule } from '../items/kind-rules.ts';
import { spawnSuggestion } from './conversion.ts';

export type { Grade } from '../../../flows/motion/lifecycle.ts';

export interface MotionMove {
  to: string;
  grade?: Grade;
  department?: string;
  now: Date;
  /** Co-signers needed to register (MOTION_COSIGNERS). */
  cosigners: number;
  /** Days an answer is due after registering (MOTION_ANSWER_DAYS). */
  answerDays: number;
  timeZone: string;
}

export const sendBackDays = 7;

export type MotionMoveCheck = KindMoveCheck;

/** The motion's rule for the items' lifecycle, with the congress's numbers (MOTION_COSIGNERS, MOTION_ANSWER_DAYS). */
export const motionMoveRule =
  (rules: { cosigners: number; answerDays: number }): KindMoveRule =>
  (tx, motion, move) =>
    checkMotionMove(tx, motion, { ...move, ...rules });

export async function checkMotionMove(
  tx: Db,
  motion: SubmissionRow,
  move: MotionMove,
): Promise<MotionMoveCheck> {
  if (motion.status === 'submitted' && move.to === 'registered') {
    const [row] = await tx
      .select({ n: count() })
      .from(motionCosigners)
      .where(and(eq(motionCosigners.submissionId, motion.id), eq(motionCosigners.status, 'accepted')));
    if ((row?.n ?? 0) < move.cosigners) return { ok: false, reason: 'not_cosigned' };
    return { ok: true, set: { answerDueAt: new Date(move.now.getTime() + move.answerDays * 86_400_000) } };
  }
  if (move.to === 'converted') {
    // Officers may handle it as a suggestion instead: one is made, and the motion points to it.
    const code = await spawnSuggestion(tx, motion, move.now, move.timeZone);
    return { ok: true, set: { details: { ...motion.details, convertedTo: code } } };
  }
  if (move.to === 'assigned' && motion.status === 'registered') {
    return {
      ok: true,
      set: {
        assignedAt: move.now,
        ...(move.department ? { details: { ...motion.details, department: move.department } } : {}),
      },
    };
  }
  if (motion.status === 'assigned' && move.to === 'registered') {
    // The department sends it back: only within the window after it was assigned.
    const since = motion.assignedAt?.getTime() ?? 0;
    if (move.now.getTime() - since > sendBackDays * 86_400_000)
      return { ok: false, reason: 'send_back_closed' };
    return { ok: true, set: {} };
  }
  if (move.to === 'answered') {
    if (!move.grade) return { ok: false, reason: 'grade_required' };
    return { ok: true, set: { grade: move.grade } };
  }
  return { ok: true, set: {} };
}
