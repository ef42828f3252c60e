/**
 * The suggestion lifecycle: submitted → in_review → accepted | not_adopted → implemented →
 * rewarded (optional) → closed. Officers move an item one allowed step at a time.
 */
import type { L10n } from '../../kernel/l10n.ts';

export const suggestionStatuses = [
  'submitted',
  'in_review',
  'accepted',
  'not_adopted',
  'implemented',
  'rewarded',
  'closed',
] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

export const suggestionTransitions: Readonly<Record<SuggestionStatus, readonly SuggestionStatus[]>> = {
  submitted: ['in_review'],
  in_review: ['accepted', 'not_adopted'],
  accepted: ['implemented'],
  not_adopted: ['closed'],
  implemented: ['rewarded', 'closed'],
  rewarded: ['closed'],
  closed: [],
};

/** Moves that must tell the proposer why (不予采纳 always comes with the reason). */
export const replyRequired: ReadonlySet<SuggestionStatus> = new Set(['not_adopted']);

export const statusLabels: Record<SuggestionStatus, L10n> = {
  submitted: { zh: '已提交', en: 'Submitted' },
  in_review: { zh: '审核中', en: 'In review' },
  accepted: { zh: '已采纳', en: 'Accepted' },
  not_adopted: { zh: '未采纳', en: 'Not adopted' },
  implemented: { zh: '已实施', en: 'Implemented' },
  rewarded: { zh: '已奖励', en: 'Rewarded' },
  closed: { zh: '已办结', en: 'Closed' },
};

export function isSuggestionStatus(value: string): value is SuggestionStatus {
  return (suggestionStatuses as readonly string[]).includes(value);
}

export type TransitionCheck = { ok: true } | { ok: false; reason: 'not_allowed' | 'reply_required' };

/** Whether an officer may move a suggestion from one status to another with this reply. */
export function checkTransition(
  from: SuggestionStatus,
  to: SuggestionStatus,
  reply: string,
): TransitionCheck {
  if (!suggestionTransitions[from].includes(to)) return { ok: false, reason: 'not_allowed' };
  if (replyRequired.has(to) && reply.trim() === '') return { ok: false, reason: 'reply_required' };
  return { ok: true };
}
