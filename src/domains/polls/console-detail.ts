/**
 * 投票详情: one poll, with its results once it has closed (below the threshold only that too few
 * answered, never how many), and closing or cancelling it. Only those the access rules let end a
 * poll (the officer who started it, or an admin) see the buttons; anyone else who posts is refused
 * with a bilingual page and the attempt audited.
 */
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { type PollRow, schedules } from '../../../db/schema/index.ts';
import { decide } from '../../../flows/access/rules.ts';
import { answerLabel, answerValues, kindLabels } from '../../../flows/polls/kinds.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { type Notice, noticeBox, pageUser, refuseThing } from '../../console/access.ts';
import { chart } from '../../console/charts.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { cancelPollAs, closePollEarly } from './admin.ts';
import { resultsJson } from './api.ts';
import { pollActor, pollByNo, pollNotFound } from './console-common.ts';
import { statusLabels, text } from './console-text.ts';

type PollContext = Context<ConsoleEnv, '/console/polls/:no'>;

/** A closed poll's results: the score, the chart of answers and the comments, or too few. */
function resultsHtml(lang: Lang, row: PollRow) {
  const results = resultsJson(row);
  if (!results.shown) return html`<p class="notice bad" data-too-few>${t(lang, results.message)}</p>`;
  const values = answerValues(row);
  const score =
    row.kind === 'single' || results.score === null
      ? ''
      : html`<p class="figure" data-score>${t(lang, row.kind === 'enps' ? text.enps : text.mean)} ${row.kind === 'enps' && results.score > 0 ? '+' : ''}${results.score}</p>`;
  return html`${score}
${chart(`poll-${row.no}`, `${t(lang, text.results)} · n = ${results.answers}`, {
  type: 'bar',
  labels: values.map((a) => answerLabel(row, a)),
  datasets: [{ label: t(lang, text.answers), data: values.map((a) => results.counts[String(a)] ?? 0) }],
})}
${
  results.comments && results.comments.length > 0
    ? html`<h2 style="margin-top:16px">${t(lang, text.comments)}</h2><ul>${results.comments.map((c) => html`<li>${c}</li>`)}</ul>`
    : ''
}`;
}

/** The poll's page, with what was just done (or refused) above it. */
export async function pollPage(
  deps: ConsoleDeps,
  user: ConsoleUser,
  row: PollRow,
  done?: Notice,
): Promise<Html> {
  const lang = user.language;
  const when = (at: Date) => formatTime(at, deps.timeZone);
  const [schedule] = row.scheduleId
    ? await deps.db.select({ no: schedules.no }).from(schedules).where(eq(schedules.id, row.scheduleId))
    : [];
  // Only those the access rules let end it see the buttons.
  const mayEnd = decide(user.actor, 'poll.cancel', { startedBy: row.createdBy }).ok;
  const button = (action: 'close' | 'cancel', label: L10n) =>
    html`<form method="post" action="/console/polls/${row.no}/${action}" style="display:inline"><input type="hidden" name="csrf" value="${user.csrf}"><button class="primary" type="submit">${t(lang, label)}</button></form>`;
  const body = html`
<p><a href="/console/polls">← ${t(lang, text.back)}</a>${schedule ? html` · <a href="/console/polls/series/${schedule.no}">${t(lang, text.trend)}</a>` : ''}</p>
${noticeBox(lang, done)}
<div class="card">
  <h2>#${row.no} · ${row.code} · ${row.question}</h2>
  <p class="muted">${t(lang, kindLabels[row.kind])} · <span data-status>${t(lang, statusLabels[row.status])}</span> · ${t(lang, text.opens)} ${when(row.opensAt)} · ${t(lang, text.closes)} ${when(row.closesAt)} · k = ${row.threshold}</p>
  ${row.kind === 'single' ? html`<ol>${row.options.map((o) => html`<li>${o}</li>`)}</ol>` : ''}
</div>
${row.status === 'open' ? html`<p>${t(lang, text.running)}</p>${mayEnd ? html`<p>${button('close', text.closeEarly)} ${button('cancel', text.cancel)}</p>` : ''}` : ''}
${row.status === 'scheduled' ? html`<p>${t(lang, text.waiting)}</p>${mayEnd ? html`<p>${button('cancel', text.cancel)}</p>` : ''}` : ''}
${row.status === 'cancelled' ? html`<p class="muted">${t(lang, text.cancelledNote)}</p>` : ''}
${row.status === 'closed' ? html`<h2 style="margin-top:16px">${t(lang, text.results)}</h2>${resultsHtml(lang, row)}` : ''}`;
  return page({
    title: { zh: `投票 #${row.no}`, en: `Poll #${row.no}` },
    user: pageUser(user),
    path: '/console/polls',
    body,
    scripts: row.status === 'closed' ? ['/console/assets/chart.js', '/console/assets/console.js'] : [],
  });
}

export async function showPoll(c: PollContext, deps: ConsoleDeps) {
  const user = c.get('user');
  const row = await pollByNo(deps.db, c.req.param('no'));
  return row ? c.html(await pollPage(deps, user, row)) : c.html(pollNotFound(user.language), 404);
}

/** Closes or cancels a poll, if the access rules let this user end it (a refusal is audited). */
export async function endPoll(c: PollContext, deps: ConsoleDeps, how: 'close' | 'cancel') {
  const user = c.get('user');
  const row = await pollByNo(deps.db, c.req.param('no'));
  if (!row) return c.html(pollNotFound(user.language), 404);
  const action = how === 'close' ? 'poll.close' : 'poll.cancel';
  if (!decide(user.actor, action, { startedBy: row.createdBy }).ok) {
    return refuseThing(deps, c, {
      action: 'console.poll_refused',
      subjectType: 'poll',
      subjectId: row.id,
      title: text.notYoursTitle,
      message: text.notYours,
      back: `/console/polls/${row.no}`,
    });
  }
  const opts = { now: deps.now(), timeZone: deps.timeZone, actor: pollActor(user), keys: deps.keys };
  const closing = how === 'close';
  const outcome = closing ? await closePollEarly(deps.db, row, opts) : await cancelPollAs(deps.db, row, opts);
  if (!outcome.ok) return c.html(await pollPage(deps, user, row, { ok: false, text: outcome.message }), 409);
  if (closing) deps.wake.outbox();
  return c.html(
    await pollPage(deps, user, outcome.poll, {
      ok: true,
      text: closing ? text.closedDone : text.cancelledDone,
    }),
  );
}
