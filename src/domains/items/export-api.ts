/**
 * GET /api/submissions.csv: the items an officer lists, as a spreadsheet. A help request's
 * situation and contact are included only when asked for (`sensitive=true`), and each opened case
 * is audited as a read.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { allows, itemScope } from '../../../flows/access/rules.ts';
import { allStatuses, itemKinds } from '../../../flows/lifecycles.ts';
import { validationError } from '../../../kernel/http/json-body.ts';
import { formatTime } from '../../../kernel/l10n.ts';
import { type ApiEnv, allow, enforce } from '../../http/api-access.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { unitAndDescendants } from '../people/directory.ts';
import { csvResponse, itemsCsv } from './csv.ts';

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

export function exportApi(ctx: Pick<Ctx, 'db' | 'keys' | 'timeZone' | 'now'>) {
  return new Hono<ApiEnv>().get('/submissions.csv', allow('item.list'), async (c) => {
    const query = exportQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error);
    const { unit, sensitive, ...filter } = query.data;
    const actor = c.get('actor');
    if (sensitive === 'true' && !allows(actor, 'help.export_sealed')) enforce({ ok: false, reason: 'role' });
    const scope = itemScope(actor);
    const wanted = unit ? await unitAndDescendants(ctx.db, unit) : undefined;
    const unitIds = scope.all ? wanted : (wanted ?? scope.units).filter((id) => scope.units.includes(id));
    const csv = await itemsCsv(
      ctx.db,
      { ...filter, ...(unitIds ? { unitIds } : {}) },
      {
        keyRing: ctx.keys,
        timeZone: ctx.timeZone,
        now: ctx.now,
        sensitive: sensitive === 'true',
        actor: { type: 'admin_token', id: null },
      },
    );
    return csvResponse(c, csv, formatTime(ctx.now(), ctx.timeZone).slice(0, 10));
  });
}
