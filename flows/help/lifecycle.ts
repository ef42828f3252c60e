/**
 * The help-request lifecycle: new → acknowledged → verifying → approved | declined → delivered →
 * follow-up → closed (the person rates it once closed). Declining always comes with the reason.
 */
import type { L10n } from '../../kernel/l10n.ts';

export const helpStatuses = [
  'new',
  'acknowledged',
  'verifying',
  'approved',
  'declined',
  'delivered',
  'follow_up',
  'closed',
] as const;
export type HelpStatus = (typeof helpStatuses)[number];

export const helpTransitions: Readonly<Record<HelpStatus, readonly HelpStatus[]>> = {
  new: ['acknowledged'],
  acknowledged: ['verifying'],
  verifying: ['approved', 'declined'],
  approved: ['delivered'],
  declined: ['closed'],
  delivered: ['follow_up', 'closed'],
  follow_up: ['closed'],
  closed: [],
};

export const helpReplyRequired: ReadonlySet<HelpStatus> = new Set(['declined']);

export const helpStatusLabels: Record<HelpStatus, L10n> = {
  new: { zh: '待受理', en: 'New' },
  acknowledged: { zh: '已受理', en: 'Acknowledged' },
  verifying: { zh: '核实中', en: 'Verifying' },
  approved: { zh: '已批准', en: 'Approved' },
  declined: { zh: '未批准', en: 'Declined' },
  delivered: { zh: '已发放', en: 'Delivered' },
  follow_up: { zh: '回访中', en: 'Following up' },
  closed: { zh: '已办结', en: 'Closed' },
};
