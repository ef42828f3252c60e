/** Congress sessions and motion deadlines in the officer API's OpenAPI document, from the schemas the routes validate with and answer in. */
import { type ApiPaths, errors, idParameter, json, refParameter } from '../../http/openapi-parts.ts';
import {
  extendAnswer,
  extendBody,
  sessionBody,
  sessionChangeBody,
  sessionList,
  sessionView,
} from './api-schemas.ts';

export const motionsPaths: ApiPaths = {
  '/congress-sessions': {
    get: {
      summary: '职代会届次 List congress sessions',
      responses: {
        '200': { description: 'Every session', content: json(sessionList) },
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
      parameters: [idParameter],
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
          content: json(extendAnswer),
        },
        ...errors(400, 401, 404, 409, 415),
      },
    },
  },
};
