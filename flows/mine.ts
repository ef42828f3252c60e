/** 我的/mine: the person's own items with their status and last update. */
import { formatTime, t } from './engine/l10n.ts';
import type { CommandDef } from './engine/types.ts';
import { finish } from './engine/types.ts';
import { isSuggestionStatus, statusLabels } from './suggestion/lifecycle.ts';

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
    zh: '状态有变化时，我们会在这里通知您。',
    en: 'You will be told here whenever a status changes.',
  },
};

const shown = 10;

export const mineCommand: CommandDef = {
  name: 'mine',
  title: text.title,
  words: ['我的', '我的事项', '进度', 'mine', 'my items', 'status'],
  run: () =>
    finish({ type: 'items.mine', limit: shown }, (result, ctx) => {
      if (result.items.length === 0) return [{ type: 'text', text: t(ctx.lang, text.none) }];
      return [
        {
          type: 'summary',
          title: t(ctx.lang, text.listTitle(result.items.length, result.total)),
          fields: result.items.map((item) => ({
            label: `${item.referenceCode} ${item.title}`,
            value: `${isSuggestionStatus(item.status) ? t(ctx.lang, statusLabels[item.status]) : item.status} · ${t(ctx.lang, text.updated)} ${formatTime(item.updatedAt, ctx.timeZone)}`,
          })),
          text: t(ctx.lang, text.footer),
        },
      ];
    }),
};
