/**
 * The officer API under /api (bearer ADMIN_TOKEN): list and search submissions, read one with
 * its timeline, and move it along its lifecycle with a reply the proposer is sent.
 */
import { Hono } from 'hono';
import type { Db } from '../../db/client.ts';
import { charCount } from '../../flows/engine/text.ts';
import { type SuggestionStatus, statusLabels } from '../../flows/suggestion/lifecycle.ts';
import { AppError } from '../errors.ts';
import { requireBearer } from '../http/bearer.ts';
import { readJson, validationError } from '../http/json-body.ts';
import type { Logger } from '../log.ts';
import { satisfactionReport, unitAndDescendants } from '../store/directory.ts';
import { changeStatus, getSubmission, listSubmissions } from '../store/submissions.ts';
import { directoryApi } from './directory.ts';
import { listQuery, maxReplyLength, satisfactionQuery, statusChangeBody } from './schemas.ts';

export interface OfficerApiDeps {
  db: Db;
  adminToken: string | undefined;
  timeZone: string;
  log: Logger;
  now: () => Date;
  /** Wakes the outbox dispatcher once a notice is queued. */
  wake: () => void;
}

const text = {
  notFound: (ref: string) => ({
    zh: `找不到编号为 ${ref} 的事项。`,
    en: `No item has the reference ${ref}.`,
  }),
  notAllowed: (from: SuggestionStatus, to: SuggestionStatus, allowed: readonly SuggestionStatus[]) => ({
    zh: `不能从“${statusLabels[from].zh}”改为“${statusLabels[to].zh}”。${
      allowed.length > 0
        ? `可改为：${allowed.map((s) => statusLabels[s].zh).join('、')}。`
        : '该事项已办结，不能再更改。'
    }`,
    en: `Cannot move from "${statusLabels[from].en}" to "${statusLabels[to].en}". ${
      allowed.length > 0
        ? `Allowed: ${allowed.map((s) => statusLabels[s].en).join(', ')}.`
        : 'The item is closed.'
    }`,
  }),
  replyRequired: (to: SuggestionStatus) => ({
    zh: `改为“${statusLabels[to].zh}”时必须填写答复，说明原因。`,
    en: `A reply explaining why is required when moving to "${statusLabels[to].en}".`,
  }),
  replyTooLong: (given: number) => ({
    zh: `答复过长：最多 ${maxReplyLength} 字，您输入了 ${given} 字。`,
    en: `The reply is too long: at most ${maxReplyLength} characters, yours has ${given}.`,
  }),
};

export function officerApi(deps: OfficerApiDeps) {
  const { db } = deps;
  const find = async (ref: string) => {
    const item = await getSubmission(db, ref);
    if (!item) throw new AppError('not_found', text.notFound(ref.slice(0, 40)));
    return item;
  };

  return new Hono()
    .use('*', requireBearer(deps.adminToken))
    .route('/', directoryApi({ db, log: deps.log, now: deps.now }))
    .get('/submissions', async (c) => {
      const query = listQuery.safeParse(c.req.query());
      if (!query.success) throw validationError(query.error);
      const { limit, offset, unit, ...filter } = query.data;
      const unitIds = unit ? await unitAndDescendants(db, unit) : undefined;
      const result = await listSubmissions(db, { ...filter, ...(unitIds ? { unitIds } : {}), limit, offset });
      return c.json({ ...result, limit, offset });
    })
    .get('/satisfaction', async (c) => {
      const query = satisfactionQuery.safeParse(c.req.query());
      if (!query.success) throw validationError(query.error);
      const { unit, ...filter } = query.data;
      const unitIds = unit ? await unitAndDescendants(db, unit) : undefined;
      const items = await satisfactionReport(db, {
        ...filter,
        ...(unitIds ? { unitIds } : {}),
        timeZone: deps.timeZone,
      });
      return c.json({ by: filter.by, items });
    })
    .get('/submissions/:ref', async (c) => c.json(await find(c.req.param('ref').trim().toUpperCase())))
    .post('/submissions/:ref/status', async (c) => {
      const ref = c.req.param('ref').trim().toUpperCase();
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
        now: deps.now(),
        timeZone: deps.timeZone,
      });
      if (!result.ok) {
        if (result.reason === 'not_found') throw new AppError('not_found', text.notFound(ref.slice(0, 40)));
        if (result.reason === 'reply_required')
          throw new AppError('validation_failed', text.replyRequired(body.status));
        throw new AppError(
          'invalid_transition',
          text.notAllowed(result.from as SuggestionStatus, body.status, result.allowed as SuggestionStatus[]),
          { from: result.from, to: body.status, allowed: result.allowed },
        );
      }
      deps.wake();
      deps.log.info('submission.status', { ref, to: body.status });
      return c.json(await find(ref));
    });
}
