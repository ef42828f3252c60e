/**
 * One person in 人员与单位 (admins only): their role, their own unit and the units they handle,
 * and saving a change through the directory store (person.assign, checked and audited as for
 * the officer API). A refused change shows the page again with why; nothing is stored.
 */
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { people } from '../../../db/schema/index.ts';
import { roles } from '../../../flows/engine/roles.ts';
import { type L10n, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { roleLabels, text, unitLabel } from './console-text.ts';
import { assignPerson, listUnits, profileOf } from './directory.ts';

type PersonContext = Context<ConsoleEnv, '/console/people/:no{[0-9]{1,12}}'>;

const uuid = z.uuid();

async function personPage(deps: ConsoleDeps, user: ConsoleUser, memberNo: number, notice?: Notice) {
  const lang = user.language;
  const person = await profileOf(deps.db, { memberNo });
  if (!person) return null;
  const units = await listUnits(deps.db);
  const handled = new Set(person.officerUnits.map((u) => u.id));
  const [own] = await deps.db
    .select({ unitId: people.orgUnitId })
    .from(people)
    .where(eq(people.id, person.id));
  const body = html`
<p><a href="/console/people">← ${t(lang, text.back)}</a></p>
${noticeBox(lang, notice)}
<form method="post" action="/console/people/${person.memberNo}" class="card">
  ${csrfField(user)}
  <h2>${person.displayName} · ${t(lang, text.memberNo)} ${person.memberNo}</h2>
  <label>${t(lang, text.role)}<select name="role" required>${roles.map((r) => html`<option value="${r}" ${person.role === r ? 'selected' : ''}>${t(lang, roleLabels[r])}</option>`)}</select></label>
  <label>${t(lang, text.unit)}<select name="unit"><option value="">${t(lang, text.noUnit)}</option>${units.map((u) => html`<option value="${u.id}" ${own?.unitId === u.id ? 'selected' : ''}>${unitLabel(u, lang)}</option>`)}</select></label>
  <fieldset><legend>${t(lang, text.handles)}</legend>
    <p class="muted">${t(lang, text.handlesHint)}</p>
    ${units.map((u) => html`<label style="flex-direction:row;gap:6px"><input type="checkbox" name="handles" value="${u.id}" ${handled.has(u.id) ? 'checked' : ''}> ${unitLabel(u, lang)}</label>`)}
  </fieldset>
  <p><button class="primary" type="submit">${t(lang, text.save)}</button></p>
</form>`;
  return page({
    title: { zh: person.displayName, en: person.displayName },
    user: pageUser(user),
    path: '/console/people',
    body,
  });
}

const notFound = async (user: ConsoleUser) =>
  page({
    title: text.noPerson,
    user: pageUser(user),
    path: '/console/people',
    body: html`<p><a href="/console/people">${t(user.language, text.back)}</a></p>`,
  });

export async function showPerson(c: PersonContext, deps: ConsoleDeps) {
  const user = c.get('user');
  const shown = await personPage(deps, user, Number(c.req.param('no')));
  return shown ? c.html(shown) : c.html(await notFound(user), 404);
}

/** Saves the person's role, unit and handled units, or shows the page again with why not. */
export async function assignFromConsole(c: PersonContext, deps: ConsoleDeps) {
  const user = c.get('user');
  const memberNo = Number(c.req.param('no'));
  const form = await c.req.parseBody({ all: true });
  const one = (value: unknown) => (typeof value === 'string' ? value : '');
  const role = z.enum(roles).safeParse(one(form.role));
  const unitRaw = one(form.unit);
  const unitId = unitRaw === '' ? null : uuid.safeParse(unitRaw);
  const handlesRaw = [form.handles ?? []].flat().filter((v): v is string => typeof v === 'string');
  const handles = z.array(uuid).max(50).safeParse(handlesRaw);
  const fail = async (reason: L10n, status: 400 | 404 = 400) => {
    const shown = await personPage(deps, user, memberNo, { ok: false, text: reason });
    return shown ? c.html(shown, status) : c.html(await notFound(user), 404);
  };
  if (!role.success) return fail(text.badRole);
  if ((unitId && !unitId.success) || !handles.success) return fail(text.badUnit);
  const result = await assignPerson(deps.db, {
    memberNo,
    role: role.data,
    unitId: unitId ? unitId.data : null,
    officerUnitIds: handles.data,
    actor: actorOf(user),
    now: deps.now(),
    keyRing: deps.keys,
  });
  if (!result.ok) {
    if (result.reason === 'no_person') return c.html(await notFound(user), 404);
    return fail(
      result.reason === 'not_officer'
        ? text.notOfficer
        : result.reason === 'own_role'
          ? text.ownRole
          : text.badUnit,
    );
  }
  const shown = await personPage(deps, user, memberNo, { ok: true, text: text.saved });
  return shown ? c.html(shown) : c.html(await notFound(user), 404);
}
