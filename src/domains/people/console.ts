/**
 * 人员与单位 (admins only): people with search, one person's role, unit and handled units, and
 * the org units (create, rename). Changes go through the directory store the officer API uses,
 * so they are checked and audited the same way (person.assign, org_unit.create, org_unit.rename).
 * The people list as a CSV (same filters, every page), its export audited.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { people } from '../../../db/schema/index.ts';
import { type Role, roles } from '../../../flows/engine/roles.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, gate, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { toCsv } from '../../http/csv.ts';
import { audit } from '../../pipeline/audit.ts';
import { csvResponse } from '../items/csv.ts';
import {
  assignPerson,
  createUnit,
  listPeople,
  listUnits,
  type OrgUnit,
  profileOf,
  renameUnit,
} from './directory.ts';

const text = {
  title: { zh: '人员与单位', en: 'People & units' },
  units: { zh: '单位', en: 'Org units' },
  search: { zh: '搜索（姓名或成员号）', en: 'Search (name or member number)' },
  role: { zh: '角色', en: 'Role' },
  any: { zh: '全部', en: 'All' },
  filter: { zh: '筛选', en: 'Filter' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  memberNo: { zh: '成员号', en: 'Member no.' },
  name: { zh: '姓名', en: 'Name' },
  unit: { zh: '所属单位', en: 'Unit' },
  handles: { zh: '负责单位', en: 'Handles' },
  noUnit: { zh: '（无）', en: '(none)' },
  total: (n: number) => ({ zh: `共 ${n} 人`, en: `${n} in all` }),
  none: { zh: '没有符合条件的人员。', en: 'Nobody matches.' },
  edit: { zh: '修改', en: 'Change' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存。', en: 'Saved.' },
  handlesHint: {
    zh: '只有工会干部和管理员可以负责单位（含下级单位）。',
    en: 'Only officers and admins handle units (and the units below them).',
  },
  back: { zh: '返回人员列表', en: 'Back to people' },
  noPerson: { zh: '找不到该人员。', en: 'No such person.' },
  badRole: { zh: '请选择有效的角色，没有修改。', en: 'Choose a valid role; nothing was changed.' },
  badUnit: { zh: '所选单位不存在，没有修改。', en: 'A chosen unit does not exist; nothing was changed.' },
  notOfficer: {
    zh: '只有工会干部和管理员才能负责单位，没有修改。',
    en: 'Only officers and admins can handle units; nothing was changed.',
  },
  ownRole: {
    zh: '不能修改自己的角色，没有修改。',
    en: 'You cannot change your own role; nothing was changed.',
  },
  nameZh: { zh: '中文名称', en: 'Chinese name' },
  nameEn: { zh: '英文名称', en: 'English name' },
  parent: { zh: '上级单位', en: 'Parent unit' },
  create: { zh: '新建单位', en: 'New unit' },
  rename: { zh: '改名', en: 'Rename' },
  created: { zh: '单位已建立。', en: 'The unit was created.' },
  renamed: { zh: '单位已改名。', en: 'The unit was renamed.' },
  badName: {
    zh: '单位名称必填，最多 60 字，没有修改。',
    en: 'A unit needs a name of at most 60 characters; nothing was changed.',
  },
  noParent: { zh: '上级单位不存在，没有修改。', en: 'The parent unit does not exist; nothing was changed.' },
  noSuchUnit: { zh: '找不到该单位，没有修改。', en: 'No such unit; nothing was changed.' },
  previous: { zh: '上一页', en: 'Previous' },
  next: { zh: '下一页', en: 'Next' },
} satisfies Record<string, L10n | ((n: number) => L10n)>;

const roleLabels: Record<Role, L10n> = {
  staff: { zh: '职工', en: 'Staff' },
  delegate: { zh: '职工代表', en: 'Delegate' },
  officer: { zh: '工会干部', en: 'Officer' },
  admin: { zh: '管理员', en: 'Admin' },
};

const listQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: z.enum(roles).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
const pageSize = 50;
const csvLimit = 10_000;
const unitName = z.string().trim().min(1).max(60);
const uuid = z.uuid();

const unitLabel = (u: Pick<OrgUnit, 'pathZh' | 'pathEn'>, lang: Lang) =>
  lang === 'zh' ? u.pathZh : u.pathEn;

export function peoplePages(deps: ConsoleDeps) {
  const { db } = deps;

  const list = async (user: ConsoleUser, query: Record<string, string>) => {
    const lang = user.language;
    const parsed = listQuery.parse(query);
    const { items, total } = await listPeople(db, {
      ...(parsed.q ? { q: parsed.q } : {}),
      ...(parsed.role ? { role: parsed.role } : {}),
      limit: pageSize,
      offset: (parsed.page - 1) * pageSize,
    });
    const link = (n: number) =>
      `/console/people?${new URLSearchParams({ ...(parsed.q ? { q: parsed.q } : {}), ...(parsed.role ? { role: parsed.role } : {}), page: String(n) })}`;
    const body = html`
<p><a href="/console/people/units">${t(lang, text.units)} →</a></p>
<form class="filters" method="get" action="/console/people" role="search">
  <label>${t(lang, text.search)}<input type="search" name="q" value="${parsed.q ?? ''}"></label>
  <label>${t(lang, text.role)}<select name="role"><option value="">${t(lang, text.any)}</option>${roles.map((r) => html`<option value="${r}" ${parsed.role === r ? 'selected' : ''}>${t(lang, roleLabels[r])}</option>`)}</select></label>
  <button class="primary" type="submit">${t(lang, text.filter)}</button>
  <a href="/console/people.csv?${new URLSearchParams({ ...(parsed.q ? { q: parsed.q } : {}), ...(parsed.role ? { role: parsed.role } : {}) })}" download>${t(lang, text.csv)}</a>
</form>
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
    return page({ title: text.title, user: pageUser(user), path: '/console/people', body });
  };

  const personPage = async (user: ConsoleUser, memberNo: number, notice?: Notice) => {
    const lang = user.language;
    const person = await profileOf(db, { memberNo });
    if (!person) return null;
    const units = await listUnits(db);
    const handled = new Set(person.officerUnits.map((u) => u.id));
    const [own] = await db.select({ unitId: people.orgUnitId }).from(people).where(eq(people.id, person.id));
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
  };

  const unitsPage = async (user: ConsoleUser, notice?: Notice) => {
    const lang = user.language;
    const units = await listUnits(db);
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
  };

  const notFound = async (user: ConsoleUser) =>
    page({
      title: text.noPerson,
      user: pageUser(user),
      path: '/console/people',
      body: html`<p><a href="/console/people">${t(user.language, text.back)}</a></p>`,
    });

  return new Hono<ConsoleEnv>()
    .get('/console/people', gate(deps, 'people.list'), async (c) =>
      c.html(await list(c.get('user'), c.req.query())),
    )
    .get('/console/people.csv', gate(deps, 'people.list'), async (c) => {
      // Everyone the filters match (the page shows them 50 at a time); the export is audited.
      const user = c.get('user');
      const parsed = listQuery.parse(c.req.query());
      const { items } = await listPeople(db, {
        ...(parsed.q ? { q: parsed.q } : {}),
        ...(parsed.role ? { role: parsed.role } : {}),
        limit: csvLimit,
        offset: 0,
      });
      await audit(db, {
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
    })
    .get('/console/people/units', gate(deps, 'units.manage'), async (c) =>
      c.html(await unitsPage(c.get('user'))),
    )
    .post('/console/people/units', gate(deps, 'units.manage'), async (c) => {
      const user = c.get('user');
      const form = await c.req.parseBody();
      const nameZh = unitName.safeParse(form.nameZh);
      const en = typeof form.nameEn === 'string' && form.nameEn.trim() !== '' ? form.nameEn : form.nameZh;
      const nameEn = unitName.safeParse(en);
      const parentRaw = typeof form.parentId === 'string' ? form.parentId : '';
      const parent = parentRaw === '' ? null : uuid.safeParse(parentRaw);
      if (!nameZh.success || !nameEn.success)
        return c.html(await unitsPage(user, { ok: false, text: text.badName }), 400);
      if (parent && !parent.success)
        return c.html(await unitsPage(user, { ok: false, text: text.noParent }), 400);
      const created = await createUnit(
        db,
        { nameZh: nameZh.data, nameEn: nameEn.data, parentId: parent ? parent.data : null },
        actorOf(user),
        deps.now(),
      );
      if (!created.ok) return c.html(await unitsPage(user, { ok: false, text: text.noParent }), 400);
      return c.html(await unitsPage(user, { ok: true, text: text.created }));
    })
    .post('/console/people/units/:id', gate(deps, 'units.manage'), async (c) => {
      const user = c.get('user');
      const id = uuid.safeParse(c.req.param('id'));
      const form = await c.req.parseBody();
      const nameZh = unitName.safeParse(form.nameZh);
      const nameEn = unitName.safeParse(form.nameEn);
      if (!nameZh.success || !nameEn.success)
        return c.html(await unitsPage(user, { ok: false, text: text.badName }), 400);
      const ok =
        id.success &&
        (await renameUnit(
          db,
          id.data,
          { nameZh: nameZh.data, nameEn: nameEn.data },
          actorOf(user),
          deps.now(),
        ));
      if (!ok) return c.html(await unitsPage(user, { ok: false, text: text.noSuchUnit }), 404);
      return c.html(await unitsPage(user, { ok: true, text: text.renamed }));
    })
    .get('/console/people/:no{[0-9]{1,12}}', gate(deps, 'people.list'), async (c) => {
      const user = c.get('user');
      const shown = await personPage(user, Number(c.req.param('no')));
      return shown ? c.html(shown) : c.html(await notFound(user), 404);
    })
    .post('/console/people/:no{[0-9]{1,12}}', gate(deps, 'people.assign'), async (c) => {
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
        const shown = await personPage(user, memberNo, { ok: false, text: reason });
        return shown ? c.html(shown, status) : c.html(await notFound(user), 404);
      };
      if (!role.success) return fail(text.badRole);
      if ((unitId && !unitId.success) || !handles.success) return fail(text.badUnit);
      const result = await assignPerson(db, {
        memberNo,
        role: role.data,
        unitId: unitId ? unitId.data : null,
        officerUnitIds: handles.data,
        actor: actorOf(user),
        now: deps.now(),
        keyRing: deps.keyRing,
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
      const shown = await personPage(user, memberNo, { ok: true, text: text.saved });
      return shown ? c.html(shown) : c.html(await notFound(user), 404);
    });
}
