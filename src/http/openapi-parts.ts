/**
 * The pieces each capability's part of the OpenAPI document is written with: a zod schema as JSON
 * content, the error answers, query and path parameters. Every schema given
 * here is one a route validates with or answers in, so the document cannot drift from the code.
 */
import { z } from 'zod';

/** One capability's paths, merged into the document by `openapi.ts`. */
export type ApiPaths = Record<string, Record<string, object>>;

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    message_zh: z.string(),
    message_en: z.string(),
    details: z.unknown().optional(),
  }),
});

export const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
});

export const errors = (...codes: number[]) => ({
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

export const parametersOf = (query: z.ZodType) =>
  Object.entries(
    (z.toJSONSchema(query, { io: 'input' }) as { properties: Record<string, object> }).properties,
  ).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));

export const memberNoParameter = {
  name: 'no',
  in: 'path',
  required: true,
  description: 'Member number (成员号), as the person sees it under 我的信息',
  schema: { type: 'integer' },
};

export const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

export const refParameter = {
  name: 'ref',
  in: 'path',
  required: true,
  description: 'Reference code, e.g. JY-2026-0001',
  schema: { type: 'string' },
};
