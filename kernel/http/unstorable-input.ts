/**
 * One rule for text PostgreSQL cannot hold: NUL and unpaired UTF-16 surrogates (in a URL or a
 * form, percent-encoded bytes that are not UTF-8, which would decode to them or to nothing). A
 * query string, path segment, form field or JSON field carrying one is refused with 400 before a
 * handler sees it, so no statement fails on it (SQLSTATE 22021, a 500) and nothing is quietly
 * changed. Chat message text is the one exception: it is kept, made storable (db/storable.ts).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError, errorText } from '../errors.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True for a string holding NUL or a lone surrogate. */
export function isUnstorable(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed();
}

/** True for percent-encoded text (a URL's part, a form body) that decodes to NUL or to bytes that are not UTF-8. */
export function isUnstorableEncoded(text: string): boolean {
  if (isUnstorable(text)) return true;
  if (!text.includes('%')) return false;
  // A `%` not followed by two hex digits is read as itself, as the URL and form parsers do.
  for (const [run] of text.matchAll(/(?:%[0-9a-f]{2})+/gi)) {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    if (bytes.includes(0)) return true;
    try {
      strictUtf8.decode(bytes);
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * Where in a JSON value (keys included) the first unstorable string is, e.g. `comment` or
 * `options.2`; null when none. Walked with a list, not recursion: a body may nest thousands deep.
 */
export function unstorableField(value: unknown): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, path } = next;
    const at = (key: string) => (path ? `${path}.${key}` : key);
    if (typeof item === 'string') {
      if (isUnstorable(item)) return path || 'body';
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push({ value: item[i], path: at(String(i)) });
    } else if (item && typeof item === 'object') {
      for (const [key, inner] of Object.entries(item).reverse()) {
        if (isUnstorable(key)) return path || 'body';
        pending.push({ value: inner, path: at(key) });
      }
    }
  }
  return null;
}

/** The 400 naming the fields that carry such text (names themselves shown only when storable). */
export function unstorableError(fields: readonly string[]): AppError {
  const named = [...new Set(fields.map((field) => (isUnstorable(field) ? 'body' : field.slice(0, 60))))];
  return new AppError(
    'validation_failed',
    errorText.unstorable(named),
    named.map((field) => ({ field, problem: 'unstorable_text' })),
  );
}

/** The fields of `a=1&b=2` text that decode to unstorable text: a field by its name when that reads, else `fallback`. */
function unstorablePairs(encoded: string, fallback: string): string[] {
  const fields: string[] = [];
  for (const pair of encoded.split('&')) {
    if (!isUnstorableEncoded(pair)) continue;
    const name = pair.split('=')[0]!;
    fields.push(isUnstorableEncoded(name) ? fallback : safeDecode(name));
  }
  return fields;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Refuses a request whose path or query string carries unstorable text, whatever the route. */
export function refuseUnstorableUrl() {
  return createMiddleware(async (c, next) => {
    const url = c.req.url;
    // The URL parser percent-encodes NUL and every non-ASCII character: without a `%` there is nothing to find.
    if (url.includes('%')) {
      const { pathname, search } = new URL(url);
      const fields = [
        ...(isUnstorableEncoded(pathname) ? ['path'] : []),
        ...unstorablePairs(search.slice(1), 'query'),
      ];
      if (fields.length > 0) throw unstorableError(fields);
    }
    await next();
  });
}

const formType = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Refuses a form whose fields carry unstorable text, before any handler (or the console's CSRF
 * check, which audits) reads it. The body is read once; handlers read it again from Hono's cache.
 */
export function refuseUnstorableForm() {
  return createMiddleware(async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && formType.test(type.trim())) {
      const fields = await unstorableFormFields(c, type);
      if (fields.length > 0) throw unstorableError(fields);
    }
    await next();
  });
}

async function unstorableFormFields(c: Context, type: string): Promise<string[]> {
  if (/^application\/x-www-form-urlencoded/i.test(type.trim()))
    return unstorablePairs(await c.req.text(), 'body');
  let form: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch (error) {
    // A multipart body that does not parse (a wrong boundary, a cut-off part); the body limit's own error passes.
    if (error instanceof TypeError) throw new AppError('bad_request', errorText.badForm);
    throw error;
  }
  const fields: string[] = [];
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = typeof item === 'string' ? item : item.name;
      if (isUnstorable(name) || isUnstorable(text)) fields.push(name);
    }
  }
  return fields;
}
