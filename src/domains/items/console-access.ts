/**
 * Who may touch one item in the 建议与提案 section: the access rules decide, a refusal is audited
 * (console.item_refused), and the pages for an item that does not exist or is another unit's.
 */
import { html } from 'hono/html';
import type { ItemAction } from '../../../flows/access/rules.ts';
import { type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf } from '../../console/access.ts';
import type { ConsoleDeps } from '../../console/context.ts';
import { bare } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { audit } from '../../pipeline/audit.ts';
import { itemAccess } from './access.ts';
import { text } from './console-text.ts';
import { getSubmission } from './store.ts';

/** Whether this user may take the action on the item (the access rules); a refusal is audited. */
export async function consoleAccess(deps: ConsoleDeps, user: ConsoleUser, action: ItemAction, ref: string) {
  const found = await itemAccess(deps.db, user.actor, action, ref);
  if (found.ok) return 'ok' as const;
  if (found.reason === 'not_found') return 'not_found' as const;
  await audit(deps.db, {
    at: deps.now(),
    ...actorOf(user),
    action: 'console.item_refused',
    subjectType: 'submission',
    subjectId: ref,
    detail: { action },
  });
  return 'not_yours' as const;
}

/** The item, if this user may see it; a refusal is audited. */
export async function readableItem(deps: ConsoleDeps, user: ConsoleUser, ref: string) {
  const allowed = await consoleAccess(deps, user, 'item.read', ref);
  if (allowed === 'not_yours') return allowed;
  if (allowed === 'not_found') return null;
  return getSubmission(deps.db, ref, {
    keyRing: deps.keys,
    actorType: user.person ? 'officer' : 'admin_token',
    actorId: user.person?.id ?? null,
    now: deps.now(),
  });
}

export const itemNotFound = (lang: Lang) =>
  bare({
    title: text.notFound,
    lang,
    body: html`<p><a href="/console/items">${t(lang, text.back)}</a></p>`,
  });

export const itemNotYours = (lang: Lang) =>
  bare({
    title: text.notYours,
    lang,
    body: html`<p><a href="/console/items">${t(lang, text.back)}</a></p>`,
  });
