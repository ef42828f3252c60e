/**
 * A registered motion's answer given more time from its page in the console, with the reason the
 * proposer is sent: the officer API's checks (its schema, at most 500 characters of reason), then
 * the extension, then the item's page again with how it went.
 */
import { type Context, Hono } from 'hono';
import { formatTime, type L10n } from '../../../kernel/l10n.ts';
import { charCount } from '../../../kernel/text.ts';
import { gate } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { detailPage } from '../items/console.ts';
import { consoleAccess, itemNotFound, itemNotYours } from '../items/console-access.ts';
import { text } from '../items/console-text.ts';
import { extendBody } from './api-schemas.ts';
import { extendMotion } from './deadline.ts';

export function motionExtendPages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>().post('/console/items/:ref/extend', gate(deps, 'item.extend'), (c) =>
    extendItem(c, deps),
  );
}

/** Gives a registered motion's answer more time, with the reason the proposer is sent. */
async function extendItem(c: Context<ConsoleEnv, '/console/items/:ref/extend'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const ref = c.req.param('ref').trim().toUpperCase().slice(0, 40);
  const form = await c.req.parseBody();
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const allowed = await consoleAccess(deps, user, 'item.extend', ref);
  if (allowed === 'not_found') return c.html(itemNotFound(user.language), 404);
  if (allowed === 'not_yours') return c.html(itemNotYours(user.language), 403);
  const typed = { days: field('days'), reason: field('reason') };
  const refuse = async (message: L10n, status: 400 | 409) => {
    const shown = await detailPage(deps, user, ref, { ok: false, text: message }, typed);
    if (!shown || shown === 'not_yours') return c.html(itemNotFound(user.language), 404);
    return c.html(shown, status);
  };
  // The officer API's checks: its schema, then at most 500 characters of reason.
  const parsed = extendBody.safeParse({
    days: /^\d{1,3}$/.test(typed.days) ? Number(typed.days) : Number.NaN,
    reason: typed.reason,
  });
  if (!parsed.success) return refuse(text.badExtend, 400);
  const given = charCount(parsed.data.reason);
  if (given > 500) return refuse(text.reasonTooLong(given), 400);
  const result = await extendMotion(deps.db, {
    referenceCode: ref,
    ...parsed.data,
    now: deps.now(),
    timeZone: deps.timeZone,
    keyRing: deps.keys,
    actor: { type: user.person ? 'officer' : 'admin_token', id: user.person?.id ?? null },
  });
  if (!result.ok) {
    if (result.reason === 'not_found') return c.html(itemNotFound(user.language), 404);
    return refuse(text.notOpen, 409);
  }
  deps.wake.outbox();
  const shown = await detailPage(deps, user, ref, {
    ok: true,
    text: text.extended(formatTime(result.answerDueAt, deps.timeZone)),
  });
  if (!shown || shown === 'not_yours') return c.html(itemNotFound(user.language), 404);
  return c.html(shown);
}
