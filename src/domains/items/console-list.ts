/**
 * The 建议与提案 list: the items of the officer's units (all for admins) with filters and search,
 * fifty a page, and the same list as a CSV (every page, sealed details left out).
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { itemScope } from '../../../flows/access/rules.ts';
import { allStatuses, statusLabel } from '../../../flows/lifecycles.ts';
import { formatTime, t } from '../../../kernel/l10n.ts';
import { pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { kindName, listedKinds, proposerLabel, text } from './console-text.ts';
import { csvResponse, itemsCsv } from './csv.ts';
import { listSubmissions } from './store.ts';

const listQuery = z.object({
  kind: z.enum(listedKinds).optional().catch(undefined),
  status: z.enum(allStatuses).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

const pageSize = 50;

function filterOf(user: ConsoleUser, query: Record<string, string>) {
  const parsed = listQuery.parse(query);
  // Exactly what the user may open: every unit's for admins, the handled units' for an officer.
  const scope = itemScope(user.actor);
  return {
    parsed,
    filter: {
      kinds: parsed.kind ? [parsed.kind] : listedKinds,
      ...(parsed.status ? { status: parsed.status } : {}),
      ...(parsed.q ? { q: parsed.q } : {}),
      ...(scope.all ? {} : { unitIds: scope.units }),
    },
  };
}

export async function listPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const lang = user.language;
  const { parsed, filter } = filterOf(user, c.req.query());
  const { items, total } = await listSubmissions(deps.db, {
    ...filter,
    limit: pageSize,
    offset: (parsed.page - 1) * pageSize,
  });
  const query = new URLSearchParams(c.req.query());
  query.delete('page');
  const body = html`
<form class="filters" method="get" action="/console/items" role="search">
  <label>${t(lang, text.kind)}<select name="kind"><option value="">${t(lang, text.any)}</option>${listedKinds.map((k) => html`<option value="${k}" ${parsed.kind === k ? 'selected' : ''}>${kindName(k, lang)}</option>`)}</select></label>
  <label>${t(lang, text.status)}<select name="status"><option value="">${t(lang, text.any)}</option>${[...new Set(allStatuses)].map((s) => html`<option value="${s}" ${parsed.status === s ? 'selected' : ''}>${t(lang, statusLabel(parsed.kind ?? 'suggestion', s))}</option>`)}</select></label>
  <label>${t(lang, text.search)}<input type="search" name="q" value="${parsed.q ?? ''}"></label>
  <button class="primary" type="submit">${t(lang, text.filter)}</button>
  <a href="/console/items.csv?${query.toString()}" download>${t(lang, text.csv)}</a>
</form>
<p class="muted">${t(lang, text.total(total))}</p>
${
  items.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, text.ref)}</th><th scope="col">${t(lang, text.itemTitle)}</th><th scope="col">${t(lang, text.status)}</th><th scope="col">${t(lang, text.kind)}</th><th scope="col">${t(lang, text.raisedBy)}</th><th scope="col">${t(lang, text.filed)}</th></tr></thead>
<tbody>${items.map(
        (item) =>
          html`<tr><td><a href="/console/items/${item.referenceCode}">${item.referenceCode}</a></td><td>${item.title}</td><td>${t(lang, statusLabel(item.kind, item.status))}</td><td>${kindName(item.kind, lang)}</td><td>${proposerLabel(item.proposer, lang)}</td><td>${formatTime(item.createdAt, deps.timeZone)}</td></tr>`,
      )}</tbody></table>`
}`;
  return c.html(page({ title: text.title, user: pageUser(user), path: '/console/items', body }));
}

export async function exportItems(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const { filter } = filterOf(user, c.req.query());
  const csv = await itemsCsv(deps.db, filter, {
    keyRing: deps.keys,
    timeZone: deps.timeZone,
    now: deps.now,
    sensitive: false,
    actor: { type: user.person ? 'officer' : 'admin_token', id: user.person?.id ?? null },
  });
  return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10));
}
