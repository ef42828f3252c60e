/** The language of a request's reader: English when the browser or client asks for it first, else Chinese. */
import type { Context } from 'hono';
import type { Lang } from '../../kernel/l10n.ts';

export function requestLang(c: Context): Lang {
  const header = c.req.header('accept-language') ?? '';
  return /^\s*en\b/i.test(header) ? 'en' : 'zh';
}
