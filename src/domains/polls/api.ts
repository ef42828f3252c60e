/**
 * 民意调查 in the officer API: create a poll (once, or recurring on a schedule), list and read
 * polls, close or cancel one, read a closed poll's results and a recurring poll's trend. Nothing
 * is told about a poll's answers while it is open, and below the threshold only that too few
 * answered — not how many.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { z } from 'zod';
import type { Db } from '../../../db/handle.ts';
import { type PollRow, type ScheduleRow, schedules } from '../../../db/schema/index.ts';
import { decide } from '../../../flows/access/rules.ts';
import { withheldText } from '../../../flows/polls/messages.ts';
import { AppError } from '../../../kernel/errors.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { readJson } from '../../../kernel/http/json-body.ts';
import { type ApiEnv, allow, enforce } from '../../http/api-access.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { cancelPollAs, closePollEarly, type PollActor, pollBody, startPoll } from './admin.ts';
import type { pollResultsView, pollView } from './api-doc.ts';
import { findPoll, listPolls } from './store.ts';

const text = {
  notFound: { zh: '找不到该投票。', en: 'No such poll.' },
  notClosed: {
    zh: '投票结束后才能查看结果；进行中的投票不透露任何作答情况。',
    en: 'Results are available once the poll has closed; nothing about an open poll is shown.',
  },
  tooFew: (k: number) => ({
    zh: `作答人数不足 ${k} 人，为保护匿名，不公布结果。`,
    en: `Fewer than ${k} people answered; to protect anonymity no results are given.`,
  }),
};

/** A poll as the API shows it: never its votes. */
export const pollJson = (row: PollRow): z.output<typeof pollView> => ({
  id: row.id,
  no: row.no,
  code: row.code,
  question: row.question,
  kind: row.kind,
  options: row.options,
  allowComment: row.allowComment,
  audience: row.audience,
  opensAt: row.opensAt.toISOString(),
  closesAt: row.closesAt.toISOString(),
  threshold: row.threshold,
  commentThreshold: row.commentThreshold,
  remindAfterMinutes: row.remindAfterMinutes,
  status: row.status,
  scheduleId: row.scheduleId,
  createdAt: row.createdAt.toISOString(),
  closedAt: row.closedAt?.toISOString() ?? null,
});

/** A closed poll's results as the API gives them: below the threshold, not even the count. */
export function resultsJson(row: PollRow): z.output<typeof pollResultsView> {
  const results = row.results;
  if (!results?.shown) {
    return {
      pollId: row.id,
      shown: false as const,
      threshold: row.threshold,
      reason: results?.withheld ?? ('too_few' as const),
      message: results ? withheldText(results, row.threshold) : text.tooFew(row.threshold),
    };
  }
  return {
    pollId: row.id,
    shown: true as const,
    threshold: row.threshold,
    answers: results.answers,
    counts: results.counts ?? {},
    score: results.score ?? null,
    comments: results.comments ?? null,
    segments: results.segments ?? null,
  };
}

const adminActor: PollActor = { type: 'admin_token', id: null };

/** One poll by its id; a missing one (or an id that is not one) is not found. */
async function onePoll(db: Db, id: string): Promise<PollRow> {
  const row = isUuid(id) ? await findPoll(db, id) : null;
  if (!row) throw new AppError('not_found', text.notFound);
  return row;
}

/** A recurring poll's schedule as the API shows it once created. */
function scheduleJson(created: ScheduleRow) {
  return {
    id: created.id,
    no: created.no,
    cron: created.cron,
    timeZone: created.timeZone,
    nextFireAt: created.nextFireAt?.toISOString() ?? null,
  };
}

/** A recurring poll's trend: its latest occurrences, oldest first, each with its results once closed. */
async function pollSeries(db: Db, scheduleId: string) {
  const [schedule] = isUuid(scheduleId)
    ? await db.select().from(schedules).where(eq(schedules.id, scheduleId))
    : [];
  if (schedule?.kind !== 'poll') throw new AppError('not_found', text.notFound);
  const rows = await listPolls(db, { scheduleId, limit: 104 });
  return {
    scheduleId,
    cron: schedule.cron,
    items: rows
      .slice()
      .reverse()
      .map((row) => ({
        id: row.id,
        no: row.no,
        opensAt: row.opensAt.toISOString(),
        closesAt: row.closesAt.toISOString(),
        status: row.status,
        ...(row.status === 'closed' ? resultsJson(row) : { shown: false as const }),
      })),
  };
}

export function pollsApi(ctx: Pick<Ctx, 'db' | 'now' | 'timeZone' | 'keys' | 'wake'>) {
  const { db } = ctx;
  const one = (id: string) => onePoll(db, id);

  return new Hono<ApiEnv>()
    .get('/polls', allow('poll.list'), async (c) => c.json({ items: (await listPolls(db)).map(pollJson) }))
    .post('/polls', allow('poll.start'), async (c) => {
      const body = await readJson(c, pollBody);
      const now = ctx.now();
      const started = await startPoll(db, body, { now, timeZone: ctx.timeZone, actor: adminActor });
      if (!started.ok) throw new AppError('validation_failed', started.message);
      if (started.schedule) return c.json({ schedule: scheduleJson(started.schedule) }, 201);
      if (started.poll.opensAt <= now) ctx.wake.polls();
      return c.json(pollJson(started.poll), 201);
    })
    .get('/polls/series/:scheduleId', allow('poll.read'), async (c) =>
      c.json(await pollSeries(db, c.req.param('scheduleId'))),
    )
    .get('/polls/:id', allow('poll.read'), async (c) => c.json(pollJson(await one(c.req.param('id')))))
    .get('/polls/:id/results', allow('poll.read'), async (c) => {
      const row = await one(c.req.param('id'));
      if (row.status !== 'closed') throw new AppError('conflict', text.notClosed);
      return c.json(resultsJson(row));
    })
    .post('/polls/:id/close', allow('poll.close'), async (c) => {
      const row = await one(c.req.param('id'));
      enforce(decide(c.get('actor'), 'poll.close', { startedBy: row.createdBy }));
      const closed = await closePollEarly(db, row, {
        now: ctx.now(),
        timeZone: ctx.timeZone,
        actor: adminActor,
        keys: ctx.keys,
      });
      if (!closed.ok) throw new AppError('conflict', closed.message);
      ctx.wake.outbox();
      return c.json(pollJson(closed.poll));
    })
    .post('/polls/:id/cancel', allow('poll.cancel'), async (c) => {
      const row = await one(c.req.param('id'));
      enforce(decide(c.get('actor'), 'poll.cancel', { startedBy: row.createdBy }));
      const cancelled = await cancelPollAs(db, row, { now: ctx.now(), actor: adminActor });
      if (!cancelled.ok) throw new AppError('conflict', cancelled.message);
      return c.json(pollJson(cancelled.poll));
    });
}
