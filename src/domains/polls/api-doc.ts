/** Polls in the officer API's OpenAPI document, from the schemas the routes validate with and answer in. */
import { z } from 'zod';
import { type ApiPaths, errors, idParameter, json } from '../../http/openapi-parts.ts';
import { pollBody } from './admin.ts';

export const pollView = z.object({
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

export const pollResultsView = z.union([
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

export const pollsPaths: ApiPaths = {
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
      parameters: [idParameter],
      responses: { '200': { description: 'The poll', content: json(pollView) }, ...errors(401, 404) },
    },
  },
  '/polls/{id}/results': {
    get: {
      summary: '投票结果 Results of a closed poll',
      description:
        'Only after the poll closed (409 before). Below the threshold (answers of verified members only) only that too few answered, not how many; withheld too (reason overlap) when the people asked differ by fewer than k from those of a poll published in the last 90 days, so no subtraction reveals a few people’s answers. Comments only when at least commentThreshold wrote one, in random order; a breakdown by group only when every group reached the threshold.',
      parameters: [idParameter],
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
      parameters: [idParameter],
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
      parameters: [idParameter],
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
      parameters: [{ ...idParameter, name: 'scheduleId' }],
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
};
