/**
 * The 人员与单位 list: people with search and a role filter, fifty a page, and everyone the
 * filters match as a CSV, its export audited (person.export).
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { roles } from '../../../flows/engine/roles.ts';
import { formatTime, t } from '../../../kernel/l10n.ts';
import { actorOf, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import { toCsv } from '../../http/csv.ts';
import { audit } from '../../pipeline/audit.ts';
import { csvResponse } from '../items/csv.ts';
import { directoryCard } from './console-directory.ts';
import { roleLabels, text } from './console-text.ts';
import { listPeople } from './directory.ts';

const listQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: z.enum(roles).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
const pageSize = 50;
const csvLimit = 10_000;

export async function listPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const lang = user.language;
  const parsed = listQuery.parse(c.req.query());
  const { items, total } = await listPeople(deps.db, {
    ...(parsed.q ? { q: parsed.q } : {}),
    ...(parsed.role ? { role: parsed.role } : {}),
    limit: pageSize,
    offset: (parsed.page - 1) * pageSize,
  });
  const link = (n: number) =>
    `/console/people?${new URLSearchParams({ ...(parsed.q ? { q: parsed.q } : {}), ...(parsed.role ? { role: parsed.role } : {}), page: String(n) })}`;
  const body = html`
<p><a href="/console/people/units">${t(lang, text.units)} →</a> · <a href="/console/people/roster">${t(lang, text.roster)} →</a> · <a href="/console/people/invitations">${t(lang, text.invitations)} →</a></p>
<form class="filters" method="get" action="/console/people" role="search">
  <label>${t(lang, text.search)}<input type="search" name="q" value="${parsed.q ?? ''}"></label>
  <label>${t(lang, text.role)}<select name="role"><option value="">${t(lang, text.any)}</option>${roles.map((r) => html`<option value="${r}" ${parsed.role === r ? 'selected' : ''}>${t(lang, roleLabels[r])}</option>`)}</select></label>
  <button class="primary" type="submit">${t(lang, text.filter)}</button>
  <a href="/console/people.csv?${new URLSearchParams({ ...(parsed.q ? { q: parsed.q } : {}), ...(parsed.role ? { role: parsed.role } : {}) })}" download>${t(lang, text.csv)}</a>
</form>
${await directoryCard(deps, user, c.req.query('sync'))}
<p class="muted">${t(lang, text.total(total))}</p>
${
  items.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, text.memberNo)}</th><th scope="col">${t(lang, text.name)}</th><th scope="col">${t(lang, text.role)}</th><th scope="col">${t(lang, text.unit)}</th><th scope="col">${t(lang, text.handles)}</th></tr></thead>
<tbody>${items.map(
        (p) =>
          html`<tr><td><a href="/console/people/${p.memberNo}">${p.memberNo}</a></td><td>${p.displayName}</td><td>${t(lang, roleLabels[p.role])}</td><td>${p.unit ? t(lang, p.unit) : '—'}</td><td>${p.officerUnits.map((u) => (lang === 'zh' ? u.nameZh : u.nameEn)).join('、')}</td></tr>`,
      )}</tbody></table>`
}
<p>${parsed.page > 1 ? html`<a href="${link(parsed.page - 1)}">← ${t(lang, text.previous)}</a> ` : ''}${parsed.page * pageSize < total ? html`<a href="${link(parsed.page + 1)}">${t(lang, text.next)} →</a>` : ''}</p>`;
  return c.html(page({ title: text.title, user: pageUser(user), path: '/console/people', body }));
}

/** Everyone the filters match (the page shows them 50 at a time); the export is audited. */
export async function exportPeople(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const parsed = listQuery.parse(c.req.query());
  const { items } = await listPeople(deps.db, {
    ...(parsed.q ? { q: parsed.q } : {}),
    ...(parsed.role ? { role: parsed.role } : {}),
    limit: csvLimit,
    offset: 0,
  });
  await audit(deps.db, {
    at: deps.now(),
    ...actorOf(user),
    action: 'person.export',
    subjectType: 'person',
    subjectId: 'csv',
    detail: {
      ...(parsed.q ? { q: parsed.q } : {}),
      ...(parsed.role ? { role: parsed.role } : {}),
      rows: items.length,
    },
  });
  const csv = toCsv(
    ['成员号 Member no.', '姓名 Name', '角色 Role', '所属单位 Unit', '负责单位 Handles'],
    items.map((p) => [
      p.memberNo,
      p.displayName,
      t('zh', roleLabels[p.role]),
      p.unit?.zh ?? '',
      p.officerUnits.map((u) => u.nameZh).join('、'),
    ]),
  );
  return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10), 'people');
}
