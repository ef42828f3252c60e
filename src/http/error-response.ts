/** The one place where errors become HTTP responses: a status and a message in both languages. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorCode, errorStatus, errorText } from '../../kernel/errors.ts';
import type { L10n } from '../../kernel/l10n.ts';
import { errorFields, type Logger } from '../kernel/log.ts';
import { requestLang } from './lang.ts';

export function errorBody(c: Context, code: ErrorCode, text: L10n, details?: unknown) {
  const lang = requestLang(c);
  return {
    error: {
      code,
      message: text[lang],
      message_zh: text.zh,
      message_en: text.en,
      ...(details === undefined ? {} : { details }),
    },
  };
}

/** True for errors meaning the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[1-3]|08\d{3})$/.test(code)
    ) {
      return true;
    }
    const message = (current as { message?: unknown }).message;
    if (
      typeof message === 'string' &&
      // The last three are how a socket failure reads on Workers (cloudflare:sockets, Hyperdrive).
      /Connection terminated|connect ECONNREFUSED|PGlite is closed|proxy request failed|Network connection lost|cannot connect to the specified address/i.test(
        message,
      )
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function handleError(error: Error, c: Context, log: Logger) {
  if (error instanceof AppError)
    return c.json(errorBody(c, error.code, error.text, error.details), error.status);
  if (error instanceof HTTPException) {
    const status = error.status;
    const code: ErrorCode =
      status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'bad_request';
    const text = status === 413 ? errorText.tooLarge(64 * 1024) : { zh: '请求无效。', en: 'Bad request.' };
    return c.json(errorBody(c, code, text), errorStatus[code]);
  }
  if (isDatabaseUnavailable(error)) {
    log.warn('http.db_unavailable', { path: c.req.path, ...errorFields(error) });
    return c.json(errorBody(c, 'unavailable', errorText.unavailable), 503);
  }
  log.error('http.error', { method: c.req.method, path: c.req.path, ...errorFields(error) });
  return c.json(errorBody(c, 'internal', errorText.internal), 500);
}
