/**
 * 职代会届次 (admins only): the congress sessions, a new one, renaming one, and opening or closing
 * one (opening closes whichever was open; new motions join the open session). Checks, writes and
 * audit entries are the officer API's (api/motions.ts schemas, store/motions.ts).
 */
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { CongressSessionRow } from '../../../db/schema/index.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { formatTime, type L10n, t } from '../../../kernel/l10n.ts';
import { csrfField, gate, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { field, invalidFields } from '../../console/form.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { sessionBody, sessionChangeBody } from './api-schemas.ts';
import { listSessions, saveSession } from './sessions.ts';
import type { MotionActor } from './store.ts';

const text = {
  title: { zh: '职代会届次', en: 'Congress sessions' },
  nameZh: { zh: '中文名称（2–60 字）', en: 'Chinese name (2–60 characters)' },
  nameEn: { zh: '英文名称（2–60 字）', en: 'English name (2–60 characters)' },
  openNow: { zh: '建立后即开始收提案', en: 'Open it for motions at once' },
  create: { zh: '新建届次', en: 'New session' },
  state: { zh: '状态', en: 'State' },
  open: { zh: '收提案中', en: 'Open' },
  closed: { zh: '已关闭', en: 'Closed' },
  created: { zh: '建立时间', en: 'Created' },
  actions: { zh: '操作', en: 'Actions' },
  rename: { zh: '改名', en: 'Rename' },
  doOpen: { zh: '开始收提案', en: 'Open for motions' },
  doClose: { zh: '停止收提案', en: 'Close' },
  openNote: {
    zh: '同一时间只有一个届次收提案；新提交的提案归入该届次。开启一个届次会关闭其他届次。',
    en: 'One session is open at a time and new motions join it; opening one closes the others.',
  },
  none: { zh: '还没有届次。', en: 'No sessions yet.' },
  saved: { zh: '届次已建立。', en: 'The session was created.' },
  renamed: { zh: '届次已改名。', en: 'The session was renamed.' },
  opened: { zh: '届次已开始收提案。', en: 'The session is open for motions.' },
  closedDone: { zh: '届次已停止收提案。', en: 'The session is closed.' },
  notFound: { zh: '找不到该届次，没有修改。', en: 'No such session; nothing was changed.' },
  nothing: { zh: '没有要修改的内容。', en: 'There was nothing to change.' },
} satisfies Record<string, L10n>;

const fieldLabels: Record<string, L10n> = {
  nameZh: text.nameZh,
  nameEn: text.nameEn,
  open: text.state,
};

const actorOf = (user: ConsoleUser): MotionActor =>
  user.person ? { type: 'officer', id: user.person.id } : { type: 'admin_token', id: null };

export function congressPages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/congress', gate(deps, 'congress.manage'), async (c) =>
      c.html(await render(deps, c.get('user'))),
    )
    .post('/console/congress', gate(deps, 'congress.manage'), (c) => createSession(c, deps))
    .post('/console/congress/:id', gate(deps, 'congress.manage'), (c) => changeSession(c, deps));
}

async function render(
  deps: ConsoleDeps,
  user: ConsoleUser,
  notice?: Notice,
  typed: Record<string, string> = {},
) {
  const lang = user.language;
  const rows = await listSessions(deps.db);
  const row = (s: CongressSessionRow) => html`<tr data-session="${s.id}">
  <td>${s.nameZh}<br><span class="muted" lang="en">${s.nameEn}</span></td>
  <td data-state>${t(lang, s.open ? text.open : text.closed)}</td>
  <td>${formatTime(s.createdAt, deps.timeZone)}</td>
  <td>
    <form method="post" action="/console/congress/${s.id}">${csrfField(user)}<input type="hidden" name="open" value="${s.open ? 'false' : 'true'}"><button type="submit">${t(lang, s.open ? text.doClose : text.doOpen)}</button></form>
    <details><summary>${t(lang, text.rename)}</summary>
      <form method="post" action="/console/congress/${s.id}">${csrfField(user)}
        <label>${t(lang, text.nameZh)}<input name="nameZh" value="${s.nameZh}" required minlength="2" maxlength="60"></label>
        <label>${t(lang, text.nameEn)}<input name="nameEn" value="${s.nameEn}" required minlength="2" maxlength="60"></label>
        <button class="primary" type="submit">${t(lang, text.rename)}</button>
      </form>
    </details>
  </td>
</tr>`;
  const body = html`${noticeBox(lang, notice)}
<p class="muted">${t(lang, text.openNote)}</p>
<form method="post" action="/console/congress" class="card">
  ${csrfField(user)}
  <h2>${t(lang, text.create)}</h2>
  <label>${t(lang, text.nameZh)}<input name="nameZh" value="${typed.nameZh ?? ''}" required minlength="2" maxlength="60"></label>
  <label>${t(lang, text.nameEn)}<input name="nameEn" value="${typed.nameEn ?? ''}" required minlength="2" maxlength="60"></label>
  <label style="flex-direction:row;gap:6px;align-items:center"><input type="checkbox" name="open" ${typed.open === 'on' ? 'checked' : ''}> ${t(lang, text.openNow)}</label>
  <p><button class="primary" type="submit">${t(lang, text.create)}</button></p>
</form>
${
  rows.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table style="margin-top:16px"><thead><tr>${[text.title, text.state, text.created, text.actions].map((h) => html`<th scope="col">${t(lang, h)}</th>`)}</tr></thead>
<tbody>${rows.map(row)}</tbody></table>`
}`;
  return page({ title: text.title, user: pageUser(user), path: '/console/congress', body });
}

/** A new session; a refused form comes back filled in as it was sent. */
async function createSession(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const form = await c.req.parseBody();
  const typed = {
    nameZh: field(form, 'nameZh'),
    nameEn: field(form, 'nameEn'),
    open: field(form, 'open'),
  };
  const parsed = sessionBody.safeParse({
    nameZh: typed.nameZh,
    nameEn: typed.nameEn,
    open: typed.open === 'on',
  });
  if (!parsed.success)
    return c.html(
      await render(deps, user, { ok: false, text: invalidFields(parsed.error, fieldLabels) }, typed),
      400,
    );
  await saveSession(deps.db, parsed.data, deps.now(), actorOf(user));
  return c.html(await render(deps, user, { ok: true, text: text.saved }));
}

/** Renames a session, or opens or closes it. */
async function changeSession(c: Context<ConsoleEnv, '/console/congress/:id'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const id = c.req.param('id');
  const form = await c.req.parseBody();
  const open = field(form, 'open');
  // A form sends either the names (rename) or open=true/false (the state button).
  const change = {
    ...(field(form, 'nameZh') !== '' || 'nameZh' in form ? { nameZh: field(form, 'nameZh') } : {}),
    ...(field(form, 'nameEn') !== '' || 'nameEn' in form ? { nameEn: field(form, 'nameEn') } : {}),
    ...(open === 'true' ? { open: true } : open === 'false' ? { open: false } : {}),
  };
  const parsed = sessionChangeBody.safeParse(change);
  if (!parsed.success)
    return c.html(
      await render(deps, user, { ok: false, text: invalidFields(parsed.error, fieldLabels) }),
      400,
    );
  if (Object.keys(parsed.data).length === 0)
    return c.html(await render(deps, user, { ok: false, text: text.nothing }), 400);
  const saved = isUuid(id)
    ? await saveSession(deps.db, { id, ...parsed.data }, deps.now(), actorOf(user))
    : null;
  if (!saved) return c.html(await render(deps, user, { ok: false, text: text.notFound }), 404);
  const done =
    parsed.data.open === true ? text.opened : parsed.data.open === false ? text.closedDone : text.renamed;
  return c.html(await render(deps, user, { ok: true, text: done }));
}
