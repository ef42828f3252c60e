/**
 * The items an officer lists, as a CSV spreadsheet (UTF-8 with a BOM, so Excel reads Chinese).
 * A help request's situation and contact are included only when asked for, and each opened case
 * is audited as a read by the one exporting.
 */
import type { Context } from 'hono';
import type { Db } from '../../../db/handle.ts';
import { type Rating, ratingLabels } from '../../../flows/commands/rating.ts';
import { type HelpKind, helpKindLabels } from '../../../flows/help/kinds.ts';
import { isItemKind, lifecycles, statusLabel } from '../../../flows/lifecycles.ts';
import { categoryLabels, type SuggestionCategory } from '../../../flows/suggestion/categories.ts';
import { formatTime, t } from '../../../kernel/l10n.ts';
import { toCsv } from '../../http/csv.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { openHelpDetails } from './sealed-details.ts';
import { exportSubmissions, type SubmissionFilter } from './store.ts';

export interface ItemsCsvOptions {
  keyRing: KeyRing;
  timeZone: string;
  now: () => Date;
  sensitive: boolean;
  actor: { type: 'officer' | 'admin_token'; id: string | null };
}

export async function itemsCsv(
  db: Db,
  filter: Omit<SubmissionFilter, 'limit' | 'offset'>,
  opts: ItemsCsvOptions,
): Promise<string> {
  const rows = await exportSubmissions(db, filter);
  const withSensitive = opts.sensitive;
  const header = [
    '编号 Reference',
    '类型 Kind',
    '状态 Status',
    '标题 Title',
    '分类 Category',
    '单位 Unit',
    '提出人 Raised by',
    '提交时间 Filed',
    '更新时间 Updated',
    '满意度 Rating',
    '评价说明 Rating comment',
    ...(withSensitive ? ['情况说明 Situation', '联系方式 Contact'] : []),
  ];
  const lines = [];
  for (const { submission: s, proposer, proposerVerified, unitZh } of rows) {
    const category =
      s.kind === 'help_request'
        ? helpKindLabels[s.category as HelpKind]
        : categoryLabels[s.category as SuggestionCategory];
    const opened =
      withSensitive && s.kind === 'help_request'
        ? await openHelpDetails(db, s, {
            keyRing: opts.keyRing,
            actorType: opts.actor.type,
            actorId: opts.actor.id,
            now: opts.now(),
          })
        : null;
    lines.push([
      s.referenceCode,
      isItemKind(s.kind) ? t('zh', lifecycles[s.kind].name) : s.kind,
      t('zh', statusLabel(s.kind, s.status)),
      s.title,
      category ? t('zh', category) : s.category,
      unitZh ?? '',
      s.anonymous ? '（匿名）' : `${proposer ?? ''}${proposerVerified ? '' : '（未核实）'}`,
      formatTime(s.createdAt, opts.timeZone),
      formatTime(s.updatedAt, opts.timeZone),
      s.rating ? t('zh', ratingLabels[s.rating as Rating]) : '',
      s.ratingComment ?? '',
      ...(withSensitive ? [opened?.situation ?? '', opened?.contact ?? ''] : []),
    ]);
  }
  return toCsv(header, lines);
}

/** The CSV as a download named for the day. */
export function csvResponse(c: Context, csv: string, day: string, name = 'items') {
  return c.body(csv, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="tongxin-${name}-${day}.csv"`,
    'cache-control': 'no-store',
  });
}
