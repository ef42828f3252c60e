/**
 * What the console's 建议与提案 section says, in both languages: its texts, the kinds it lists
 * (help requests have their own, audited section, 帮扶求助) and a kind's name.
 */
import { html } from 'hono/html';
import { isItemKind, lifecycles } from '../../../flows/lifecycles.ts';
import { type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { caseText } from './status-move.ts';

export const text = {
  ...caseText,
  title: { zh: '建议与提案', en: 'Suggestions & motions' },
  kind: { zh: '类型', en: 'Kind' },
  status: { zh: '状态', en: 'Status' },
  search: { zh: '搜索（编号、标题、内容）', en: 'Search (reference, title, text)' },
  any: { zh: '全部', en: 'All' },
  filter: { zh: '筛选', en: 'Filter' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  ref: { zh: '编号', en: 'Reference' },
  itemTitle: { zh: '标题', en: 'Title' },
  raisedBy: { zh: '提出人', en: 'Raised by' },
  filed: { zh: '提交时间', en: 'Filed' },
  anonymous: { zh: '（匿名）', en: '(anonymous)' },
  unverified: { zh: '未核实', en: 'not verified' },
  total: (n: number) => ({ zh: `共 ${n} 条`, en: `${n} in all` }),
  none: { zh: '没有符合条件的事项。', en: 'No items match.' },
  reply: { zh: '答复（发给提出人）', en: 'Reply (sent to the person)' },
  grade: { zh: '答复类别（提案）', en: 'Grade (motions)' },
  department: { zh: '承办部门（交办提案时）', en: 'Department (assigning a motion)' },
  done: { zh: '已更新，提出人已收到通知。', en: 'Updated; the person has been told.' },
  closed: { zh: '该事项已办结。', en: 'This item is closed.' },
  notFound: { zh: '找不到该事项。', en: 'No such item.' },
  notYours: {
    zh: '这是其他单位的事项，您无权查看。此次访问已记录。',
    en: 'This item belongs to another unit; you may not see it. The attempt was recorded.',
  },
  cosignDue: { zh: '附议截止', en: 'Co-signing closes' },
  answerDue: { zh: '答复期限', en: 'Answer due' },
  extend: { zh: '延长答复期限', en: 'More time for the answer' },
  extendDays: { zh: '延长天数（1–365）', en: 'Days to add (1–365)' },
  extendReason: {
    zh: '原因（发给提案人，最多 500 字）',
    en: 'Reason (sent to the proposer, at most 500 characters)',
  },
  extendSubmit: { zh: '延长', en: 'Extend' },
  extended: (due: string) => ({
    zh: `答复期限已延长至 ${due}，提案人已收到通知。`,
    en: `The answer is now due ${due}; the proposer has been told.`,
  }),
  badExtend: {
    zh: '请填写 1 到 365 之间的整数天数和延长原因。没有修改。',
    en: 'Enter a whole number of days from 1 to 365 and the reason. Nothing was changed.',
  },
  reasonTooLong: (n: number) => ({
    zh: `原因过长：最多 500 字，您写了 ${n} 字。没有修改。`,
    en: `The reason is too long: at most 500 characters, yours has ${n}. Nothing was changed.`,
  }),
  notOpen: {
    zh: '只有已立案、尚未答复的提案可以延期。没有修改。',
    en: 'Only a registered motion that has not been answered can get more time. Nothing was changed.',
  },
} satisfies Record<string, L10n | ((n: never) => L10n)>;

/** Help requests have their own, audited section (帮扶求助). */
export const listedKinds = ['suggestion', 'motion'] as const;

export const kindName = (kind: string, lang: Lang) =>
  isItemKind(kind) ? t(lang, lifecycles[kind].name) : kind;

/** Who filed an item, as officers read it: the name, marked 未核实 when nobody vouched for them. */
export const proposerLabel = (proposer: { name: string; verified: boolean } | null, lang: Lang) =>
  proposer
    ? html`${proposer.name}${proposer.verified ? '' : html` <strong class="urgent" data-unverified>${t(lang, text.unverified)}</strong>`}`
    : t(lang, text.anonymous);
