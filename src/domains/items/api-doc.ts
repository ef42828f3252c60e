/** Items (submissions), their export and the satisfaction report in the officer API's OpenAPI document, from the schemas the routes validate with and answer in. */
import { type ApiPaths, errors, json, parametersOf, refParameter } from '../../http/openapi-parts.ts';
import {
  listQuery,
  satisfactionQuery,
  satisfactionReport,
  statusChangeBody,
  submissionDetail,
  submissionList,
} from './api-schemas.ts';
import { exportQuery } from './export-api.ts';

const queryParameters = parametersOf(listQuery);

export const itemsPaths: ApiPaths = {
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
};
