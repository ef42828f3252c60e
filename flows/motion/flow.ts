/**
 * The motion flow (职代会提案), for delegates: title, reasons, measures, department, the delegates
 * invited to co-sign, confirmation, then a receipt with the reference and the co-signing deadline.
 */

import { formatTime, t } from '../../kernel/l10n.ts';
import { clipText } from '../../kernel/text.ts';
import { rolesFor } from '../access/rules.ts';
import { authorNameField, authorNameStep, needsName } from '../author-name.ts';
import { textInput } from '../engine/inputs.ts';
import { defineFlow, finish, goto, invalid } from '../engine/types.ts';
import {
  motionLimits as limits,
  type MotionData,
  motionDataSchema,
  motionDraftSchema,
  parseMemberNumbers,
} from './draft.ts';
import { motionText as m } from './messages.ts';

/** Co-signers a motion needs (the server checks the same number; see MOTION_COSIGNERS). */
export const defaultCosignersNeeded = 2;

export const motionFlow = defineFlow<MotionData>({
  name: 'motion',
  version: 1,
  title: m.title,
  words: ['提案', '职代会提案', 'motion'],
  roles: rolesFor('motion.file'),
  data: motionDataSchema,
  initial: () => ({}),
  first: 'title',
  steps: {
    title: {
      kind: 'text',
      prompt: () => m.askTitle,
      maxLength: limits.title.max,
      input: textInput(limits.title),
      next: (title, data) => goto('reasons', { ...data, title }),
    },
    reasons: {
      kind: 'text',
      prompt: () => m.askReasons,
      maxLength: limits.reasons.max,
      input: textInput(limits.reasons),
      next: (reasons, data) => goto('measures', { ...data, reasons }),
    },
    measures: {
      kind: 'text',
      prompt: () => m.askMeasures,
      maxLength: limits.measures.max,
      input: textInput(limits.measures),
      next: (measures, data) => goto('department', { ...data, measures }),
    },
    department: {
      kind: 'text',
      prompt: () => m.askDepartment,
      maxLength: limits.department.max,
      input: textInput(limits.department),
      next: (department, data) => goto('cosigners', { ...data, department }),
    },
    cosigners: {
      kind: 'text',
      prompt: () => m.askCosigners(defaultCosignersNeeded),
      maxLength: 200,
      input: textInput({ max: 200 }),
      next: (text, data, ctx) => {
        const numbers = parseMemberNumbers(text);
        if (!numbers || numbers.length > limits.cosigners.max) return invalid(m.badNumbers);
        if (numbers.length < defaultCosignersNeeded) return invalid(m.tooFew(defaultCosignersNeeded));
        return goto(needsName(ctx, true) ? 'name' : 'confirm', { ...data, cosigners: numbers });
      },
    },
    name: authorNameStep('confirm'),
    confirm: {
      kind: 'confirm',
      title: () => m.confirmTitle,
      fields: (data) => [
        { label: m.fieldTitle, value: data.title ?? '' },
        { label: m.fieldReasons, value: clipText(data.reasons ?? '', 200) },
        { label: m.fieldMeasures, value: clipText(data.measures ?? '', 200) },
        { label: m.fieldDepartment, value: data.department ?? '' },
        { label: m.fieldCosigners, value: (data.cosigners ?? []).join(' ') },
        ...(data.authorName ? [{ label: authorNameField, value: data.authorName }] : []),
      ],
      prompt: () => m.confirmPrompt,
      confirmLabel: m.submit,
      next: (data) => {
        const draft = motionDraftSchema.parse(data);
        return finish({ type: 'motion.create', draft }, (receipt, ctx) => [
          {
            type: 'summary',
            tone: 'success',
            title: t(ctx.lang, m.receiptTitle),
            fields: [
              { label: t(ctx.lang, m.fieldReference), value: receipt.referenceCode },
              { label: t(ctx.lang, m.fieldTitle), value: draft.title },
              { label: t(ctx.lang, m.fieldDue), value: formatTime(receipt.cosignDueAt, ctx.timeZone) },
              ...(receipt.invited.length > 0
                ? [
                    {
                      label: t(ctx.lang, m.fieldCosigners),
                      value: t(ctx.lang, m.invited(receipt.invited.join(' '))),
                    },
                  ]
                : []),
              ...(receipt.rejected.length > 0
                ? [{ label: '⚠️', value: t(ctx.lang, m.rejected(receipt.rejected.join(' '))) }]
                : []),
            ],
            text: t(ctx.lang, m.receiptText(receipt.needed)),
          },
        ]);
      },
    },
  },
});
