/** The message a proposer gets when an officer moves their suggestion on. */
import type { Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type Lang, t } from '../engine/l10n.ts';
import { type SuggestionStatus, statusLabels } from './lifecycle.ts';
import { suggestionText as m } from './messages.ts';

const text = {
  title: { zh: '您的合理化建议有新进展', en: 'Update on your suggestion' },
  change: { zh: '状态', en: 'Status' },
  reply: { zh: '答复', en: 'Reply' },
  at: { zh: '时间', en: 'Time' },
  footer: { zh: '发送“我的”可查看全部事项。', en: 'Send "mine" to see all your items.' },
};

const tones: Partial<Record<SuggestionStatus, 'success' | 'warning'>> = {
  accepted: 'success',
  implemented: 'success',
  rewarded: 'success',
  not_adopted: 'warning',
};

export interface StatusChange {
  referenceCode: string;
  title: string;
  from: SuggestionStatus;
  to: SuggestionStatus;
  reply: string;
  at: Date;
}

export function statusChangedNotice(change: StatusChange, lang: Lang, timeZone: string): Outbound {
  return {
    type: 'summary',
    tone: tones[change.to] ?? 'info',
    title: t(lang, text.title),
    fields: [
      { label: t(lang, m.fieldReference), value: change.referenceCode },
      { label: t(lang, m.fieldTitle), value: change.title },
      {
        label: t(lang, text.change),
        value: `${t(lang, statusLabels[change.from])} → ${t(lang, statusLabels[change.to])}`,
      },
      ...(change.reply ? [{ label: t(lang, text.reply), value: change.reply }] : []),
      { label: t(lang, text.at), value: formatTime(change.at, timeZone) },
    ],
    text: t(lang, text.footer),
  };
}
