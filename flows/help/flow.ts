/**
 * The help-request flow (帮扶/救助, 维权咨询): kind, situation, urgency, how to be contacted,
 * confirmation, then a receipt with the reference code and the time by which an officer will
 * have acknowledged it. The situation and the phone number are never echoed back in full: the
 * messages sent are stored too, and only the sealed copy may hold them.
 */

import { formatTime, t } from '../../kernel/l10n.ts';
import { charCount } from '../../kernel/text.ts';
import { authorNameField, authorNameStep, needsName } from '../author-name.ts';
import { textInput } from '../engine/inputs.ts';
import { defineFlow, finish, goto, invalid } from '../engine/types.ts';
import { draftFileRule, filedFilesField, filesField } from '../files/draft.ts';
import { type HelpData, helpDataSchema, helpDraftSchema, helpLimits } from './draft.ts';
import {
  type HelpKind,
  helpKindAliases,
  helpKindLabels,
  helpKinds,
  type Urgency,
  urgencies,
  urgencyLabels,
} from './kinds.ts';
import { type HelpStatus, helpStatusLabels } from './lifecycle.ts';
import { helpText as m } from './messages.ts';

const phonePattern = /^[+\d][\d\s-]{3,18}\d$/;

/** 138****5678: enough to recognise, not enough to read. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 4
    ? '****'
    : `${digits.slice(0, Math.min(3, digits.length - 4))}****${digits.slice(-4)}`;
}

export const helpFlow = defineFlow<HelpData>({
  name: 'help',
  version: 1,
  title: m.title,
  words: ['求助', '帮扶', '救助', '维权', 'help', 'help-request', 'help request'],
  sensitive: true,
  data: helpDataSchema,
  files: draftFileRule<HelpData>('any'),
  initial: () => ({}),
  first: 'kind',
  steps: {
    kind: {
      kind: 'choice',
      prompt: () => m.askKind,
      options: () =>
        helpKinds.map((value) => ({ value, label: helpKindLabels[value], aliases: helpKindAliases[value] })),
      next: (value, data) => goto('situation', { ...data, kind: value as HelpKind }),
    },
    situation: {
      kind: 'text',
      prompt: () => m.askSituation,
      maxLength: helpLimits.situation.max,
      input: textInput(helpLimits.situation),
      next: (situation, data) => goto('urgency', { ...data, situation }),
    },
    urgency: {
      kind: 'choice',
      prompt: () => m.askUrgency,
      options: () =>
        urgencies.map((value, i) => ({
          value,
          label: urgencyLabels[value],
          aliases: [
            ['不急', 'normal'],
            ['急', 'urgent'],
            ['很急', '紧急', 'very urgent', 'emergency'],
          ][i]!,
        })),
      next: (value, data) => goto('contact', { ...data, urgency: value as Urgency }),
    },
    contact: {
      kind: 'choice',
      prompt: () => m.askContact,
      options: () => [
        { value: 'chat', label: m.byChat, aliases: ['这里', '聊天', 'chat', 'here'] },
        { value: 'phone', label: m.byPhone, aliases: ['电话', 'phone', 'call'] },
      ],
      next: (value, data, ctx) =>
        value === 'phone'
          ? goto('phone', data)
          : goto(needsName(ctx, true) ? 'name' : 'confirm', { ...data, contact: { way: 'chat' as const } }),
    },
    phone: {
      kind: 'text',
      prompt: () => m.askPhone,
      maxLength: helpLimits.phone.max,
      input: textInput(helpLimits.phone),
      next: (phone, data, ctx) =>
        phonePattern.test(phone)
          ? goto(needsName(ctx, true) ? 'name' : 'confirm', {
              ...data,
              contact: { way: 'phone' as const, phone },
            })
          : invalid(m.badPhone),
    },
    name: authorNameStep('confirm'),
    confirm: {
      kind: 'confirm',
      title: () => m.confirmTitle,
      fields: (data) => [
        { label: m.fieldKind, value: data.kind ? helpKindLabels[data.kind] : '' },
        { label: m.fieldSituation, value: m.written(charCount(data.situation ?? '')) },
        { label: m.fieldUrgency, value: data.urgency ? urgencyLabels[data.urgency] : '' },
        {
          label: m.fieldContact,
          value: data.contact?.way === 'phone' ? m.phone(maskPhone(data.contact.phone)) : m.byChat,
        },
        ...(data.authorName ? [{ label: authorNameField, value: data.authorName }] : []),
        ...filesField(data.files),
      ],
      prompt: () => m.confirmPrompt,
      confirmLabel: m.submit,
      next: (data) => {
        const draft = helpDraftSchema.parse(data);
        return finish({ type: 'help.create', draft }, (receipt, ctx) => [
          {
            type: 'summary',
            tone: 'success',
            title: t(ctx.lang, m.receiptTitle),
            fields: [
              { label: t(ctx.lang, m.fieldReference), value: receipt.referenceCode },
              { label: t(ctx.lang, m.fieldKind), value: t(ctx.lang, helpKindLabels[draft.kind]) },
              { label: t(ctx.lang, m.fieldUrgency), value: t(ctx.lang, urgencyLabels[draft.urgency]) },
              {
                label: t(ctx.lang, m.fieldStatus),
                value: t(ctx.lang, helpStatusLabels[receipt.status as HelpStatus] ?? m.title),
              },
              { label: t(ctx.lang, m.fieldAckBy), value: formatTime(receipt.ackDueAt, ctx.timeZone) },
              ...filedFilesField(receipt.files, ctx.lang),
            ],
            text: t(ctx.lang, m.receiptText),
          },
        ]);
      },
    },
  },
});
