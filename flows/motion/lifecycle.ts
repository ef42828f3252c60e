/**
 * The motion lifecycle (职代会提案): submitted (gathering co-signers) → registered (立案) |
 * converted (to a suggestion) | declined (with the reason) → assigned to a department → answered →
 * closed after the author's rating, or back to assigned when the author is not satisfied.
 */
import type { L10n } from '../../kernel/l10n.ts';

export const motionStatuses = [
  'submitted',
  'registered',
  'converted',
  'declined',
  'assigned',
  'answered',
  'closed',
] as const;
export type MotionStatus = (typeof motionStatuses)[number];

export const motionTransitions: Readonly<Record<MotionStatus, readonly MotionStatus[]>> = {
  submitted: ['registered', 'converted', 'declined'],
  registered: ['assigned'],
  converted: [],
  declined: [],
  // Back to registered: the department sends it back within its window.
  assigned: ['answered', 'registered'],
  answered: ['closed', 'assigned'],
  closed: [],
};

/** A motion's answer grade: A solved, B in progress, C not possible now, D for reference. */
export const grades = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof grades)[number];

export const motionReplyRequired: ReadonlySet<MotionStatus> = new Set(['declined', 'answered']);

export const motionStatusLabels: Record<MotionStatus, L10n> = {
  submitted: { zh: '征集附议', en: 'Gathering co-signers' },
  registered: { zh: '已立案', en: 'Registered' },
  converted: { zh: '已转为建议', en: 'Converted to a suggestion' },
  declined: { zh: '不予立案', en: 'Declined' },
  assigned: { zh: '承办中', en: 'Assigned' },
  answered: { zh: '已答复', en: 'Answered' },
  closed: { zh: '已办结', en: 'Closed' },
};
