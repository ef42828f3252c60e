/**
 * Every kind of item and its lifecycle, so officers' moves, notices and 我的 treat suggestions
 * and help requests alike. Each kind lists its statuses, the moves allowed from each, the moves
 * that must tell the person why, and the names people read.
 */
import type { L10n } from '../kernel/l10n.ts';
import {
  type HelpStatus,
  helpReplyRequired,
  helpStatuses,
  helpStatusLabels,
  helpTransitions,
} from './help/lifecycle.ts';
import {
  type MotionStatus,
  motionReplyRequired,
  motionStatuses,
  motionStatusLabels,
  motionTransitions,
} from './motion/lifecycle.ts';
import {
  type SuggestionStatus,
  replyRequired as suggestionReplyRequired,
  suggestionStatuses,
  statusLabels as suggestionStatusLabels,
  suggestionTransitions,
} from './suggestion/lifecycle.ts';

export const itemKinds = ['suggestion', 'help_request', 'motion'] as const;
export type ItemKind = (typeof itemKinds)[number];

interface Lifecycle {
  statuses: readonly ItemStatus[];
  transitions: Readonly<Record<string, readonly ItemStatus[]>>;
  replyRequired: ReadonlySet<string>;
  labels: Readonly<Record<string, L10n>>;
  /** What the item is called in notices. */
  name: L10n;
}

export const lifecycles: Record<ItemKind, Lifecycle> = {
  suggestion: {
    statuses: suggestionStatuses,
    transitions: suggestionTransitions,
    replyRequired: suggestionReplyRequired,
    labels: suggestionStatusLabels,
    name: { zh: '合理化建议', en: 'suggestion' },
  },
  motion: {
    statuses: motionStatuses,
    transitions: motionTransitions,
    replyRequired: motionReplyRequired,
    labels: motionStatusLabels,
    name: { zh: '职代会提案', en: 'congress motion' },
  },
  help_request: {
    statuses: helpStatuses,
    transitions: helpTransitions,
    replyRequired: helpReplyRequired,
    labels: helpStatusLabels,
    name: { zh: '求助', en: 'help request' },
  },
};

/** A status an item of any kind can be in. */
export type ItemStatus = SuggestionStatus | HelpStatus | MotionStatus;

/** Every status of every kind (for validating input before the item's kind is known). */
export const allStatuses = [
  ...new Set<ItemStatus>([...suggestionStatuses, ...helpStatuses, ...motionStatuses]),
] as [ItemStatus, ...ItemStatus[]];

/** What an entry in an item's timeline records. */
export const itemEventTypes = [
  'submitted',
  'status_changed',
  'reopened',
  'rated',
  'extended',
  'cosigned',
  'cosign_declined',
  'escalated',
  'unit_moved',
  /** An officer's message to the author that moves nothing (仅答复). */
  'message_out',
  /** An officer's question to the author, who answers by 回复 or by typing next. */
  'question',
  /** The author's answer or 补充说明. */
  'message_in',
] as const;
export type ItemEventType = (typeof itemEventTypes)[number];

export const isItemStatus = (status: string): status is ItemStatus =>
  (allStatuses as readonly string[]).includes(status);

export const isItemKind = (kind: string): kind is ItemKind => (itemKinds as readonly string[]).includes(kind);

/** The status as people read it; the raw value for anything unknown. */
export function statusLabel(kind: string, status: string): L10n {
  const label = isItemKind(kind) ? lifecycles[kind].labels[status] : undefined;
  return label ?? { zh: status, en: status };
}

export function nextStatuses(kind: string, status: string): readonly ItemStatus[] {
  return isItemKind(kind) ? (lifecycles[kind].transitions[status] ?? []) : [];
}

export type MoveCheck = { ok: true } | { ok: false; reason: 'not_allowed' | 'reply_required' };

/** Whether an officer may move an item of this kind from one status to another with this reply. */
export function checkMove(kind: string, from: string, to: string, reply: string): MoveCheck {
  if (!nextStatuses(kind, from).some((next) => next === to)) return { ok: false, reason: 'not_allowed' };
  if (isItemKind(kind) && lifecycles[kind].replyRequired.has(to) && reply.trim() === '') {
    return { ok: false, reason: 'reply_required' };
  }
  return { ok: true };
}
