/** Schedules in the officer API's OpenAPI document, from the schemas the routes validate with and answer in. */
import { z } from 'zod';
import { type ApiPaths, errors, idParameter, json } from '../../http/openapi-parts.ts';
import { scheduleBody, scheduleChangeBody } from './api.ts';

export const scheduleView = z.object({
  id: z.string(),
  no: z.number().int(),
  name: z.string(),
  systemKey: z.string().nullable(),
  cron: z.string(),
  timeZone: z.string(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  nextFireAt: z.string().nullable(),
  createdAt: z.string(),
});

export const schedulesPaths: ApiPaths = {
  '/schedules': {
    get: {
      summary: '定时任务 List schedules',
      responses: {
        '200': {
          description: 'Every schedule',
          content: json(z.object({ items: z.array(scheduleView) })),
        },
        ...errors(401),
      },
    },
    post: {
      summary: '新建定时任务 Create a schedule',
      description:
        'A five-field cron expression (minute hour day month weekday, names such as MON-FRI allowed) in timeZone (default TZ_DEFAULT). Each fire time is claimed once across all instances.',
      requestBody: { required: true, content: json(scheduleBody, 'input') },
      responses: {
        '201': { description: 'The schedule', content: json(scheduleView) },
        ...errors(400, 401, 415),
      },
    },
  },
  '/schedules/{id}/run': {
    post: {
      summary: '立即执行 Run a schedule now',
      description: 'Queues its work now, once, recorded as a manual run; its cron times are unchanged.',
      parameters: [idParameter],
      responses: {
        '202': {
          description: 'Queued',
          content: json(z.object({ ran: z.literal(true), schedule: scheduleView })),
        },
        ...errors(401, 404, 409),
      },
    },
  },
  '/schedules/{id}': {
    patch: {
      summary: '修改、暂停或启用 Change, pause or resume a schedule',
      description: 'Changed or resumed, it fires from now on; slots passed while paused are not run late.',
      parameters: [idParameter],
      requestBody: { required: true, content: json(scheduleChangeBody, 'input') },
      responses: {
        '200': { description: 'The schedule', content: json(scheduleView) },
        ...errors(400, 401, 404, 415),
      },
    },
  },
};
