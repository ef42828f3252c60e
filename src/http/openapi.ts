/** The OpenAPI 3.1 document of the officer API, generated from the same zod schemas that validate it. */
import { z } from 'zod';
import { exportQuery } from '../domains/items/export-api.ts';
import { extendBody, sessionBody, sessionChangeBody } from '../domains/motions/api.ts';
import { newsBody } from '../domains/news/api.ts';
import { pollBody } from '../domains/polls/api.ts';
import { scheduleBody, scheduleChangeBody } from '../domains/schedules/api.ts';

const scheduleView = z.object({
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

const newsView = z.object({
  id: z.string(),
  topic: z.string(),
  title: z.string(),
  body: z.string(),
  imageUrl: z.string().nullable(),
  audience: z.record(z.string(), z.unknown()),
  publishAt: z.string(),
  status: z.enum(['scheduled', 'sending', 'sent', 'cancelled']),
  queued: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  url: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const pollView = z.object({
  id: z.string(),
  no: z.number().int(),
  code: z.string(),
  question: z.string(),
  kind: z.enum(['single', 'rating', 'enps']),
  options: z.array(z.string()),
  allowComment: z.boolean(),
  audience: z.record(z.string(), z.unknown()),
  opensAt: z.string(),
  closesAt: z.string(),
  threshold: z.number().int(),
  commentThreshold: z.number().int(),
  remindAfterMinutes: z.number().int().nullable(),
  status: z.enum(['scheduled', 'open', 'closed', 'cancelled']),
  scheduleId: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});

const counts = z.record(z.string(), z.number().int());
const pollResultsView = z.union([
  z.object({
    pollId: z.string(),
    shown: z.literal(false),
    threshold: z.number().int(),
    /** too_few: fewer than k answered (counting verified members only); overlap: its audience differs by fewer than k from a poll published lately. */
    reason: z.enum(['too_few', 'overlap']),
    message: z.object({ zh: z.string(), en: z.string() }),
  }),
  z.object({
    pollId: z.string(),
    shown: z.literal(true),
    threshold: z.number().int(),
    answers: z.number().int(),
    counts,
    score: z.number().nullable(),
    comments: z.array(z.string()).nullable(),
    segments: z.array(z.object({ label: z.string(), answers: z.number().int(), counts })).nullable(),
  }),
]);

const sessionView = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  open: z.boolean(),
  createdAt: z.string(),
});

import {
  errorResponse,
  listQuery,
  orgUnitView,
  peopleQuery,
  personChangeBody,
  personView,
  satisfactionQuery,
  satisfactionReport,
  statusChangeBody,
  submissionDetail,
  submissionList,
  unitCreateBody,
  unitRenameBody,
} from './api-schemas.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
});

const errors = (...codes: number[]) => ({
  ...Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: 'Error, with the message in Chinese and English', content: json(errorResponse) },
    ]),
  ),
  // Every route checks the token, and so every route can answer this.
  ...(codes.includes(401)
    ? {
        '429': {
          description:
            'Too many wrong tokens from this address in the last minute; Retry-After says in how many seconds to try again',
          content: json(errorResponse),
        },
      }
    : {}),
});

const parametersOf = (query: z.ZodType) =>
  Object.entries(
    (z.toJSONSchema(query, { io: 'input' }) as { properties: Record<string, object> }).properties,
  ).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
const queryParameters = parametersOf(listQuery);

const memberNoParameter = {
  name: 'no',
  in: 'path',
  required: true,
  description: 'Member number (成员号), as the person sees it under 我的信息',
  schema: { type: 'integer' },
};
const unitIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const page = (item: z.ZodType) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });

const refParameter = {
  name: 'ref',
  in: 'path',
  required: true,
  description: 'Reference code, e.g. JY-2026-0001',
  schema: { type: 'string' },
};

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: '同心 Tongxin officer API',
      version: '1.0.0',
      description:
        '工会干部接口：查看、检索与办理职工提交的事项。Officer API: read, search and handle items staff submit.',
    },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    },
    security: [{ bearer: [] }],
    paths: {
      '/submissions': {
        get: {
          summary: '列出事项 List submissions',
          parameters: queryParameters,
          responses: {
            '200': { description: 'A page of submissions', content: json(submissionList) },
            ...errors(400, 401),
          },
        },
      },
      '/submissions/{ref}': {
        get: {
          summary: '查看事项及其时间线 Get a submission with its timeline',
          parameters: [refParameter],
          responses: {
            '200': { description: 'The submission', content: json(submissionDetail) },
            ...errors(401, 404),
          },
        },
      },
      '/submissions.csv': {
        get: {
          summary: '导出事项 Export items as CSV',
          description:
            'UTF-8 with a byte-order mark, for Excel. sensitive=true adds the situation and contact of help requests; each such case read is audited.',
          parameters: parametersOf(exportQuery),
          responses: {
            '200': { description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...errors(400, 401),
          },
        },
      },
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
          parameters: [unitIdParameter],
          responses: {
            '202': {
              description: 'Queued',
              content: json(z.object({ ran: z.literal(true), schedule: scheduleView })),
            },
            ...errors(401, 404, 409),
          },
        },
      },
      '/news': {
        get: {
          summary: '工会动态 List news items with their delivery progress',
          responses: {
            '200': {
              description: 'The latest 100 items',
              content: json(z.object({ items: z.array(newsView) })),
            },
            ...errors(401),
          },
        },
        post: {
          summary: '发布动态 Publish a news item',
          description:
            'Body in Markdown. Audience: everyone, org units (and the units below), or chosen chats. publishAt in the future schedules it; absent, it goes out now. People who turned the topic off are skipped. imageUrl must be a public http(s) address.',
          requestBody: { required: true, content: json(newsBody, 'input') },
          responses: {
            '201': { description: 'The item', content: json(newsView) },
            ...errors(400, 401, 415),
          },
        },
      },
      '/news/{id}': {
        get: {
          summary: '查看动态 Get a news item with its delivery progress',
          parameters: [unitIdParameter],
          responses: { '200': { description: 'The item', content: json(newsView) }, ...errors(401, 404) },
        },
      },
      '/news/{id}/cancel': {
        post: {
          summary: '撤销动态 Cancel a news item not yet sent',
          parameters: [unitIdParameter],
          responses: {
            '200': { description: 'The item', content: json(newsView) },
            ...errors(401, 404, 409),
          },
        },
      },
      '/schedules/{id}': {
        patch: {
          summary: '修改、暂停或启用 Change, pause or resume a schedule',
          description:
            'Changed or resumed, it fires from now on; slots passed while paused are not run late.',
          parameters: [unitIdParameter],
          requestBody: { required: true, content: json(scheduleChangeBody, 'input') },
          responses: {
            '200': { description: 'The schedule', content: json(scheduleView) },
            ...errors(400, 401, 404, 415),
          },
        },
      },
      '/polls': {
        get: {
          summary: '民意调查 List polls (never their answers)',
          responses: {
            '200': {
              description: 'The latest 100 polls',
              content: json(z.object({ items: z.array(pollView) })),
            },
            ...errors(401),
          },
        },
        post: {
          summary: '发起投票 Create a poll, once or recurring',
          description:
            'Kinds: single (2–10 options), rating 1–5, enps 0–10. Audience: group chats, org units (and the units below) or everyone. Give closesAt or durationMinutes; opensAt defaults to now. threshold k (default 5, at least 3) and commentThreshold (default 10, at least 3) decide what results show. remindAfterMinutes sends one reminder to those who have not answered. With repeat {cron}, a schedule is created instead and each fire opens a new poll for durationMinutes.',
          requestBody: { required: true, content: json(pollBody, 'input') },
          responses: {
            '201': {
              description: 'The poll, or the schedule of a recurring poll',
              content: json(
                z.union([
                  pollView,
                  z.object({
                    schedule: z.object({
                      id: z.string(),
                      no: z.number().int(),
                      cron: z.string(),
                      timeZone: z.string(),
                      nextFireAt: z.string().nullable(),
                    }),
                  }),
                ]),
              ),
            },
            ...errors(400, 401, 415),
          },
        },
      },
      '/polls/{id}': {
        get: {
          summary: '查看投票 Get a poll',
          parameters: [unitIdParameter],
          responses: { '200': { description: 'The poll', content: json(pollView) }, ...errors(401, 404) },
        },
      },
      '/polls/{id}/results': {
        get: {
          summary: '投票结果 Results of a closed poll',
          description:
            'Only after the poll closed (409 before). Below the threshold (answers of verified members only) only that too few answered, not how many; withheld too (reason overlap) when the people asked differ by fewer than k from those of a poll published in the last 90 days, so no subtraction reveals a few people’s answers. Comments only when at least commentThreshold wrote one, in random order; a breakdown by group only when every group reached the threshold.',
          parameters: [unitIdParameter],
          responses: {
            '200': { description: 'The results', content: json(pollResultsView) },
            ...errors(401, 404, 409),
          },
        },
      },
      '/polls/{id}/close': {
        post: {
          summary: '提前结束 Close an open poll now',
          description: 'Deletes its secret, freezes and sends the results, as at its closing time.',
          parameters: [unitIdParameter],
          responses: {
            '200': { description: 'The poll', content: json(pollView) },
            ...errors(401, 404, 409),
          },
        },
      },
      '/polls/{id}/cancel': {
        post: {
          summary: '撤销投票 Cancel a poll that has not closed',
          description: 'Its secret and its answers are deleted; no results are sent.',
          parameters: [unitIdParameter],
          responses: {
            '200': { description: 'The poll', content: json(pollView) },
            ...errors(401, 404, 409),
          },
        },
      },
      '/polls/series/{scheduleId}': {
        get: {
          summary: '投票趋势 Trend of a recurring poll',
          description:
            'Each occurrence, oldest first, with its answers and score where its threshold was reached.',
          parameters: [{ ...unitIdParameter, name: 'scheduleId' }],
          responses: {
            '200': {
              description: 'The occurrences',
              content: json(
                z.object({
                  scheduleId: z.string(),
                  cron: z.string(),
                  items: z.array(z.record(z.string(), z.unknown())),
                }),
              ),
            },
            ...errors(401, 404),
          },
        },
      },
      '/congress-sessions': {
        get: {
          summary: '职代会届次 List congress sessions',
          responses: {
            '200': { description: 'Every session', content: json(z.object({ items: z.array(sessionView) })) },
            ...errors(401),
          },
        },
        post: {
          summary: '新建届次 Create a congress session',
          description: 'Opening one closes the one that was open; new motions join the open session.',
          requestBody: { required: true, content: json(sessionBody, 'input') },
          responses: {
            '201': { description: 'The session', content: json(sessionView) },
            ...errors(400, 401, 415),
          },
        },
      },
      '/congress-sessions/{id}': {
        patch: {
          summary: '修改或开启届次 Rename, open or close a session',
          parameters: [unitIdParameter],
          requestBody: { required: true, content: json(sessionChangeBody, 'input') },
          responses: {
            '200': { description: 'The session', content: json(sessionView) },
            ...errors(400, 401, 404, 415),
          },
        },
      },
      '/submissions/{ref}/extend': {
        post: {
          summary: '提案答复延期 More time for a motion’s answer',
          description:
            'Moves the answer deadline of a registered motion later, with the reason; the author is told.',
          parameters: [refParameter],
          requestBody: { required: true, content: json(extendBody, 'input') },
          responses: {
            '200': {
              description: 'The new deadline',
              content: json(z.object({ referenceCode: z.string(), answerDueAt: z.string() })),
            },
            ...errors(400, 401, 404, 409, 415),
          },
        },
      },
      '/satisfaction': {
        get: {
          summary: '满意度统计 Satisfaction by period, kind and unit',
          description:
            'Ratings people gave after their items closed, grouped by week or month (in TZ_DEFAULT), kind and unit. satisfactionRate = (satisfied + mostlySatisfied) / rated.',
          parameters: parametersOf(satisfactionQuery),
          responses: {
            '200': { description: 'The figures', content: json(satisfactionReport) },
            ...errors(400, 401),
          },
        },
      },
      '/org-units': {
        get: {
          summary: '单位树 List org units',
          responses: {
            '200': {
              description: 'Every unit with its path',
              content: json(z.object({ items: z.array(orgUnitView) })),
            },
            ...errors(401),
          },
        },
        post: {
          summary: '新建单位 Create an org unit',
          requestBody: { required: true, content: json(unitCreateBody, 'input') },
          responses: {
            '201': { description: 'The unit', content: json(orgUnitView) },
            ...errors(400, 401, 415),
          },
        },
      },
      '/org-units/{id}': {
        patch: {
          summary: '重命名单位 Rename an org unit',
          parameters: [unitIdParameter],
          requestBody: { required: true, content: json(unitRenameBody, 'input') },
          responses: {
            '200': { description: 'The unit', content: json(orgUnitView) },
            ...errors(400, 401, 404, 415),
          },
        },
      },
      '/people': {
        get: {
          summary: '人员 List people',
          description:
            'Search by name or member number; filter by role or unit (including the units below it).',
          parameters: parametersOf(peopleQuery),
          responses: {
            '200': { description: 'A page of people', content: json(page(personView)) },
            ...errors(400, 401),
          },
        },
      },
      '/people/{no}': {
        get: {
          summary: '查看人员 Get a person',
          parameters: [memberNoParameter],
          responses: {
            '200': { description: 'The person', content: json(personView) },
            ...errors(400, 401, 404),
          },
        },
        patch: {
          summary: '设置角色与单位 Set role, unit and handled units',
          description:
            'Officers and admins handle the units in officerUnitIds (and the units below them); anyone else handles none.',
          parameters: [memberNoParameter],
          requestBody: { required: true, content: json(personChangeBody, 'input') },
          responses: {
            '200': { description: 'The person', content: json(personView) },
            ...errors(400, 401, 404, 415),
          },
        },
      },
      '/submissions/{ref}/status': {
        post: {
          summary: '更改状态并答复 Change status with a reply',
          description:
            'Moves the item one allowed step along its lifecycle; the proposer is notified where they filed it.',
          parameters: [refParameter],
          requestBody: { required: true, content: json(statusChangeBody, 'input') },
          responses: {
            '200': { description: 'The updated submission', content: json(submissionDetail) },
            ...errors(400, 401, 404, 409, 415),
          },
        },
      },
    },
  };
}
