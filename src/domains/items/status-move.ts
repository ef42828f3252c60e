/**
 * Moving an item or a case one step of its lifecycle from the console, as the officer API does
 * (src/domains/items/store.ts changeStatus): the reply's length checked, the person told, and each
 * refusal said in both languages. Shared by the items and the help cases pages.
 */

import { isItemStatus, statusLabel } from '../../../flows/lifecycles.ts';
import type { Grade } from '../../../flows/motion/lifecycle.ts';
import { type L10n, t } from '../../../kernel/l10n.ts';
import type { Notice } from '../../console/access.ts';
import type { ConsoleDeps } from '../../console/context.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { statusChangeText } from './api.ts';
import { maxReplyLength } from './api-schemas.ts';
import { changeStatus } from './store.ts';

/** Words both case pages use. */
export const caseText = {
  timeline: { zh: '办理记录', en: 'Timeline' },
  move: { zh: '办理', en: 'Move on' },
  to: { zh: '改为', en: 'Move to' },
  submit: { zh: '提交', en: 'Submit' },
  back: { zh: '返回列表', en: 'Back to the list' },
  unitMoved: {
    zh: '提出人的单位已变更，尚未受理的事项随之转至新单位',
    en: 'The author moved to another unit; not yet taken up, it moved with them',
  },
  noStatus: { zh: '请选择要改成的状态。', en: 'Choose the status to move to.' },
  tooLong: {
    zh: `答复最多 ${maxReplyLength} 字。`,
    en: `A reply may be ${maxReplyLength} characters at most.`,
  },
} satisfies Record<string, L10n>;

/** What a timeline entry says: the status it moved to, or what happened. */
export function eventLabel(
  kind: string,
  event: { type: string; toStatus: string | null },
  lang: 'zh' | 'en',
): string {
  if (event.toStatus) return t(lang, statusLabel(kind, event.toStatus));
  if (event.type === 'unit_moved') return t(lang, caseText.unitMoved);
  const named = eventNames[event.type];
  return named ? t(lang, named) : event.type;
}

/** Timeline events that do not move the status, by name. */
const eventNames: Record<string, L10n> = {
  rated: { zh: '提出人评价', en: 'Rated by the author' },
  reopened: { zh: '提出人不满意，退回重办', en: 'Sent back by the author for another answer' },
  extended: { zh: '延长答复期限', en: 'Answer deadline extended' },
  cosigned: { zh: '代表附议', en: 'Co-signed by a delegate' },
  cosign_declined: { zh: '代表不附议', en: 'A delegate declined to co-sign' },
  message_out: { zh: '工会干部答复', en: 'An officer wrote' },
  question: { zh: '工会干部提问', en: 'An officer asked' },
  message_in: { zh: '提出人回复', en: 'The author wrote' },
};

export interface MoveRequest {
  ref: string;
  to: string;
  reply: string;
  grade?: Grade;
  department?: string;
}

/** The notice to show after the move, or 'not_found'. */
export async function moveFromConsole(
  deps: ConsoleDeps,
  user: ConsoleUser,
  move: MoveRequest,
  done: L10n,
): Promise<Notice | 'not_found'> {
  // A status no lifecycle has (only a hand-made form sends one) is as good as none.
  if (!move.to || !isItemStatus(move.to)) return { ok: false, text: caseText.noStatus };
  if ([...move.reply].length > maxReplyLength) return { ok: false, text: caseText.tooLong };
  const result = await changeStatus(deps.db, {
    referenceCode: move.ref,
    to: move.to,
    reply: move.reply,
    actor: { type: user.person ? 'officer' : 'admin_token', id: user.person?.id ?? null },
    now: deps.now(),
    timeZone: deps.timeZone,
    keyRing: deps.keys,
    ...(move.grade ? { grade: move.grade } : {}),
    ...(move.department && move.department.length >= 2 ? { department: move.department } : {}),
    kindRules: deps.kindRules,
  });
  if (result.ok) {
    deps.wake.outbox();
    return { ok: true, text: done };
  }
  if (result.reason === 'not_found') return 'not_found';
  if (result.reason === 'reply_required')
    return { ok: false, text: statusChangeText.replyRequired(result.kind, move.to) };
  if (result.reason === 'not_allowed')
    return {
      ok: false,
      text: statusChangeText.notAllowed(result.kind, result.from, move.to, result.allowed),
    };
  return { ok: false, text: statusChangeText[result.reason] };
}
