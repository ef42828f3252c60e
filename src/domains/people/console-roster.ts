/**
 * 花名册 (admins only): upload an Excel or CSV roster, see what importing it would do and every
 * row's problems (row, column, why) before anything is written, import it in one go, and export
 * the roster in the same columns. Each step is its own address: an upload or an import answers
 * with a redirect to the preview, so reloading never posts again.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { csvResponse } from '../items/csv.ts';
import { roleLabels } from './console-text.ts';
import { exportRoster } from './roster-export.ts';
import { rosterLimits } from './roster-file.ts';
import { holdRoster, importRoster, type Preview, previewRoster } from './roster-import.ts';
import { pathKey, type RosterPlan } from './roster-plan.ts';
import { columnLabels, type RowProblem, rosterColumns } from './roster-rows.ts';
import { text } from './roster-text.ts';

const day = (deps: ConsoleDeps) => formatTime(deps.now(), deps.timeZone).slice(0, 10);

function uploadPage(user: ConsoleUser, notice?: Notice) {
  const lang = user.language;
  const columns = rosterColumns.map((c) => t(lang, columnLabels[c])).join(lang === 'zh' ? '、' : ', ');
  const body = html`
<p><a href="/console/people">← ${t(lang, text.back)}</a></p>
${noticeBox(lang, notice)}
<form method="post" action="/console/people/roster" enctype="multipart/form-data" class="card" data-upload>
  ${csrfField(user)}
  <h2>${t(lang, text.uploadTitle)}</h2>
  <p>${t(lang, text.columns(columns))}</p>
  <p class="muted">${t(lang, text.limits(rosterLimits.rows, Math.round(rosterLimits.fileBytes / 1024 / 1024)))}</p>
  <label>${t(lang, text.file)}<input type="file" name="file" required accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"></label>
  <p><button class="primary" type="submit">${t(lang, text.check)}</button></p>
</form>
<div class="card"><h2>${t(lang, text.exportTitle)}</h2>
  <p class="muted">${t(lang, text.exportHint)}</p>
  <p><a href="/console/people/roster.xlsx" download>${t(lang, text.exportXlsx)}</a> · <a href="/console/people/roster.csv" download>${t(lang, text.exportCsv)}</a></p>
</div>`;
  return page({ title: text.title, user: pageUser(user), path: '/console/people', body });
}

export const showRoster = (c: Context<ConsoleEnv>) => c.html(uploadPage(c.get('user')));

/** Reads the file and holds it, then shows its preview at its own address; a file it cannot read is refused here. */
export async function uploadRoster(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const form = await c.req.parseBody();
  const file = form.file;
  if (!(file instanceof File) || file.size === 0) {
    return c.html(uploadPage(user, { ok: false, text: text.noFile }), 400);
  }
  if (file.size > rosterLimits.fileBytes) {
    return c.html(uploadPage(user, { ok: false, text: text.tooLarge(rosterLimits.fileBytes) }), 413);
  }
  const held = await holdRoster(
    deps.db,
    deps.keys,
    { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
    { actor: actorOf(user), now: deps.now(), today: day(deps) },
  );
  if (!held.ok) return c.html(uploadPage(user, { ok: false, text: held.reason }), 400);
  return c.redirect(`/console/people/roster/${held.id}`, 303);
}

const problemTable = (lang: Lang, problems: readonly RowProblem[]) => html`
<table data-problems><thead><tr><th scope="col">${t(lang, text.row)}</th><th scope="col">${t(lang, text.column)}</th><th scope="col">${t(lang, text.why)}</th></tr></thead>
<tbody>${problems.map(
  (p) =>
    html`<tr data-row="${p.row}"><td>${p.row}</td><td>${p.column ? t(lang, columnLabels[p.column]) : '—'}</td><td>${t(lang, p.reason)}</td></tr>`,
)}</tbody></table>`;

const shown = 200;

function planTables(lang: Lang, plan: RosterPlan) {
  const unitOf = (path: readonly string[]) => (path.length > 0 ? path.join('/') : '—');
  const changeNames = (cols: readonly string[]) =>
    cols.map((c) => t(lang, columnLabels[c as keyof typeof columnLabels])).join(lang === 'zh' ? '、' : ', ');
  return html`
${plan.newUnits.length > 0 ? html`<h3>${t(lang, text.newUnits(plan.newUnits.length))}</h3><ul data-new-units>${plan.newUnits.map((p) => html`<li>${pathKey(p)}</li>`)}</ul>` : ''}
${
  plan.create.length > 0
    ? html`<h3>${t(lang, text.toCreate(plan.create.length))}</h3>
<table data-create><thead><tr><th scope="col">${t(lang, text.row)}</th><th scope="col">${t(lang, columnLabels.name)}</th><th scope="col">${t(lang, columnLabels.employeeNo)}</th><th scope="col">${t(lang, columnLabels.unit)}</th><th scope="col">${t(lang, columnLabels.role)}</th></tr></thead>
<tbody>${plan.create.slice(0, shown).map(({ entry }) => html`<tr><td>${entry.row}</td><td>${entry.name}</td><td>${entry.employeeNo}</td><td>${unitOf(entry.unitPath)}</td><td>${t(lang, roleLabels[entry.role ?? 'staff'])}</td></tr>`)}</tbody></table>
${plan.create.length > shown ? html`<p class="muted">${t(lang, text.more(plan.create.length - shown))}</p>` : ''}`
    : ''
}
${
  plan.update.length > 0
    ? html`<h3>${t(lang, text.toUpdate(plan.update.length))}</h3>
<table data-update><thead><tr><th scope="col">${t(lang, text.row)}</th><th scope="col">${t(lang, columnLabels.name)}</th><th scope="col">${t(lang, columnLabels.employeeNo)}</th><th scope="col">${t(lang, text.changes)}</th></tr></thead>
<tbody>${plan.update.slice(0, shown).map((u) => html`<tr><td>${u.entry.row}</td><td><a href="/console/people/${u.memberNo}">${u.entry.name}</a></td><td>${u.entry.employeeNo}</td><td>${changeNames(u.changes)}</td></tr>`)}</tbody></table>
${plan.update.length > shown ? html`<p class="muted">${t(lang, text.more(plan.update.length - shown))}</p>` : ''}`
    : ''
}`;
}

function previewPage(user: ConsoleUser, zone: string, id: string, preview: Preview, notice?: Notice) {
  const lang = user.language;
  const head = html`<p><a href="/console/people/roster">← ${t(lang, text.another)}</a></p>${noticeBox(lang, notice)}`;
  if (preview.state === 'imported') {
    const r = preview.result;
    const body = html`${head}<div class="card" data-imported><h2>${preview.fileName}</h2>
<p>${t(lang, text.imported(r))}</p><p class="muted">${formatTime(preview.importedAt, zone)}</p>
<p><a href="/console/people">${t(lang, text.toPeople)}</a></p></div>`;
    return page({ title: text.title, user: pageUser(user), path: '/console/people', body });
  }
  const { plan } = preview;
  const counts: L10n = text.summary(
    plan.create.length,
    plan.update.length,
    plan.unchanged,
    plan.newUnits.length,
  );
  const body = html`${head}
<div class="card"><h2>${preview.fileName}</h2><p data-summary>${t(lang, counts)}</p>
${
  plan.problems.length > 0
    ? html`<p role="alert"><strong>${t(lang, text.hasProblems(plan.problems.length))}</strong></p>${problemTable(lang, plan.problems)}`
    : plan.create.length + plan.update.length === 0
      ? html`<p>${t(lang, text.nothingToDo)}</p>`
      : html`<form method="post" action="/console/people/roster/${id}">${csrfField(user)}<button class="primary" type="submit">${t(lang, text.apply)}</button></form>`
}
</div>
${planTables(lang, plan)}`;
  return page({ title: text.title, user: pageUser(user), path: '/console/people', body });
}

const uuid = z.uuid();

const notFound = (c: Context<ConsoleEnv>) =>
  c.html(uploadPage(c.get('user'), { ok: false, text: text.noImport }), 404);

export async function showPreview(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const id = uuid.safeParse(c.req.param('id'));
  if (!id.success) return notFound(c);
  const preview = await previewRoster(deps.db, deps.keys, id.data, user.person?.id ?? null);
  return preview ? c.html(previewPage(user, deps.timeZone, id.data, preview)) : notFound(c);
}

/** Imports a held file and shows what it did at the preview's address; refused with the problems otherwise. */
export async function applyRoster(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const id = uuid.safeParse(c.req.param('id'));
  if (!id.success) return notFound(c);
  const outcome = await importRoster(deps.db, deps.keys, id.data, { actor: actorOf(user), now: deps.now() });
  if (outcome.ok || outcome.reason === 'already_imported')
    return c.redirect(`/console/people/roster/${id.data}`, 303);
  if (outcome.reason === 'not_found') return notFound(c);
  const preview = await previewRoster(deps.db, deps.keys, id.data, user.person?.id ?? null);
  if (!preview) return notFound(c);
  return c.html(previewPage(user, deps.timeZone, id.data, preview, { ok: false, text: text.refused }), 409);
}

export async function downloadRoster(c: Context<ConsoleEnv>, deps: ConsoleDeps, format: 'xlsx' | 'csv') {
  const user = c.get('user');
  const body = await exportRoster(deps.db, deps.keys, format, { actor: actorOf(user), now: deps.now() });
  if (typeof body === 'string') return csvResponse(c, body, day(deps), 'roster');
  return c.body(body.slice().buffer, 200, {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="tongxin-roster-${day(deps)}.xlsx"`,
    'cache-control': 'no-store',
  });
}
