/** 我的/mine: the person's own items with their status and last update. */
import { formatTime, t } from '../../kernel/l10n.ts';
import type { CommandDef } from '../engine/types.ts';
import { finish } from '../engine/types.ts';
import { type HelpKind, helpKindLabels, helpKinds } from '../help/kinds.ts';
import { statusLabel } from '../lifecycles.ts';
import { categoryLabels, type SuggestionCategory, suggestionCategories } from '../suggestion/categories.ts';

const text = {
  title: { zh: '我的事项', en: 'My items' },
  listTitle: (shown: number, total: number) => ({
    zh: total > shown ? `我的事项（最近 ${shown} 条，共 ${total} 条）` : `我的事项（共 ${total} 条）`,
    en: total > shown ? `My items (latest ${shown} of ${total})` : `My items (${total})`,
  }),
  none: {
    zh: '您还没有提交过事项。发送“建议”即可提合理化建议。',
    en: 'You have not submitted anything yet. Send "suggest" to make a suggestion.',
  },
  updated: { zh: '更新于', en: 'updated' },
  footer: {
    zh: '状态有变化时，我们会在这里通知您。发送编号（如 JY-2026-0001）可查看详情。',
    en: 'You will be told here whenever a status changes. Send a reference (e.g. JY-2026-0001) for details.',
  },
  notFound: (ref: string) => ({
    zh: `没有找到您提交的编号为 ${ref} 的事项。发送“我的”查看全部。`,
    en: `None of your items has the reference ${ref}. Send "mine" to see them all.`,
  }),
  status: { zh: '状态', en: 'Status' },
  category: { zh: '类别', en: 'Category' },
  submitted: { zh: '提交时间', en: 'Submitted' },
  updatedAt: { zh: '最近更新', en: 'Last update' },
  reply: { zh: '最新答复', en: 'Latest reply' },
};

const referencePattern = /^[A-Z]{2}-\d{4}-\d{4,6}$/;
const asReference = (text: string) => text.trim().toUpperCase();
const isCategory = (value: string): value is SuggestionCategory =>
  (suggestionCategories as readonly string[]).includes(value);

const isHelpKind = (value: string): value is HelpKind => (helpKinds as readonly string[]).includes(value);

const shown = 10;

export const mineCommand: CommandDef = {
  name: 'mine',
  title: text.title,
  words: ['我的', '我的事项', '进度', 'mine', 'my items', 'status'],
  matches: (said) => referencePattern.test(asReference(said)),
  run: (_ctx, said) => (referencePattern.test(asReference(said)) ? showOne(asReference(said)) : showAll()),
};

function showOne(referenceCode: string) {
  return finish({ type: 'items.one', referenceCode }, ({ item }, ctx) => {
    if (!item) return [{ type: 'text', text: t(ctx.lang, text.notFound(referenceCode)) }];
    const status = t(ctx.lang, statusLabel(item.kind, item.status));
    const category = isCategory(item.category)
      ? t(ctx.lang, categoryLabels[item.category])
      : isHelpKind(item.category)
        ? t(ctx.lang, helpKindLabels[item.category])
        : item.category;
    return [
      {
        type: 'summary',
        title: `${item.referenceCode} ${item.title}`,
        fields: [
          { label: t(ctx.lang, text.status), value: status },
          { label: t(ctx.lang, text.category), value: category },
          { label: t(ctx.lang, text.submitted), value: formatTime(item.createdAt, ctx.timeZone) },
          { label: t(ctx.lang, text.updatedAt), value: formatTime(item.updatedAt, ctx.timeZone) },
          ...(item.lastReply ? [{ label: t(ctx.lang, text.reply), value: item.lastReply }] : []),
        ],
      },
    ];
  });
}

function showAll() {
  return finish({ type: 'items.mine', limit: shown }, (result, ctx) => {
    if (result.items.length === 0) return [{ type: 'text', text: t(ctx.lang, text.none) }];
    return [
      {
        type: 'summary',
        title: t(ctx.lang, text.listTitle(result.items.length, result.total)),
        fields: result.items.map((item) => ({
          label: `${item.referenceCode} ${item.title}`,
          value: `${t(ctx.lang, statusLabel(item.kind, item.status))} · ${t(ctx.lang, text.updated)} ${formatTime(item.updatedAt, ctx.timeZone)}`,
        })),
        text: t(ctx.lang, text.footer),
      },
    ];
  });
}
