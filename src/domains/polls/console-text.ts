/** What the console's 投票 section says, in both languages: its texts and labels. */
import type { PollRow } from '../../../db/schema/index.ts';
import { minThreshold } from '../../../flows/polls/kinds.ts';
import type { L10n } from '../../../kernel/l10n.ts';

export const text = {
  title: { zh: '投票', en: 'Polls' },
  create: { zh: '发起投票', en: 'New poll' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  no: { zh: '编号', en: 'No.' },
  code: { zh: '代码', en: 'Code' },
  status: { zh: '状态', en: 'Status' },
  question: { zh: '问题', en: 'Question' },
  opens: { zh: '开始', en: 'Opens' },
  closes: { zh: '截止', en: 'Closes' },
  none: { zh: '还没有投票。', en: 'No polls yet.' },
  recurring: { zh: '定期投票', en: 'Recurring polls' },
  trend: { zh: '趋势', en: 'Trend' },
  kind: { zh: '类型', en: 'Kind' },
  options: { zh: '选项（单选题，每行一个，2–10 个）', en: 'Options (single choice, one a line, 2–10)' },
  allowComment: { zh: '允许填写意见', en: 'Allow comments' },
  opensAt: { zh: '开始时间（不填为立即）', en: 'Opens at (empty: now)' },
  duration: { zh: '时长（小时）', en: 'Duration (hours)' },
  closesAt: { zh: '或截止时间', en: 'or closes at' },
  threshold: { zh: `公布门槛 k（至少 ${minThreshold} 人）`, en: `Threshold k (at least ${minThreshold})` },
  commentThreshold: {
    zh: `意见公布门槛（至少 ${minThreshold} 条）`,
    en: `Comment threshold (at least ${minThreshold})`,
  },
  remind: {
    zh: '几小时后提醒未作答者（可不填）',
    en: 'Remind those who have not answered after N hours (optional)',
  },
  repeat: { zh: '每周重复', en: 'Repeat weekly' },
  repeatDay: { zh: '星期', en: 'Day' },
  repeatTime: { zh: '时间', en: 'Time' },
  repeatNote: {
    zh: '定期投票只填时长，每次到点开始一轮新的投票。',
    en: 'A recurring poll takes only a duration; each week a new poll opens at that time.',
  },
  submit: { zh: '发起', en: 'Start' },
  badTime: { zh: '时间格式不对。', en: 'A time is not in the right form.' },
  audience: { zh: '范围', en: 'Audience' },
  back: { zh: '返回列表', en: 'Back to the list' },
  notFound: { zh: '找不到该投票。', en: 'No such poll.' },
  running: {
    zh: '投票进行中。为保护匿名，结束前不显示任何作答情况。',
    en: 'The poll is open. To protect anonymity nothing about its answers is shown until it closes.',
  },
  waiting: { zh: '投票尚未开始。', en: 'The poll has not opened yet.' },
  cancelledNote: { zh: '投票已撤销，没有结果。', en: 'The poll was cancelled; it has no results.' },
  closeEarly: { zh: '提前结束', en: 'Close early' },
  cancel: { zh: '撤销投票', en: 'Cancel the poll' },
  closedDone: { zh: '投票已结束，结果已发出。', en: 'The poll is closed and its results sent.' },
  cancelledDone: { zh: '投票已撤销。', en: 'The poll is cancelled.' },
  results: { zh: '结果', en: 'Results' },
  answers: { zh: '作答', en: 'Answers' },
  mean: { zh: '平均分', en: 'Mean' },
  enps: { zh: 'eNPS', en: 'eNPS' },
  comments: { zh: '意见', en: 'Comments' },
  topShare: (option: string) => ({ zh: `“${option}”占比 %`, en: `“${option}” share %` }),
  occurrence: { zh: '轮次', en: 'Occurrence' },
  tooFewShort: { zh: '人数不足', en: 'too few' },
  gapNote: {
    zh: '作答人数不足门槛的轮次不公布，图中留空。',
    en: 'Occurrences below the threshold are not shown; the lines break there.',
  },
  schedule: { zh: '每周', en: 'Weekly' },
  notYours: {
    zh: '只有发起这项投票的干部或管理员可以结束或撤销它。没有执行，此次操作已记录。',
    en: 'Only the officer who started this poll, or an admin, may close or cancel it. Nothing was done; the attempt was recorded.',
  },
  notYoursTitle: { zh: '不能结束或撤销这项投票', en: 'This poll is not yours to end' },
} satisfies Record<string, L10n | ((x: string) => L10n)>;

export const statusLabels: Record<PollRow['status'], L10n> = {
  scheduled: { zh: '待开始', en: 'Scheduled' },
  open: { zh: '进行中', en: 'Open' },
  closed: { zh: '已结束', en: 'Closed' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

export const weekdays: L10n[] = [
  { zh: '星期日', en: 'Sunday' },
  { zh: '星期一', en: 'Monday' },
  { zh: '星期二', en: 'Tuesday' },
  { zh: '星期三', en: 'Wednesday' },
  { zh: '星期四', en: 'Thursday' },
  { zh: '星期五', en: 'Friday' },
  { zh: '星期六', en: 'Saturday' },
];

/** Form fields by the label the officer sees, for refusals. */
export const fieldLabels: Record<string, L10n> = {
  question: text.question,
  kind: text.kind,
  options: text.options,
  audience: text.audience,
  threshold: text.threshold,
  commentThreshold: text.commentThreshold,
  remindAfterMinutes: text.remind,
  durationMinutes: text.duration,
  opensAt: text.opensAt,
  closesAt: text.closesAt,
  repeat: text.repeat,
};
