/**
 * 办理 with a status and no words (a tap on a new item's button, or "办理 JY-2026-0001 审核中"):
 * nothing moves yet; the officer is asked for the reply the person will read — required where the
 * move needs a reason (未采纳, 不予立案…), otherwise optional (跳过) — and then it moves, so a
 * tap never moves an item silently and a missing reason is asked for, not refused.
 */
import { z } from 'zod';
import type { L10n } from '../../kernel/l10n.ts';
import { rolesFor } from '../access/rules.ts';
import { textInput } from '../engine/inputs.ts';
import { defineFlow, finish, invalid, type Transition } from '../engine/types.ts';
import { allStatuses, statusLabel } from '../lifecycles.ts';
import { caseMessage, kindOfPrefix } from './officer.ts';

export const caseReplyLimits = { max: 500 } as const;

const text = {
  title: { zh: '办理事项', en: 'Handle an item' },
  askOptional: (ref: string, status: L10n) => ({
    zh: `把 ${ref} 改为“${status.zh}”。请输入给提出人的答复（会发到对方的聊天里），或点“跳过”不附答复：`,
    en: `Moving ${ref} to “${status.en}”. Type the reply the author will read, or press Skip to send none:`,
  }),
  reasonNeeded: {
    zh: '这一步需要说明原因，不能跳过。',
    en: 'This step needs a reason; it cannot be skipped.',
  },
  askRequired: (ref: string, status: L10n) => ({
    zh: `把 ${ref} 改为“${status.zh}”需要说明原因。请输入给提出人的答复（最多 ${caseReplyLimits.max} 字）：`,
    en: `Moving ${ref} to “${status.en}” needs a reason. Type the reply the author will read (at most ${caseReplyLimits.max} characters):`,
  }),
};

const dataSchema = z.object({ ref: z.string().max(40), status: z.enum(allStatuses) });
type CaseReplyData = z.infer<typeof dataSchema>;

const move = (data: CaseReplyData, reply: string): Transition<CaseReplyData> =>
  finish(
    { type: 'case.move', referenceCode: data.ref, said: `${data.status} ${reply}`.trim() },
    (outcome, ctx) => [caseMessage(outcome, data.ref, ctx)],
  );

export const caseReplyFlow = defineFlow<CaseReplyData>({
  name: 'case_reply',
  version: 1,
  title: text.title,
  words: [],
  roles: rolesFor('item.move'),
  listed: false,
  data: dataSchema,
  initial: () => ({ ref: '', status: 'in_review' }),
  first: 'reply',
  steps: {
    reply: {
      kind: 'text',
      prompt: (data) =>
        text.askOptional(
          data.ref,
          statusLabel(kindOfPrefix[data.ref.slice(0, 2)] ?? 'suggestion', data.status),
        ),
      maxLength: caseReplyLimits.max,
      optional: true,
      input: textInput({ max: caseReplyLimits.max }),
      next: (reply, data) => move(data, reply),
    },
    reason: {
      kind: 'text',
      prompt: (data) =>
        text.askRequired(
          data.ref,
          statusLabel(kindOfPrefix[data.ref.slice(0, 2)] ?? 'suggestion', data.status),
        ),
      maxLength: caseReplyLimits.max,
      input: textInput({ min: 2, max: caseReplyLimits.max }),
      // 跳过 is not a reason: asked again.
      next: (reply, data) =>
        /^(跳过|skip)$/i.test(reply.trim()) ? invalid(text.reasonNeeded) : move(data, reply),
    },
  },
});
