/**
 * 建议与提案: the items of the officer's units (all for admins) with filters and search, a CSV of
 * the same list, and one item with its timeline and the form that moves it on (the proposer is
 * told in their chat). Another unit's item is refused and the attempt audited; a help request's
 * read is audited as in chat. A registered motion's page also has the form that gives its answer
 * more time (handled by the motions' own `console-extend.ts`). This file holds one item and its
 * forms; the list has its own file.
 */

import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { statusLabel } from '../../../flows/lifecycles.ts';
import { grades } from '../../../flows/motion/lifecycle.ts';
import { gradeLabels } from '../../../flows/notices.ts';
import { formatTime, t } from '../../../kernel/l10n.ts';
import { gate, type Notice, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { maxReplyLength } from './api-schemas.ts';
import { consoleAccess, itemNotFound, itemNotYours, readableItem } from './console-access.ts';
import { filesSection, serveFile } from './console-files.ts';
import { exportItems, listPage } from './console-list.ts';
import { messageForm, messageNotice, postMessage } from './console-message.ts';
import { kindName, proposerLabel, text } from './console-text.ts';
import { eventLabel, moveFromConsole } from './status-move.ts';

/** A motion's answer deadline can be moved while it is being handled (as extendMotion allows). */
const extendable = ['registered', 'assigned'];

export function itemPages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/items', gate(deps, 'item.list'), (c) => listPage(c, deps))
    .get('/console/items.csv', gate(deps, 'item.list'), (c) => exportItems(c, deps))
    .get('/console/items/:ref', gate(deps, 'item.read'), (c) => showItem(c, deps))
    .get('/console/items/:ref/files/:id', gate(deps, 'item.read'), (c) => serveFile(c, deps))
    .post('/console/items/:ref/status', gate(deps, 'item.move'), (c) => moveItem(c, deps))
    .post('/console/items/:ref/message', gate(deps, 'item.move'), async (c) => {
      const ref = c.req.param('ref').slice(0, 40);
      const allowed = await consoleAccess(deps, c.get('user'), 'item.move', ref);
      if (allowed === 'not_found') return c.html(itemNotFound(c.get('user').language), 404);
      if (allowed === 'not_yours') return c.html(itemNotYours(c.get('user').language), 403);
      const sent = await postMessage(c, deps, ref, `/console/items/${encodeURIComponent(ref)}`);
      if (sent === 'not_found') return c.html(itemNotFound(c.get('user').language), 404);
      if (sent === 'not_yours') return c.html(itemNotYours(c.get('user').language), 403);
      return sent;
    });
}

/** One item's page, or null if there is none, or 'not_yours' (the refusal audited). */
export async function detailPage(
  deps: ConsoleDeps,
  user: ConsoleUser,
  ref: string,
  notice?: Notice,
  typed: { days?: string; reason?: string } = {},
): Promise<Html | null | 'not_yours'> {
  const item = await readableItem(deps, user, ref);
  if (!item || item === 'not_yours') return item;
  const lang = user.language;
  const next = item.nextStatuses;
  const body = html`
<p><a href="/console/items">← ${t(lang, text.back)}</a></p>
${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'}" role="status">${t(lang, notice.text)}</div>` : ''}
<div class="card">
  <h2>${item.referenceCode} · ${item.title}</h2>
  <p class="muted">${kindName(item.kind, lang)} · <span data-status>${t(lang, statusLabel(item.kind, item.status))}</span> · ${proposerLabel(item.proposer, lang)} · ${formatTime(item.createdAt, deps.timeZone)}</p>
  ${
    item.kind === 'motion'
      ? html`<p class="muted">${item.cosignDueAt ? html`${t(lang, text.cosignDue)} ${formatTime(new Date(item.cosignDueAt), deps.timeZone)}` : ''}${item.answerDueAt ? html` · ${t(lang, text.answerDue)} <span data-answer-due>${formatTime(new Date(item.answerDueAt), deps.timeZone)}</span>` : ''}</p>`
      : ''
  }
  <dl>${Object.entries(item.details).map(([key, value]) => html`<dt class="muted">${key}</dt><dd>${String(value)}</dd>`)}</dl>
</div>
${await filesSection(deps, item, lang)}
<h2 style="margin-top:16px">${t(lang, text.timeline)}</h2>
<ol class="timeline">${item.timeline.map(
    (e) =>
      html`<li><span class="muted">${formatTime(e.at, deps.timeZone)}</span> ${eventLabel(item.kind, e, lang)}${e.note ? html`<div>${e.note}</div>` : ''}</li>`,
  )}</ol>
${
  next.length === 0
    ? html`<p class="muted">${t(lang, text.closed)}</p>`
    : html`<form method="post" action="/console/items/${item.referenceCode}/status" class="card">
  <h2>${t(lang, text.move)}</h2>
  <input type="hidden" name="csrf" value="${user.csrf}">
  <label>${t(lang, text.to)}<select name="status" required>${next.map((s) => html`<option value="${s}">${t(lang, statusLabel(item.kind, s))}</option>`)}</select></label>
  <label>${t(lang, text.reply)}<textarea name="reply" rows="4" maxlength="${maxReplyLength}"></textarea></label>
  ${
    item.kind === 'motion'
      ? html`<label>${t(lang, text.grade)}<select name="grade"><option value="">—</option>${grades.map((g) => html`<option value="${g}">${t(lang, gradeLabels[g])}</option>`)}</select></label>
  <label>${t(lang, text.department)}<input name="department" maxlength="60"></label>`
      : ''
  }
  <p><button class="primary" type="submit">${t(lang, text.submit)}</button></p>
</form>`
}
${messageForm(lang, user.csrf, `/console/items/${item.referenceCode}/message`)}
${
  item.kind === 'motion' && extendable.includes(item.status) && item.answerDueAt
    ? html`<form method="post" action="/console/items/${item.referenceCode}/extend" class="card" style="margin-top:16px">
  <h2>${t(lang, text.extend)}</h2>
  <input type="hidden" name="csrf" value="${user.csrf}">
  <label>${t(lang, text.extendDays)}<input type="number" name="days" min="1" max="365" step="1" required value="${typed.days ?? ''}"></label>
  <label>${t(lang, text.extendReason)}<textarea name="reason" rows="3" maxlength="500" required>${typed.reason ?? ''}</textarea></label>
  <p><button class="primary" type="submit">${t(lang, text.extendSubmit)}</button></p>
</form>`
    : ''
}`;
  return page({
    title: { zh: item.referenceCode, en: item.referenceCode },
    user: pageUser(user),
    path: '/console/items',
    body,
  });
}

async function showItem(c: Context<ConsoleEnv, '/console/items/:ref'>, deps: ConsoleDeps) {
  const user = c.get('user');
  // A help request is read in its own section, where the one audited read happens.
  if (c.req.param('ref').startsWith('BF-'))
    return c.redirect(`/console/help/${encodeURIComponent(c.req.param('ref').slice(0, 40))}`, 303);
  const shown = await detailPage(
    deps,
    user,
    c.req.param('ref').slice(0, 40),
    messageNotice(c.req.query('message')),
  );
  if (shown === 'not_yours') return c.html(itemNotYours(user.language), 403);
  if (!shown) return c.html(itemNotFound(user.language), 404);
  return c.html(shown);
}

/** Moves the item on (the proposer is told) and shows it again with how that went. */
async function moveItem(c: Context<ConsoleEnv, '/console/items/:ref/status'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const ref = c.req.param('ref').slice(0, 40);
  const form = await c.req.parseBody();
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const allowed = await consoleAccess(deps, user, 'item.move', ref);
  if (allowed === 'not_found') return c.html(itemNotFound(user.language), 404);
  if (allowed === 'not_yours') return c.html(itemNotYours(user.language), 403);
  const grade = grades.find((g) => g === field('grade'));
  const notice = await moveFromConsole(
    deps,
    user,
    {
      ref,
      to: field('status'),
      reply: field('reply'),
      department: field('department'),
      ...(grade ? { grade } : {}),
    },
    text.done,
  );
  if (notice === 'not_found') return c.html(itemNotFound(user.language), 404);
  const shown = await detailPage(deps, user, ref, notice);
  if (!shown || shown === 'not_yours') return c.html(itemNotFound(user.language), 404);
  return c.html(shown, notice.ok ? 200 : 400);
}
