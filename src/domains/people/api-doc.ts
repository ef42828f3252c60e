/** Units and people in the officer API's OpenAPI document, from the schemas the routes validate with and answer in. */
import {
  type ApiPaths,
  errors,
  idParameter,
  json,
  memberNoParameter,
  parametersOf,
} from '../../http/openapi-parts.ts';
import {
  orgUnitList,
  orgUnitView,
  peoplePage,
  peopleQuery,
  personChangeBody,
  personView,
  unitCreateBody,
  unitRenameBody,
} from './api-schemas.ts';

export const peoplePaths: ApiPaths = {
  '/org-units': {
    get: {
      summary: '单位树 List org units',
      responses: {
        '200': {
          description: 'Every unit with its path',
          content: json(orgUnitList),
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
      parameters: [idParameter],
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
      description: 'Search by name or member number; filter by role or unit (including the units below it).',
      parameters: parametersOf(peopleQuery),
      responses: {
        '200': { description: 'A page of people', content: json(peoplePage) },
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
};
