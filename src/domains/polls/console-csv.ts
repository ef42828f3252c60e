/** The 投票 section's list as CSV: one row a poll. */
import type { PollRow } from '../../../db/schema/index.ts';
import { answerLabel, answerValues, kindLabels } from '../../../flows/polls/kinds.ts';
import { formatTime, t } from '../../../kernel/l10n.ts';
import { resultsJson } from './api.ts';
import { statusLabels } from './console-text.ts';

/**
 * One poll as a CSV row: nothing about an open poll's answers; a closed one's answers and score
 * only where its results are shown (at or above k), as on its page.
 */
export function csvRow(row: PollRow, timeZone: string): (string | number | null)[] {
  const results = row.status === 'closed' ? resultsJson(row) : null;
  const shown = results?.shown ? results : null;
  return [
    row.no,
    row.code,
    row.question,
    t('zh', kindLabels[row.kind]),
    t('zh', statusLabels[row.status]),
    formatTime(row.opensAt, timeZone),
    formatTime(row.closesAt, timeZone),
    row.threshold,
    shown ? shown.answers : '',
    shown
      ? answerValues(row)
          .map((a) => `${answerLabel(row, a)}: ${shown.counts[String(a)] ?? 0}`)
          .join('; ')
      : results
        ? '人数不足 Too few answered'
        : '',
    shown && row.kind !== 'single' ? shown.score : '',
  ];
}

export const csvHeader = [
  '编号 No.',
  '代码 Code',
  '问题 Question',
  '类型 Kind',
  '状态 Status',
  '开始 Opens',
  '截止 Closes',
  '公布门槛 Threshold k',
  '作答人数 Answers',
  '结果 Results',
  '得分 Score',
];
