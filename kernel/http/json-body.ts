/** Reads a JSON request body and validates it, turning every kind of bad input into an AppError. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, errorText } from '../errors.ts';
import { unstorableError, unstorableField } from './unstorable-input.ts';

/**
 * The body, checked against `schema`. A string anywhere in it holding NUL or a lone surrogate is
 * refused (see unstorable-input.ts), unless `anyText`: chat messages, whose text is kept as sent
 * and made storable where it is stored.
 */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  opts: { anyText?: boolean } = {},
): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type.trim()))
    throw new AppError('unsupported_media_type', errorText.notJson);
  const raw = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new AppError('invalid_json', errorText.invalidJson);
  }
  const unstorable = opts.anyText ? null : unstorableField(body);
  if (unstorable !== null) throw unstorableError([unstorable]);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** A 400 naming each field that is wrong. */
export function validationError(error: z.ZodError): AppError {
  const fields = [...new Set(error.issues.map((i) => (i.path.length > 0 ? i.path.join('.') : 'body')))];
  return new AppError(
    'validation_failed',
    errorText.validation(fields),
    error.issues.map((i) => ({ field: i.path.join('.') || 'body', problem: i.code })),
  );
}
