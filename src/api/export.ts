/**
 * GET /api/submissions.csv: the items an officer lists, as a spreadsheet. A help request's
 * situation and contact are included only when asked for (`sensitive=true`), and each opened case
 * is audited as a read.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { formatTime, t } from '../../flows/engine/l10n.ts';
import { type HelpKind, helpKindLabels } from '../../flows/help/kinds.ts';
import { allStatuses, isItemKind, itemKinds, lifecycles, statusLabel } from '../../flows/lifecycles.ts';
import { type Rating, ratingLabels } from '../../flows/rating.ts';
import { categoryLabels, type SuggestionCategory } from '../../flows/suggestion/categories.ts';
import type { KeyRing } from '../crypto/sealed.ts';
import { toCsv } from '../http/csv.ts';
import { validationError } from '../http/json-body.ts';
import { unitAndDescendants } from '../store/directory.ts';
import { openHelpDetails } from '../store/help-requests.ts';
import { exportSubmissions } from '../store/submissions.ts';

export const exportQuery = z
  .object({
    status: z.enum(allStatuses).optional(),
    kind: z.enum(itemKinds).optional(),
    q: z.string().trim().min(1).max(100).optional(),
    unit: z.string().uuid().optional(),
    /** Include a help request's situation and contact (each such read is audited). */
    sensitive: z.enum(['true', 'false']).default('false'),
  })
  .strict();

export function exportApi(deps: { db: Db; keyRing: KeyRing; timeZone: string; now: () => Date }) {
  return new Hono().get('/submissions.csv', async (c) => {
    const query = exportQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error);
    const { unit, sensitive, ...filter } = query.data;
    const unitIds = unit ? await unitAndDescendants(deps.db, unit) : undefined;
    const rows = await exportSubmissions(deps.db, { ...filter, ...(unitIds ? { unitIds } : {}) });
    const withSensitive = sensitive === 'true';
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
    for (const { submission: s, proposer, unitZh } of rows) {
      const category =
        s.kind === 'help_request'
          ? helpKindLabels[s.category as HelpKind]
          : categoryLabels[s.category as SuggestionCategory];
      const opened =
        withSensitive && s.kind === 'help_request'
          ? await openHelpDetails(deps.db, s, {
              keyRing: deps.keyRing,
              actorType: 'admin_token',
              actorId: null,
              now: deps.now(),
            })
          : null;
      lines.push([
        s.referenceCode,
        isItemKind(s.kind) ? t('zh', lifecycles[s.kind].name) : s.kind,
        t('zh', statusLabel(s.kind, s.status)),
        s.title,
        category ? t('zh', category) : s.category,
        unitZh ?? '',
        s.anonymous ? '（匿名）' : proposer,
        formatTime(s.createdAt, deps.timeZone),
        formatTime(s.updatedAt, deps.timeZone),
        s.rating ? t('zh', ratingLabels[s.rating as Rating]) : '',
        s.ratingComment ?? '',
        ...(withSensitive ? [opened?.situation ?? '', opened?.contact ?? ''] : []),
      ]);
    }
    const day = formatTime(deps.now(), deps.timeZone).slice(0, 10);
    return c.body(toCsv(header, lines), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="tongxin-items-${day}.csv"`,
      'cache-control': 'no-store',
    });
  });
}
