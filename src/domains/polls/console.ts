/**
 * 投票: the list of polls, the form that starts one (once, or every week on a day and time), one
 * poll with its results once it has closed, and a recurring poll's trend over its occurrences.
 * Nothing about an open poll's answers is shown; below the threshold only that too few answered,
 * never how many. Checks, writes and audit entries are the officer API's (store/poll-admin.ts).
 * Only the officer who started a poll, or an admin, may close or cancel it (the access rules, as
 * in chat); anyone else is refused with a bilingual page and the attempt audited.
 * The list as a CSV holds answers only of closed polls whose results are shown.
 * This file holds the list, the CSV and the trend; the form and one poll have files of their own.
 */
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { PollRow } from '../../../db/schema/index.ts';
import { answerLabel, answerValues, kindLabels } from '../../../flows/polls/kinds.ts';
import { formatTime, t } from '../../../kernel/l10n.ts';
import { gate, pageUser } from '../../console/access.ts';
import { chart } from '../../console/charts.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { toCsv } from '../../http/csv.ts';
import { listSchedules, scheduleByNo } from '../../pipeline/schedules/store.ts';
import { csvResponse } from '../items/csv.ts';
import { resultsJson } from './api.ts';
import { pollNotFound } from './console-common.ts';
import { newPollForm, startFromConsole } from './console-create.ts';
import { csvHeader, csvRow } from './console-csv.ts';
import { endPoll, showPoll } from './console-detail.ts';
import { statusLabels, text } from './console-text.ts';
import { listPolls } from './store.ts';

export function pollPages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/polls', gate(deps, 'poll.list'), (c) => listPage(c, deps))
    .get('/console/polls.csv', gate(deps, 'poll.list'), (c) => exportPolls(c, deps))
    .get('/console/polls/new', gate(deps, 'poll.start'), (c) => newPollForm(c, deps))
    .post('/console/polls', gate(deps, 'poll.start'), (c) => startFromConsole(c, deps))
    .get('/console/polls/series/:no', gate(deps, 'poll.read'), (c) => showTrend(c, deps))
    .get('/console/polls/:no', gate(deps, 'poll.read'), (c) => showPoll(c, deps))
    .post('/console/polls/:no/close', gate(deps, 'poll.close'), (c) => endPoll(c, deps, 'close'))
    .post('/console/polls/:no/cancel', gate(deps, 'poll.cancel'), (c) => endPoll(c, deps, 'cancel'));
}

/** Every poll, newest first, and the recurring ones' trends. */
async function listPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const lang = user.language;
  const when = (at: Date) => formatTime(at, deps.timeZone);
  const rows = await listPolls(deps.db);
  const recurring = (await listSchedules(deps.db)).filter((s) => s.kind === 'poll');
  const body = html`
<p><a class="primary" href="/console/polls/new">${t(lang, text.create)}</a> · <a href="/console/polls.csv" download>${t(lang, text.csv)}</a></p>
${
  rows.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, text.no)}</th><th scope="col">${t(lang, text.question)}</th><th scope="col">${t(lang, text.status)}</th><th scope="col">${t(lang, text.code)}</th><th scope="col">${t(lang, text.opens)}</th><th scope="col">${t(lang, text.closes)}</th></tr></thead>
<tbody>${rows.map(
        (row) =>
          html`<tr><td><a href="/console/polls/${row.no}">#${row.no}</a></td><td>${row.question}</td><td>${t(lang, statusLabels[row.status])}</td><td>${row.code}</td><td>${when(row.opensAt)}</td><td>${when(row.closesAt)}</td></tr>`,
      )}</tbody></table>`
}
${
  recurring.length > 0
    ? html`<h2 style="margin-top:16px">${t(lang, text.recurring)}</h2><ul>${recurring.map(
        (s) =>
          html`<li><a href="/console/polls/series/${s.no}">${s.name}</a> <span class="muted">${s.cron} · ${s.enabled ? '' : '⏸'}</span></li>`,
      )}</ul>`
    : ''
}`;
  return c.html(page({ title: text.title, user: pageUser(user), path: '/console/polls', body }));
}

async function exportPolls(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const rows = await listPolls(deps.db, { limit: 10_000 });
  const csv = toCsv(
    csvHeader,
    rows.map((row) => csvRow(row, deps.timeZone)),
  );
  return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10), 'polls');
}

async function showTrend(c: Context<ConsoleEnv, '/console/polls/series/:no'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const raw = c.req.param('no');
  const shown = /^\d{1,12}$/.test(raw) ? await trendPage(deps, user, Number(raw)) : null;
  return shown ? c.html(shown) : c.html(pollNotFound(user.language), 404);
}

/** A recurring poll's score and answers over its occurrences, oldest first; null if none such. */
async function trendPage(deps: ConsoleDeps, user: ConsoleUser, scheduleNo: number): Promise<Html | null> {
  const schedule = await scheduleByNo(deps.db, scheduleNo);
  if (schedule?.kind !== 'poll') return null;
  const lang = user.language;
  const rows = (await listPolls(deps.db, { scheduleId: schedule.id, limit: 104 })).slice().reverse();
  const shown = rows.map((row) => ({ row, results: row.status === 'closed' ? resultsJson(row) : null }));
  const kind = rows[0]?.kind ?? (String(schedule.payload.kind) as PollRow['kind']);
  // A single-choice series follows the option chosen most over all shown occurrences.
  const totals = new Map<number, number>();
  for (const { row, results } of shown)
    if (results?.shown)
      for (const a of answerValues(row))
        totals.set(a, (totals.get(a) ?? 0) + (results.counts[String(a)] ?? 0));
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 1;
  const scoreLabel =
    kind === 'enps'
      ? t(lang, text.enps)
      : kind === 'rating'
        ? t(lang, text.mean)
        : t(lang, text.topShare(rows[0] ? answerLabel(rows[0], top) : String(top)));
  const score = shown.map(({ results }) => {
    if (!results?.shown) return null;
    if (kind !== 'single') return results.score;
    const n = results.counts[String(top)] ?? 0;
    return results.answers > 0 ? Math.round((n / results.answers) * 1000) / 10 : null;
  });
  const answers = shown.map(({ results }) => (results?.shown ? results.answers : null));
  const labels = rows.map((row) => formatTime(row.opensAt, deps.timeZone).slice(0, 10));
  const body = html`
<p><a href="/console/polls">← ${t(lang, text.back)}</a></p>
<div class="card"><h2>${schedule.name}</h2><p class="muted">${schedule.cron} · ${schedule.timeZone} · ${t(lang, kindLabels[kind])}</p>
<p class="muted">${t(lang, text.gapNote)}</p></div>
<section class="cards" style="margin-top:12px">
${chart(`trend-score-${schedule.no}`, scoreLabel, { type: 'line', labels, datasets: [{ label: scoreLabel, data: score }] })}
${chart(`trend-answers-${schedule.no}`, t(lang, text.answers), { type: 'line', labels, datasets: [{ label: t(lang, text.answers), data: answers }] })}
</section>
<table style="margin-top:12px"><thead><tr><th scope="col">${t(lang, text.occurrence)}</th><th scope="col">${t(lang, text.status)}</th><th scope="col">${scoreLabel}</th><th scope="col">${t(lang, text.answers)}</th></tr></thead>
<tbody>${shown.map(
    ({ row, results }, i) =>
      html`<tr><td><a href="/console/polls/${row.no}">#${row.no} · ${labels[i]}</a></td><td>${t(lang, statusLabels[row.status])}</td><td>${results && !results.shown ? t(lang, text.tooFewShort) : (score[i] ?? '—')}</td><td>${answers[i] ?? '—'}</td></tr>`,
  )}</tbody></table>`;
  return page({
    title: { zh: `${text.trend.zh} · ${schedule.name}`, en: `${text.trend.en} · ${schedule.name}` },
    user: pageUser(user),
    path: '/console/polls',
    body,
    scripts: ['/console/assets/chart.js', '/console/assets/console.js'],
  });
}
