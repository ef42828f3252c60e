/**
 * 单位 (admins only): the org units, a new one under a parent (or none), and renaming one. The
 * writes are the directory store's, checked and audited as for the officer API (org_unit.create,
 * org_unit.rename).
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { text, unitLabel } from './console-text.ts';
import { createUnit, listUnits, renameUnit } from './directory.ts';

const unitName = z.string().trim().min(1).max(60);
const uuid = z.uuid();

async function unitsPage(deps: ConsoleDeps, user: ConsoleUser, notice?: Notice) {
  const lang = user.language;
  const units = await listUnits(deps.db);
  const body = html`
<p><a href="/console/people">← ${t(lang, text.back)}</a></p>
${noticeBox(lang, notice)}
<form method="post" action="/console/people/units" class="card">
  ${csrfField(user)}
  <h2>${t(lang, text.create)}</h2>
  <label>${t(lang, text.nameZh)}<input name="nameZh" required maxlength="60"></label>
  <label>${t(lang, text.nameEn)}<input name="nameEn" maxlength="60"></label>
  <label>${t(lang, text.parent)}<select name="parentId"><option value="">${t(lang, text.noUnit)}</option>${units.map((u) => html`<option value="${u.id}">${unitLabel(u, lang)}</option>`)}</select></label>
  <p><button class="primary" type="submit">${t(lang, text.create)}</button></p>
</form>
<h2 style="margin-top:16px">${t(lang, text.units)}</h2>
<table><thead><tr><th scope="col">${t(lang, text.units)}</th><th scope="col">${t(lang, text.rename)}</th></tr></thead>
<tbody>${units.map(
    (
      u,
    ) => html`<tr><td>${unitLabel(u, lang)}</td><td><form method="post" action="/console/people/units/${u.id}" class="filters">${csrfField(user)}
  <label>${t(lang, text.nameZh)}<input name="nameZh" value="${u.nameZh}" required maxlength="60"></label>
  <label>${t(lang, text.nameEn)}<input name="nameEn" value="${u.nameEn}" required maxlength="60"></label>
  <button type="submit">${t(lang, text.rename)}</button></form></td></tr>`,
  )}</tbody></table>`;
  return page({ title: text.units, user: pageUser(user), path: '/console/people', body });
}

export async function showUnits(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  return c.html(await unitsPage(deps, c.get('user')));
}

/** A new unit; its English name is the Chinese one when left empty. */
export async function addUnit(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const form = await c.req.parseBody();
  const nameZh = unitName.safeParse(form.nameZh);
  const en = typeof form.nameEn === 'string' && form.nameEn.trim() !== '' ? form.nameEn : form.nameZh;
  const nameEn = unitName.safeParse(en);
  const parentRaw = typeof form.parentId === 'string' ? form.parentId : '';
  const parent = parentRaw === '' ? null : uuid.safeParse(parentRaw);
  if (!nameZh.success || !nameEn.success)
    return c.html(await unitsPage(deps, user, { ok: false, text: text.badUnitName }), 400);
  if (parent && !parent.success)
    return c.html(await unitsPage(deps, user, { ok: false, text: text.noParent }), 400);
  const created = await createUnit(
    deps.db,
    { nameZh: nameZh.data, nameEn: nameEn.data, parentId: parent ? parent.data : null },
    actorOf(user),
    deps.now(),
  );
  if (!created.ok) return c.html(await unitsPage(deps, user, { ok: false, text: text.noParent }), 400);
  return c.html(await unitsPage(deps, user, { ok: true, text: text.created }));
}

export async function changeUnitName(c: Context<ConsoleEnv, '/console/people/units/:id'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const id = uuid.safeParse(c.req.param('id'));
  const form = await c.req.parseBody();
  const nameZh = unitName.safeParse(form.nameZh);
  const nameEn = unitName.safeParse(form.nameEn);
  if (!nameZh.success || !nameEn.success)
    return c.html(await unitsPage(deps, user, { ok: false, text: text.badUnitName }), 400);
  const ok =
    id.success &&
    (await renameUnit(
      deps.db,
      id.data,
      { nameZh: nameZh.data, nameEn: nameEn.data },
      actorOf(user),
      deps.now(),
    ));
  if (!ok) return c.html(await unitsPage(deps, user, { ok: false, text: text.noSuchUnit }), 404);
  return c.html(await unitsPage(deps, user, { ok: true, text: text.renamed }));
}
