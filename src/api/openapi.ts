/** The OpenAPI 3.1 document of the officer API, generated from the same zod schemas that validate it. */
import { z } from 'zod';
import { errorResponse, listQuery, statusChangeBody, submissionDetail, submissionList } from './schemas.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
});

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: 'Error, with the message in Chinese and English', content: json(errorResponse) },
    ]),
  );

const queryParameters = Object.entries(
  (z.toJSONSchema(listQuery, { io: 'input' }) as { properties: Record<string, object> }).properties,
).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));

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
