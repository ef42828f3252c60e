/**
 * Items in the officer API: list and search submissions, read one with its timeline, and move it
 * along its lifecycle with a reply the proposer is sent; and the satisfaction report.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import type { Db } from '../../../db/handle.ts';
import { type Actor, itemScope } from '../../../flows/access/rules.ts';
import { statusLabel } from '../../../flows/lifecycles.ts';
import { AppError } from '../../../kernel/errors.ts';
import { readJson, validationError } from '../../../kernel/http/json-body.ts';
import { charCount } from '../../../kernel/text.ts';
import { type ApiEnv, allow, mayTouch } from '../../http/api-access.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { unitAndDescendants } from '../people/directory.ts';
import {
  listQuery,
  maxReplyLength,
  satisfactionQuery,
  type satisfactionReport as satisfactionReportView,
  statusChangeBody,
  type submissionDetail,
  type submissionList,
} from './api-schemas.ts';
import type { KindRules } from './kind-rules.ts';
import { satisfactionReport } from './satisfaction.ts';
import { changeStatus, getSubmission, listSubmissions, type StatusChangeResult } from './store.ts';

/**
 * What the items API reads of the server's `Ctx`: `keys` open help requests for the audited read
 * of one case and seal replies to them; `wake.outbox` runs once a notice is queued.
 */
type ItemsCtx = Pick<Ctx, 'db' | 'now' | 'timeZone' | 'keys' | 'log' | 'wake'>;

export interface ItemsApiOptions {
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
}

const text = {
  notFound: (ref: string) => ({
    zh: `找不到编号为 ${ref} 的事项。`,
    en: `No item has the reference ${ref}.`,
  }),
  notAllowed: (kind: string, from: string, to: string, allowed: readonly string[]) => {
    const zh = (status: string) => statusLabel(kind, status).zh;
    const en = (status: string) => statusLabel(kind, status).en;
    return {
      zh: `不能从“${zh(from)}”改为“${zh(to)}”。${
        allowed.length > 0 ? `可改为：${allowed.map(zh).join('、')}。` : '该事项已办结，不能再更改。'
      }`,
      en: `Cannot move from "${en(from)}" to "${en(to)}". ${
        allowed.length > 0 ? `Allowed: ${allowed.map(en).join(', ')}.` : 'The item is closed.'
      }`,
    };
  },
  replyRequired: (kind: string, to: string) => ({
    zh: `改为“${statusLabel(kind, to).zh}”时必须填写答复，说明原因。`,
    en: `A reply explaining why is required when moving to "${statusLabel(kind, to).en}".`,
  }),
  not_cosigned: {
    zh: '附议人数还不够，不能立案。',
    en: 'The motion does not have enough co-signers to be registered.',
  },
  grade_required: {
    zh: '答复提案必须给出答复类别（A 已解决、B 正在解决、C 暂不具备条件、D 留作参考）。',
    en: 'Answering a motion needs a grade (A solved, B in progress, C not possible now, D for reference).',
  },
  send_back_closed: {
    zh: '交办已超过 7 天，不能再退回。',
    en: 'More than 7 days have passed since it was assigned; it can no longer be sent back.',
  },
  replyTooLong: (given: number) => ({
    zh: `答复过长：最多 ${maxReplyLength} 字，您输入了 ${given} 字。`,
    en: `The reply is too long: at most ${maxReplyLength} characters, yours has ${given}.`,
  }),
};

/** Why a status change was refused, in both languages (the console says the same). */
export const statusChangeText = text;

/** The units a list covers: those asked for (with the units below), within what the actor may see. */
async function scopedUnits(db: Db, actor: Actor, unit: string | undefined) {
  const scope = itemScope(actor);
  const wanted = unit ? await unitAndDescendants(db, unit) : undefined;
  return scope.all ? wanted : (wanted ?? scope.units).filter((id) => scope.units.includes(id));
}

/** One item with its timeline, read (and a help request's sealed parts opened) as the API. */
async function findItem(ctx: ItemsCtx, ref: string): Promise<z.output<typeof submissionDetail>> {
  const item = await getSubmission(ctx.db, ref, {
    keyRing: ctx.keys,
    actorType: 'admin_token',
    actorId: null,
    now: ctx.now(),
  });
  if (!item) throw new AppError('not_found', text.notFound(ref.slice(0, 40)));
  return item;
}

/** Throws the error that says why a status change was refused. */
function refuseStatusChange(
  result: Exclude<StatusChangeResult, { ok: true }>,
  ref: string,
  to: string,
): never {
  if (result.reason === 'not_found') throw new AppError('not_found', text.notFound(ref.slice(0, 40)));
  if (result.reason === 'reply_required')
    throw new AppError('validation_failed', text.replyRequired(result.kind, to));
  if (result.reason !== 'not_allowed') throw new AppError('invalid_transition', text[result.reason]);
  throw new AppError('invalid_transition', text.notAllowed(result.kind, result.from, to, result.allowed), {
    from: result.from,
    to,
    allowed: result.allowed,
  });
}

export function itemsApi(ctx: ItemsCtx, options: ItemsApiOptions) {
  const { db } = ctx;
  const find = (ref: string) => findItem(ctx, ref);

  return new Hono<ApiEnv>()
    .get('/submissions', allow('item.list'), async (c) => {
      const query = listQuery.safeParse(c.req.query());
      if (!query.success) throw validationError(query.error);
      const { limit, offset, unit, ...filter } = query.data;
      const unitIds = await scopedUnits(db, c.get('actor'), unit);
      const result = await listSubmissions(db, { ...filter, ...(unitIds ? { unitIds } : {}), limit, offset });
      return c.json({ ...result, limit, offset } satisfies z.output<typeof submissionList>);
    })
    .get('/satisfaction', allow('item.list'), async (c) => {
      const query = satisfactionQuery.safeParse(c.req.query());
      if (!query.success) throw validationError(query.error);
      const { unit, ...filter } = query.data;
      const unitIds = await scopedUnits(db, c.get('actor'), unit);
      const items = await satisfactionReport(db, {
        ...filter,
        ...(unitIds ? { unitIds } : {}),
        timeZone: ctx.timeZone,
      });
      return c.json({ by: filter.by, items } satisfies z.output<typeof satisfactionReportView>);
    })
    .get('/submissions/:ref', allow('item.read'), async (c) => {
      const ref = c.req.param('ref').trim().toUpperCase();
      await mayTouch(db, c.get('actor'), 'item.read', ref);
      return c.json(await find(ref));
    })
    .post('/submissions/:ref/status', allow('item.move'), async (c) => {
      const ref = c.req.param('ref').trim().toUpperCase();
      await mayTouch(db, c.get('actor'), 'item.move', ref);
      const body = await readJson(c, statusChangeBody);
      const reply = body.reply.trim();
      const given = charCount(reply);
      if (given > maxReplyLength)
        throw new AppError('too_long', text.replyTooLong(given), { max: maxReplyLength });
      const result = await changeStatus(db, {
        referenceCode: ref,
        to: body.status,
        reply,
        actor: { type: 'admin_token', id: null },
        now: ctx.now(),
        timeZone: ctx.timeZone,
        keyRing: ctx.keys,
        ...(body.grade ? { grade: body.grade } : {}),
        ...(body.department ? { department: body.department } : {}),
        kindRules: options.kindRules,
      });
      if (!result.ok) refuseStatusChange(result, ref, body.status);
      ctx.wake.outbox();
      ctx.log.info('submission.status', { ref, to: body.status });
      return c.json(await find(ref));
    });
}
