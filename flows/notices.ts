/** The message a person gets when an officer moves their item on. */
import type { Outbound } from '../bots/core/messenger.ts';
import { formatTime, type Lang, t } from '../kernel/l10n.ts';
import { type ItemKind, lifecycles, statusLabel } from './lifecycles.ts';

const text = {
  title: (kind: ItemKind, lang: Lang) =>
    lang === 'zh' ? `您的${lifecycles[kind].name.zh}有新进展` : `Update on your ${lifecycles[kind].name.en}`,
  reference: { zh: '编号', en: 'Reference' },
  subject: { zh: '事项', en: 'Item' },
  change: { zh: '状态', en: 'Status' },
  reply: { zh: '答复', en: 'Reply' },
  at: { zh: '时间', en: 'Time' },
  footer: { zh: '发送“我的”可查看全部事项。', en: 'Send "mine" to see all your items.' },
};

const good = new Set(['accepted', 'implemented', 'rewarded', 'approved', 'delivered']);
const bad = new Set(['not_adopted', 'declined']);

export interface StatusChange {
  kind: ItemKind;
  referenceCode: string;
  title: string;
  from: string;
  to: string;
  reply: string;
  at: Date;
  /** A motion's answer grade. */
  grade?: 'A' | 'B' | 'C' | 'D';
}

export const gradeLabels = {
  A: { zh: 'A 已解决', en: 'A solved' },
  B: { zh: 'B 正在解决', en: 'B in progress' },
  C: { zh: 'C 暂不具备条件', en: 'C not possible now' },
  D: { zh: 'D 留作参考', en: 'D for reference' },
} as const;

export function statusChangedNotice(change: StatusChange, lang: Lang, timeZone: string): Outbound {
  return {
    type: 'summary',
    tone: good.has(change.to) ? 'success' : bad.has(change.to) ? 'warning' : 'info',
    title: text.title(change.kind, lang),
    fields: [
      { label: t(lang, text.reference), value: change.referenceCode },
      { label: t(lang, text.subject), value: change.title },
      {
        label: t(lang, text.change),
        value: `${t(lang, statusLabel(change.kind, change.from))} → ${t(lang, statusLabel(change.kind, change.to))}`,
      },
      ...(change.grade
        ? [{ label: lang === 'zh' ? '答复类别' : 'Grade', value: t(lang, gradeLabels[change.grade]) }]
        : []),
      ...(change.reply ? [{ label: t(lang, text.reply), value: change.reply }] : []),
      { label: t(lang, text.at), value: formatTime(change.at, timeZone) },
    ],
    text: t(lang, text.footer),
  };
}
