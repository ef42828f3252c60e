/**
 * What a kind of item adds to a move beyond its lifecycle (a motion's co-signers before it is
 * registered, its answer deadline, its grade): the columns the move also sets, or why it may not
 * be made. The items' lifecycle calls the rule of the item's kind; each kind's capability writes
 * its rule, and the runtime hands the rules in, so items need not know any kind's insides.
 */
import type { Db } from '../../../db/handle.ts';
import type { SubmissionRow } from '../../../db/schema/index.ts';
import type { ItemKind, ItemStatus } from '../../../flows/lifecycles.ts';
import type { Grade } from '../../../flows/motion/lifecycle.ts';

export interface KindMove {
  to: ItemStatus;
  now: Date;
  timeZone: string;
  /** A motion's answer grade, and the department it is assigned to. */
  grade?: Grade;
  department?: string;
}

export type KindMoveCheck =
  | { ok: true; set: Partial<Pick<SubmissionRow, 'answerDueAt' | 'assignedAt' | 'grade' | 'details'>> }
  | { ok: false; reason: 'not_cosigned' | 'grade_required' | 'send_back_closed' };

/** May write (a motion converted to a suggestion makes the suggestion), inside the move's transaction. */
export type KindMoveRule = (tx: Db, item: SubmissionRow, move: KindMove) => Promise<KindMoveCheck>;

/** The rule of each kind that has one. */
export type KindRules = Readonly<Partial<Record<ItemKind, KindMoveRule>>>;
