/**
 * One help case in 帮扶求助: its situation and contact, opened only through the audited read, its
 * timeline, and the form that moves it on (the person is told in their chat; the reply is kept
 * sealed). Another unit's case is refused, and the refusal audited.
 */

import type { Context } from 'hono';
import { html } from 'hono/html';
import { statusLabel } from '../../../flows/lifecycles.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { bare, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { audit } from '../../pipeline/audit.ts';
import { itemAccess } from '../items/access.ts';
import { maxReplyLength } from '../items/api-schemas.ts';
import { filesSection } from '../items/console-files.ts';
import { messageForm, messageNotice, postMessage } from '../items/console-message.ts';
import { eventLabel, moveFromConsole } from '../items/status-move.ts';
import { openCase } from './console-cases.ts';
import { contactLabel, kindLabel, text, urgencyLabel } from './console-text.ts';

const refusal = (lang: Lang, title: L10n) =>
  bare({ title, lang, body: html`<p><a href="/console/help">${t(lang, text.back)}</a></p>` });

/** The case's page and its status: 404 or 403 for none or another unit's, 400 after a refused move. */
async function casePage(deps: ConsoleDeps, user: ConsoleUser, ref: string, notice?: Notice) {
  const opened = await openCase(deps, user, ref);
  if (opened === 'not_found') return { status: 404 as const, body: refusal(user.language, text.notFound) };
  if (opened === 'not_yours') return { status: 403 as const, body: refusal(user.language, text.notYours) };
  const lang = user.language;
  const { row, details } = opened;
  const s = row.s;
  const now = deps.now();
  const overdue = s.status === 'new' && s.ackDueAt !== null && s.ackDueAt <= now;
  const body = html`
<p><a href="/console/help">← ${t(lang, text.back)}</a></p>
${noticeBox(lang, notice)}
<div class="card">
  <h2>${s.referenceCode} · ${kindLabel(s.category, lang)}</h2>
  <p class="muted">${t(lang, statusLabel(s.kind, s.status))} · ${details.urgency === 'very_urgent' ? html`<strong class="urgent" data-urgent>${urgencyLabel(details.urgency, lang)}</strong>` : urgencyLabel(details.urgency, lang)} · ${(lang === 'zh' ? row.unitZh : row.unitEn) ?? '—'} · ${formatTime(s.createdAt, deps.timeZone)}${
    overdue ? html` · <strong style="color:#82071e">${t(lang, text.overdue)}</strong>` : ''
  }</p>
  <dl>
    <dt class="muted">${t(lang, text.raisedBy)}</dt><dd>${opened.proposer ?? '—'}</dd>
    <dt class="muted">${t(lang, text.situation)}</dt><dd style="white-space:pre-wrap">${details.situation ?? ''}</dd>
    <dt class="muted">${t(lang, text.contact)}</dt><dd>${contactLabel(details.contact ?? '', lang)}</dd>
  </dl>
  <p class="muted">${t(lang, text.sealedNote)}</p>
</div>
${await filesSection(deps, s, lang)}
<h2 style="margin-top:16px">${t(lang, text.timeline)}</h2>
<ol class="timeline">${opened.timeline.map(
    (e) =>
      html`<li><span class="muted">${formatTime(e.at, deps.timeZone)}</span> ${eventLabel(s.kind, e, lang)}${e.note ? html`<div>${e.note}</div>` : ''}</li>`,
  )}</ol>
${
  opened.nextStatuses.length === 0
    ? html`<p class="muted">${t(lang, text.closed)}</p>`
    : html`<form method="post" action="/console/help/${s.referenceCode}/status" class="card">
  <h2>${t(lang, text.move)}</h2>
  ${csrfField(user)}
  <label>${t(lang, text.to)}<select name="status" required>${opened.nextStatuses.map((st) => html`<option value="${st}">${t(lang, statusLabel(s.kind, st))}</option>`)}</select></label>
  <label>${t(lang, text.reply)}<textarea name="reply" rows="4" maxlength="${maxReplyLength}"></textarea></label>
  <p><button class="primary" type="submit">${t(lang, text.submit)}</button></p>
</form>`
}
${messageForm(lang, user.csrf, `/console/help/${s.referenceCode}/message`)}`;
  return {
    status: notice && !notice.ok ? (400 as const) : (200 as const),
    body: page({
      title: { zh: s.referenceCode, en: s.referenceCode },
      user: pageUser(user),
      path: '/console/help',
      body,
    }),
  };
}

export async function showCase(c: Context<ConsoleEnv, '/console/help/:ref'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const shown = await casePage(
    deps,
    user,
    c.req.param('ref').slice(0, 40),
    messageNotice(c.req.query('message')),
  );
  return c.html(shown.body, shown.status);
}

/** Writes to the case's author (仅答复 or a question), if the access rules let this user; a refusal is audited. */
export async function messageCase(c: Context<ConsoleEnv, '/console/help/:ref/message'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const ref = c.req.param('ref').slice(0, 40);
  const sent = await postMessage(c, deps, ref, `/console/help/${encodeURIComponent(ref)}`);
  if (sent === 'not_found') return c.html(refusal(user.language, text.notFound), 404);
  if (sent === 'not_yours') return c.html(refusal(user.language, text.notYours), 403);
  return sent;
}

/** Moves the case on (the person is told), if the access rules let this user; a refusal is audited. */
export async function moveCase(c: Context<ConsoleEnv, '/console/help/:ref/status'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const ref = c.req.param('ref').slice(0, 40);
  const access = await itemAccess(deps.db, user.actor, 'item.move', ref, 'help_request');
  if (!access.ok && access.reason === 'not_found') return c.html(refusal(user.language, text.notFound), 404);
  if (!access.ok) {
    await audit(deps.db, {
      at: deps.now(),
      ...actorOf(user),
      action: 'console.item_refused',
      subjectType: 'submission',
      subjectId: ref,
    });
    return c.html(refusal(user.language, text.notYours), 403);
  }
  const form = await c.req.parseBody();
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const notice = await moveFromConsole(
    deps,
    user,
    { ref, to: field('status'), reply: field('reply') },
    text.done,
  );
  if (notice === 'not_found') return c.html(refusal(user.language, text.notFound), 404);
  const shown = await casePage(deps, user, ref, notice);
  return c.html(shown.body, shown.status);
}
