/** Schedules in the officer API: list, create (the cron expression is checked) and enable/disable. */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { schedules } from '../../db/schema/index.ts';
import { timeZone } from '../config.ts';
import { AppError } from '../errors.ts';
import { isUuid } from '../http/ids.ts';
import { readJson } from '../http/json-body.ts';
import { CronError, nextFireTime, parseCron } from '../schedule/cron.ts';
import { messagePayload } from '../schedule/handlers.ts';

export const scheduleBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    cron: z.string().trim().min(9).max(100),
    timeZone: timeZone.optional(),
    kind: z.literal('message'),
    payload: messagePayload,
    enabled: z.boolean().default(true),
  })
  .strict();

export const scheduleChangeBody = z.object({ enabled: z.boolean() }).strict();

const text = {
  badCron: (why: string) => ({ zh: `定时表达式有误：${why}`, en: `The cron expression is wrong: ${why}` }),
  never: { zh: '这个定时表达式永远不会触发。', en: 'This cron expression never fires.' },
  notFound: { zh: '找不到该定时任务。', en: 'No such schedule.' },
};

const view = (row: typeof schedules.$inferSelect) => ({
  ...row,
  nextFireAt: row.nextFireAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

export function schedulesApi(deps: { db: Db; now: () => Date; timeZone: string }) {
  const { db } = deps;
  const next = (cron: string, zone: string) => {
    let parsed: ReturnType<typeof parseCron>;
    try {
      parsed = parseCron(cron);
    } catch (error) {
      if (error instanceof CronError) throw new AppError('validation_failed', text.badCron(error.message));
      throw error;
    }
    const at = nextFireTime(parsed, deps.now(), zone);
    if (!at) throw new AppError('validation_failed', text.never);
    return at;
  };
  return new Hono()
    .get('/schedules', async (c) => c.json({ items: (await db.select().from(schedules)).map(view) }))
    .post('/schedules', async (c) => {
      const body = await readJson(c, scheduleBody);
      const zone = body.timeZone ?? deps.timeZone;
      const [row] = await db
        .insert(schedules)
        .values({ ...body, timeZone: zone, nextFireAt: next(body.cron, zone), createdAt: deps.now() })
        .returning();
      return c.json(view(row!), 201);
    })
    .patch('/schedules/:id', async (c) => {
      const body = await readJson(c, scheduleChangeBody);
      const id = c.req.param('id');
      if (!isUuid(id)) throw new AppError('not_found', text.notFound);
      const [current] = await db.select().from(schedules).where(eq(schedules.id, id));
      if (!current) throw new AppError('not_found', text.notFound);
      // Re-enabled, it fires from now on: what it missed while off is not run late.
      const [row] = await db
        .update(schedules)
        .set({
          enabled: body.enabled,
          nextFireAt: body.enabled ? next(current.cron, current.timeZone) : current.nextFireAt,
        })
        .where(eq(schedules.id, id))
        .returning();
      return c.json(view(row!));
    });
}
