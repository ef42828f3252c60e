/**
 * The suggestion flow (合理化建议): title, category, description, expected benefit, anonymity,
 * confirmation, then a receipt with the reference code.
 */

import { formatTime, t } from '../../kernel/l10n.ts';
import { clipText } from '../../kernel/text.ts';
import { authorNameField, authorNameStep, needsName } from '../author-name.ts';
import { textInput } from '../engine/inputs.ts';
import { defineFlow, finish, goto } from '../engine/types.ts';
import { draftFileRule, filedFilesField, filesField } from '../files/draft.ts';
import {
  categoryAliases,
  categoryLabels,
  type SuggestionCategory,
  suggestionCategories,
} from './categories.ts';
import {
  suggestionLimits as limits,
  type SuggestionData,
  suggestionDataSchema,
  suggestionDraftSchema,
} from './draft.ts';
import { isSuggestionStatus, statusLabels } from './lifecycle.ts';
import { suggestionText as m } from './messages.ts';

export const suggestionFlow = defineFlow<SuggestionData>({
  name: 'suggestion',
  version: 1,
  title: m.title,
  words: ['建议', '提建议', '合理化建议', 'suggest', 'suggestion'],
  data: suggestionDataSchema,
  files: draftFileRule<SuggestionData>('photo'),
  initial: () => ({}),
  first: 'title',
  steps: {
    title: {
      kind: 'text',
      prompt: () => m.askTitle,
      maxLength: limits.title.max,
      input: textInput(limits.title),
      next: (title, data) => goto('category', { ...data, title }),
    },
    category: {
      kind: 'choice',
      prompt: () => m.askCategory,
      options: () =>
        suggestionCategories.map((value) => ({
          value,
          label: categoryLabels[value],
          aliases: categoryAliases[value],
        })),
      next: (value, data) => goto('description', { ...data, category: value as SuggestionCategory }),
    },
    description: {
      kind: 'text',
      prompt: () => m.askDescription,
      maxLength: limits.description.max,
      input: textInput(limits.description),
      next: (description, data) => goto('benefit', { ...data, description }),
    },
    benefit: {
      kind: 'text',
      prompt: () => m.askBenefit,
      maxLength: limits.benefit.max,
      optional: true,
      input: textInput({ max: limits.benefit.max }),
      next: (benefit, data) => goto('anonymous', { ...data, benefit }),
    },
    anonymous: {
      kind: 'choice',
      prompt: () => m.askAnonymous,
      options: () => [
        {
          value: 'signed',
          label: m.signed,
          aliases: ['署名', '实名', 'signed', 'name', '不匿名', '否', 'no'],
        },
        { value: 'anonymous', label: m.anonymous, aliases: ['匿名', 'anonymous', '是', 'yes'] },
      ],
      next: (value, data, ctx) =>
        goto(needsName(ctx, value === 'signed') ? 'name' : 'confirm', {
          ...data,
          anonymous: value === 'anonymous',
        }),
    },
    name: authorNameStep('confirm'),
    confirm: {
      kind: 'confirm',
      title: () => m.confirmTitle,
      fields: (data) => [
        { label: m.fieldTitle, value: data.title ?? '' },
        { label: m.fieldCategory, value: data.category ? categoryLabels[data.category] : '' },
        { label: m.fieldDescription, value: clipText(data.description ?? '', 200) },
        { label: m.fieldBenefit, value: data.benefit || m.notGiven },
        { label: m.fieldAnonymous, value: data.anonymous ? m.anonymous : m.signed },
        ...(data.authorName && !data.anonymous ? [{ label: authorNameField, value: data.authorName }] : []),
        ...filesField(data.files),
      ],
      prompt: () => m.confirmPrompt,
      confirmLabel: m.submit,
      next: (data) => {
        // A name given, then 上一步 to 匿名: the name does not go with an anonymous item.
        const draft = suggestionDraftSchema.parse(data.anonymous ? { ...data, authorName: undefined } : data);
        return finish({ type: 'suggestion.create', draft }, (receipt, ctx) => [
          {
            type: 'summary',
            tone: 'success',
            title: t(ctx.lang, m.receiptTitle),
            fields: [
              { label: t(ctx.lang, m.fieldReference), value: receipt.referenceCode },
              { label: t(ctx.lang, m.fieldTitle), value: draft.title },
              { label: t(ctx.lang, m.fieldCategory), value: t(ctx.lang, categoryLabels[draft.category]) },
              {
                label: t(ctx.lang, m.fieldStatus),
                value: isSuggestionStatus(receipt.status)
                  ? t(ctx.lang, statusLabels[receipt.status])
                  : receipt.status,
              },
              { label: t(ctx.lang, m.fieldSubmittedAt), value: formatTime(receipt.createdAt, ctx.timeZone) },
              ...filedFilesField(receipt.files, ctx.lang),
            ],
            text: t(ctx.lang, m.receiptText),
          },
        ]);
      },
    },
  },
});
