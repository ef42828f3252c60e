/**
 * What the console's 帮扶求助 section says, in both languages: its texts, and a case's kind,
 * urgency, age and way of contact as a reader sees them.
 */
import { type HelpKind, helpKindLabels, type Urgency, urgencyLabels } from '../../../flows/help/kinds.ts';
import { type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { caseText } from '../items/status-move.ts';

export const text = {
  ...caseText,
  title: { zh: '帮扶求助', en: 'Help cases' },
  show: { zh: '显示', en: 'Show' },
  open: { zh: '未办结', en: 'Open' },
  all: { zh: '全部', en: 'All' },
  filter: { zh: '筛选', en: 'Filter' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  ref: { zh: '编号', en: 'Reference' },
  kind: { zh: '求助类型', en: 'Kind of help' },
  urgency: { zh: '紧急程度', en: 'Urgency' },
  status: { zh: '状态', en: 'Status' },
  unit: { zh: '单位', en: 'Unit' },
  filed: { zh: '提交时间', en: 'Filed' },
  age: { zh: '已过', en: 'Age' },
  ackBy: { zh: '最迟受理', en: 'Acknowledge by' },
  overdue: { zh: '受理已超时', en: 'Acknowledgement overdue' },
  none: { zh: '没有求助。', en: 'No help cases.' },
  total: (n: number) => ({ zh: `共 ${n} 件`, en: `${n} in all` }),
  situation: { zh: '情况说明', en: 'Situation' },
  contact: { zh: '联系方式', en: 'Contact' },
  byChat: { zh: '在聊天中回复', en: 'Reply in the chat' },
  phone: (n: string) => ({ zh: `电话 ${n}`, en: `Phone ${n}` }),
  raisedBy: { zh: '求助人', en: 'Asked by' },
  sealedNote: {
    zh: '以上内容加密保存，本次查看已记入审计日志。',
    en: 'This is stored sealed; this read was recorded in the audit log.',
  },
  reply: { zh: '答复（发给求助人，加密保存）', en: 'Reply (sent to the person, kept sealed)' },
  done: { zh: '已更新，求助人已收到通知。', en: 'Updated; the person has been told.' },
  closed: { zh: '该求助已办结。', en: 'This case is closed.' },
  notFound: { zh: '找不到该求助。', en: 'No such help case.' },
  notYours: {
    zh: '这是其他单位的求助，您无权查看。此次访问已记录。',
    en: 'This case belongs to another unit; you may not see it. The attempt was recorded.',
  },
  hours: (n: number) => ({ zh: `${n} 小时`, en: `${n} h` }),
  days: (n: number) => ({ zh: `${n} 天`, en: `${n} d` }),
} satisfies Record<string, L10n | ((n: never) => L10n)>;

const hour = 3_600_000;

export const kindLabel = (category: string, lang: Lang) =>
  category in helpKindLabels ? t(lang, helpKindLabels[category as HelpKind]) : category;
export const urgencyLabel = (urgency: string | undefined, lang: Lang) =>
  urgency && urgency in urgencyLabels ? t(lang, urgencyLabels[urgency as Urgency]) : (urgency ?? '');
export const ageOf = (from: Date, now: Date, lang: Lang) => {
  const hours = Math.max(0, Math.floor((now.getTime() - from.getTime()) / hour));
  return t(lang, hours < 48 ? text.hours(hours) : text.days(Math.floor(hours / 24)));
};
export const contactLabel = (contact: string, lang: Lang) =>
  contact.startsWith('phone:') ? t(lang, text.phone(contact.slice(6))) : t(lang, text.byChat);
