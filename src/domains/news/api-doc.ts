/** News in the officer API's OpenAPI document, from the schemas the routes validate with and answer in. */
import { z } from 'zod';
import { type ApiPaths, errors, idParameter, json } from '../../http/openapi-parts.ts';
import { newsBody } from './publish.ts';

export const newsView = z.object({
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

export const newsPaths: ApiPaths = {
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
      parameters: [idParameter],
      responses: { '200': { description: 'The item', content: json(newsView) }, ...errors(401, 404) },
    },
  },
  '/news/{id}/cancel': {
    post: {
      summary: '撤销动态 Cancel a news item not yet sent',
      parameters: [idParameter],
      responses: {
        '200': { description: 'The item', content: json(newsView) },
        ...errors(401, 404, 409),
      },
    },
  },
};
