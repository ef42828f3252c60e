/**
 * The OpenAPI 3.1 document of the officer API. Each capability writes its own paths beside its
 * routes (`src/domains/<capability>/api-doc.ts`), from the same zod schemas the routes validate
 * with and answer in; this file puts them together.
 */
import { itemsPaths } from '../domains/items/api-doc.ts';
import { motionsPaths } from '../domains/motions/api-doc.ts';
import { newsPaths } from '../domains/news/api-doc.ts';
import { peoplePaths } from '../domains/people/api-doc.ts';
import { pollsPaths } from '../domains/polls/api-doc.ts';
import { schedulesPaths } from '../domains/schedules/api-doc.ts';

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
      ...itemsPaths,
      ...schedulesPaths,
      ...newsPaths,
      ...pollsPaths,
      ...motionsPaths,
      ...peoplePaths,
    },
  };
}
