/**
 * One person in 人员与单位 (admins only): their name, role, own unit and the units they handle, saved
 * through the directory store (person.assign, checked and audited as for the officer API); their
 * 工号, 入会日期, channels and whether they are verified; the phone number opened only on request,
 * each read audited; and their invitation to bind. A refused change shows the page again with why
 * and stores nothing; a saved one answers with a redirect, so a reload does not post again.
 */
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { people } from '../../../db/schema/index.ts';
import { roles } from '../../../flows/engine/roles.ts';
import { type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { charCount, normalizeText } from '../../../kernel/text.ts';
import { actorOf, csrfField, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { audit } from '../../pipeline/audit.ts';
import { inviteNotice, inviteSection } from './console-invite.ts';
import { roleLabels, text, unitLabel } from './console-text.ts';
import { assignPerson, listUnits, profileOf } from './directory.ts';
import { renamePerson } from './people.ts';

type PersonContext = Context<ConsoleEnv, '/console/people/:no{[0-9]{1,12}}'>;

const uuid = z.uuid();

async function personPage(
  deps: ConsoleDeps,
  user: ConsoleUser,
  memberNo: number,
  opts: { notice?: Notice; phone?: string | null } = {},
) {
  const lang = user.language;
  const person = await profileOf(deps.db, { memberNo });
  if (!person) return null;
  const units = await listUnits(deps.db);
  const handled = new Set(person.officerUnits.map((u) => u.id));
  const [own] = await deps.db
    .select({ unitId: people.orgUnitId, phone: people.phone, memberSince: people.memberSince })
    .from(people)
    .where(eq(people.id, person.id));
  const body = html`
<p><a href="/console/people">← ${t(lang, text.back)}</a></p>
${noticeBox(lang, opts.notice)}
${identityCard(lang, person, { ...own, shownPhone: opts.phone })}
<form method="post" action="/console/people/${person.memberNo}" class="card">
  ${csrfField(user)}
  <h2>${person.displayName} · ${t(lang, text.memberNo)} ${person.memberNo}</h2>
  <label>${t(lang, text.name)}<input name="name" value="${person.displayName}" maxlength="50" required></label>
  <label>${t(lang, text.role)}<select name="role" required>${roles.map((r) => html`<option value="${r}" ${person.role === r ? 'selected' : ''}>${t(lang, roleLabels[r])}</option>`)}</select></label>
  <label>${t(lang, text.unit)}<select name="unit"><option value="">${t(lang, text.noUnit)}</option>${units.map((u) => html`<option value="${u.id}" ${own?.unitId === u.id ? 'selected' : ''}>${unitLabel(u, lang)}</option>`)}</select></label>
  <fieldset><legend>${t(lang, text.handles)}</legend>
    <p class="muted">${t(lang, text.handlesHint)}</p>
    ${units.map((u) => html`<label style="flex-direction:row;gap:6px"><input type="checkbox" name="handles" value="${u.id}" ${handled.has(u.id) ? 'checked' : ''}> ${unitLabel(u, lang)}</label>`)}
  </fieldset>
  <p><button class="primary" type="submit">${t(lang, text.save)}</button></p>
</form>
${await inviteSection(deps, user, person)}`;
  return page({
    title: { zh: person.displayName, en: person.displayName },
    user: pageUser(user),
    path: '/console/people',
    body,
  });
}

/** 工号, 入会日期, whether verified, the channels, and the phone behind an audited look. */
function identityCard(
  lang: Lang,
  person: { memberNo: number; employeeNo: string | null; verified: boolean; channels: string[] },
  own:
    | { phone?: string | null; memberSince?: string | null; shownPhone?: string | null | undefined }
    | undefined,
) {
  const phone = own?.phone
    ? own.shownPhone
      ? html`<strong data-phone>${own.shownPhone}</strong>`
      : html`<a href="/console/people/${person.memberNo}?show=phone" rel="nofollow">${t(lang, text.showPhone)}</a>`
    : '—';
  return html`<dl class="card" data-identity>
  <dt>${t(lang, text.employeeNo)}</dt><dd>${person.employeeNo ?? t(lang, text.notOnRoster)}</dd>
  <dt>${t(lang, text.memberSince)}</dt><dd>${own?.memberSince ?? '—'}</dd>
  <dt>${t(lang, text.verified)}</dt><dd>${person.verified ? t(lang, text.isVerified) : html`<strong class="urgent">${t(lang, text.unverified)}</strong>`}</dd>
  <dt>${t(lang, text.channels)}</dt><dd>${person.channels.length > 0 ? person.channels.join('、') : t(lang, text.noChannel)}</dd>
  <dt>${t(lang, text.phone)}</dt><dd>${phone}</dd>
</dl>`;
}

const notFound = async (user: ConsoleUser) =>
  page({
    title: text.noPerson,
    user: pageUser(user),
    path: '/console/people',
    body: html`<p><a href="/console/people">${t(user.language, text.back)}</a></p>`,
  });

/** The page; `?show=phone` opens the sealed phone number, and that read is audited. `?saved=1` after a save. */
export async function showPerson(c: PersonContext, deps: ConsoleDeps) {
  const user = c.get('user');
  const memberNo = Number(c.req.param('no'));
  let phone: string | null = null;
  if (c.req.query('show') === 'phone') {
    const [row] = await deps.db
      .select({ phone: people.phone })
      .from(people)
      .where(eq(people.memberNo, memberNo));
    if (row?.phone) {
      phone = await deps.keys.open(row.phone);
      await audit(deps.db, {
        at: deps.now(),
        ...actorOf(user),
        action: 'person.read_phone',
        subjectType: 'person',
        subjectId: String(memberNo),
      });
    }
  }
  const notice =
    c.req.query('saved') === '1' ? { ok: true, text: text.saved } : inviteNotice(c.req.query('invite'));
  const shown = await personPage(deps, user, memberNo, { phone, ...(notice ? { notice } : {}) });
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
  // A form without the name field (an older page) keeps the name.
  const name = form.name === undefined ? null : normalizeText(one(form.name));
  const fail = async (reason: L10n, status: 400 | 404 = 400) => {
    const shown = await personPage(deps, user, memberNo, { notice: { ok: false, text: reason } });
    return shown ? c.html(shown, status) : c.html(await notFound(user), 404);
  };
  if (name !== null && (name === '' || charCount(name) > 50)) return fail(text.badName);
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
  if (name !== null) await renamePerson(deps.db, { memberNo, name, actor: actorOf(user), now: deps.now() });
  return c.redirect(`/console/people/${memberNo}?saved=1`, 303);
}
