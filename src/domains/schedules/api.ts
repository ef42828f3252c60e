/** Schedules in the officer API: list, create (the cron expression is checked), change, pause and run now. */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { isUniqueViolation } from '../../../db/errors.ts';
import { type ScheduleRow, schedules } from '../../../db/schema/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { readJson } from '../../../kernel/http/json-body.ts';
import { type ApiEnv, allow } from '../../http/api-access.ts';
import { timeZone } from '../../kernel/config.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { createSchedule, listSchedules, type ScheduleCheck } from '../../pipeline/schedules/store.ts';
import type { scheduleView } from './api-doc.ts';
import { messagePayload } from './handlers.ts';
import { changeSchedule } from './store.ts';

const cron = z.string().trim().min(9).max(100);

export const scheduleBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    cron,
    timeZone: timeZone.optional(),
    kind: z.literal('message'),
    payload: messagePayload,
    enabled: z.boolean().default(true),
  })
  .strict();

export const scheduleChangeBody = z
  .object({
    enabled: z.boolean().optional(),
    cron: cron.optional(),
    timeZone: timeZone.optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { error: 'expected at least one field' });

const text = {
  badCron: (why: string) => ({ zh: `定时表达式有误：${why}`, en: `The cron expression is wrong: ${why}` }),
  never: { zh: '这个定时表达式永远不会触发。', en: 'This cron expression never fires.' },
  notFound: { zh: '找不到该定时任务。', en: 'No such schedule.' },
  alreadyRunning: { zh: '该定时任务此刻已在执行。', en: 'This schedule is being run at this very moment.' },
};

export const scheduleJson = (row: ScheduleRow): z.output<typeof scheduleView> => ({
  ...row,
  nextFireAt: row.nextFireAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

const refusal = (failed: Exclude<ScheduleCheck, { ok: true }>) =>
  new AppError('validation_failed', failed.reason === 'never' ? text.never : text.badCron(failed.detail));

export function schedulesApi(
  ctx: Pick<Ctx, 'db' | 'now' | 'timeZone' | 'wake'>,
  options: {
    /** Runs a schedule now (its work queued in one transaction). */
    runNow: (id: string) => Promise<boolean>;
  },
) {
  const { db } = ctx;
  const find = async (id: string) => {
    const [row] = isUuid(id) ? await db.select().from(schedules).where(eq(schedules.id, id)) : [];
    if (!row) throw new AppError('not_found', text.notFound);
    return row;
  };
  return new Hono<ApiEnv>()
    .get('/schedules', allow('schedule.list'), async (c) =>
      c.json({ items: (await listSchedules(db)).map(scheduleJson) }),
    )
    .post('/schedules', allow('schedule.change'), async (c) => {
      const body = await readJson(c, scheduleBody);
      const created = await createSchedule(
        db,
        { ...body, timeZone: body.timeZone ?? ctx.timeZone },
        ctx.now(),
      );
      if (!created.ok) throw refusal(created);
      return c.json(scheduleJson(created.row), 201);
    })
    .patch('/schedules/:id', allow('schedule.change'), async (c) => {
      const body = await readJson(c, scheduleChangeBody);
      const changed = await changeSchedule(db, await find(c.req.param('id')), body, ctx.now());
      if (!changed.ok) throw refusal(changed);
      return c.json(scheduleJson(changed.row));
    })
    .post('/schedules/:id/run', allow('schedule.run'), async (c) => {
      const schedule = await find(c.req.param('id'));
      // Two presses within the same millisecond claim the same instant: it runs once.
      const ran = await options.runNow(schedule.id).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new AppError('invalid_transition', text.alreadyRunning);
        throw error;
      });
      if (!ran) throw new AppError('not_found', text.notFound);
      // The run may have queued messages or news to send.
      ctx.wake.outbox();
      ctx.wake.news();
      return c.json({ ran: true, schedule: scheduleJson(schedule) }, 202);
    });
}
