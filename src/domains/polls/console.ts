/**
 * 投票: the list of polls, the form that starts one (once, or every week on a day and time), one
 * poll with its results once it has closed, and a recurring poll's trend over its occurrences.
 * Nothing about an open poll's answers is shown; below the threshold only that too few answered,
 * never how many. Checks, writes and audit entries are the officer API's (store/poll-admin.ts).
 * Only the officer who started a poll, or an admin, may close or cancel it (the access rules, as
 * in chat); anyone else is refused with a bilingual page and the attempt audited.
 * The list as a CSV holds answers only of closed polls whose results are shown.
 */
import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { type PollRow, schedules } from '../../../db/schema/index.ts';
import { decide } from '../../../flows/access/rules.ts';
import {
  answerLabel,
  answerValues,
  defaultCommentThreshold,
  defaultThreshold,
  kindLabels,
  minThreshold,
  pollKinds,
} from '../../../flows/polls/kinds.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { gate, refuseThing } from '../../console/access.ts';
import { chart } from '../../console/charts.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { audienceFields, type Form, field, invalidFields } from '../../console/form.ts';
import { bare, type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { toCsv } from '../../http/csv.ts';
import { csvResponse } from '../items/csv.ts';
import { listUnits } from '../people/directory.ts';
import { listSchedules, scheduleByNo } from '../schedules/store.ts';
import { cancelPollAs, closePollEarly, type PollActor, pollBody, startPoll } from './admin.ts';
import { resultsJson } from './api.ts';
import { csvHeader, csvRow } from './console-csv.ts';
import { bodyOf } from './console-form.ts';
import { fieldLabels, statusLabels, text, weekdays } from './console-text.ts';
import { findPollByNo, listPolls } from './store.ts';

const who = (user: ConsoleUser) => ({
  name: user.person?.displayName ?? '管理员 Admin',
  csrf: user.csrf,
  lang: user.language,
  role: user.role,
});
const actorOf = (user: ConsoleUser): PollActor =>
  user.person ? { type: 'officer', id: user.person.id } : { type: 'admin_token', id: null };
const notice = (lang: Lang, n?: { ok: boolean; text: L10n }) =>
  n
    ? html`<div class="notice ${n.ok ? 'ok' : 'bad'}" role="${n.ok ? 'status' : 'alert'}">${t(lang, n.text)}</div>`
    : '';

export function pollPages(deps: ConsoleDeps) {
  const { db } = deps;
  const when = (at: Date) => formatTime(at, deps.timeZone);

  const createForm = async (user: ConsoleUser, form: Form, problem?: L10n): Promise<Html> => {
    const lang = user.language;
    const f = (name: string) => field(form, name);
    const units = await listUnits(db);
    const kind = f('kind') || 'single';
    const body = html`
<p><a href="/console/polls">← ${t(lang, text.back)}</a></p>
${notice(lang, problem ? { ok: false, text: problem } : undefined)}
<form method="post" action="/console/polls" class="card">
  <input type="hidden" name="csrf" value="${user.csrf}">
  <label>${t(lang, text.question)}<input name="question" required maxlength="300" value="${f('question')}"></label>
  <label>${t(lang, text.kind)}<select name="kind">${pollKinds.map((k) => html`<option value="${k}" ${kind === k ? 'selected' : ''}>${t(lang, kindLabels[k])}</option>`)}</select></label>
  <label>${t(lang, text.options)}<textarea name="options" rows="4">${f('options')}</textarea></label>
  <label style="flex-direction:row;gap:6px;align-items:center"><input type="checkbox" name="allowComment" ${f('allowComment') === 'on' ? 'checked' : ''}> ${t(lang, text.allowComment)}</label>
  ${audienceFields(lang, units, form)}
  <fieldset class="card"><legend>${t(lang, text.opens)} / ${t(lang, text.closes)} (${deps.timeZone})</legend>
    <label>${t(lang, text.opensAt)}<input type="datetime-local" name="opensAt" value="${f('opensAt')}"></label>
    <label>${t(lang, text.duration)}<input type="number" name="durationHours" min="0.5" step="0.5" value="${f('durationHours')}"></label>
    <label>${t(lang, text.closesAt)}<input type="datetime-local" name="closesAt" value="${f('closesAt')}"></label>
    <label>${t(lang, text.remind)}<input type="number" name="remindHours" min="0.5" step="0.5" value="${f('remindHours')}"></label>
  </fieldset>
  <label>${t(lang, text.threshold)}<input type="number" name="threshold" min="${minThreshold}" value="${f('threshold') || String(defaultThreshold)}"></label>
  <label>${t(lang, text.commentThreshold)}<input type="number" name="commentThreshold" min="${minThreshold}" value="${f('commentThreshold') || String(defaultCommentThreshold)}"></label>
  <fieldset class="card"><legend>${t(lang, text.repeat)}</legend>
    <p class="muted">${t(lang, text.repeatNote)}</p>
    <label style="flex-direction:row;gap:6px;align-items:center"><input type="checkbox" name="repeat" ${f('repeat') === 'on' ? 'checked' : ''}> ${t(lang, text.repeat)}</label>
    <label>${t(lang, text.repeatDay)}<select name="repeatDay">${weekdays.map((d, i) => html`<option value="${i}" ${f('repeatDay') === String(i) ? 'selected' : ''}>${t(lang, d)}</option>`)}</select></label>
    <label>${t(lang, text.repeatTime)}<input type="time" name="repeatTime" value="${f('repeatTime') || '16:00'}"></label>
  </fieldset>
  <p><button class="primary" type="submit">${t(lang, text.submit)}</button></p>
</form>`;
    return page({ title: text.create, user: who(user), path: '/console/polls', body });
  };

  const resultsHtml = (lang: Lang, row: PollRow) => {
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
  };

  const detail = async (
    user: ConsoleUser,
    row: PollRow,
    done?: { ok: boolean; text: L10n },
  ): Promise<Html> => {
    const lang = user.language;
    const [schedule] = row.scheduleId
      ? await db.select({ no: schedules.no }).from(schedules).where(eq(schedules.id, row.scheduleId))
      : [];
    // Only those the access rules let end it see the buttons.
    const mayEnd = decide(user.actor, 'poll.cancel', { startedBy: row.createdBy }).ok;
    const button = (action: 'close' | 'cancel', label: L10n) =>
      html`<form method="post" action="/console/polls/${row.no}/${action}" style="display:inline"><input type="hidden" name="csrf" value="${user.csrf}"><button class="primary" type="submit">${t(lang, label)}</button></form>`;
    const body = html`
<p><a href="/console/polls">← ${t(lang, text.back)}</a>${schedule ? html` · <a href="/console/polls/series/${schedule.no}">${t(lang, text.trend)}</a>` : ''}</p>
${notice(lang, done)}
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
      user: who(user),
      path: '/console/polls',
      body,
      scripts: row.status === 'closed' ? ['/console/assets/chart.js', '/console/assets/console.js'] : [],
    });
  };

  const trend = async (user: ConsoleUser, scheduleNo: number): Promise<Html | null> => {
    const schedule = await scheduleByNo(db, scheduleNo);
    if (schedule?.kind !== 'poll') return null;
    const lang = user.language;
    const rows = (await listPolls(db, { scheduleId: schedule.id, limit: 104 })).slice().reverse();
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
    const labels = rows.map((row) => when(row.opensAt).slice(0, 10));
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
      user: who(user),
      path: '/console/polls',
      body,
      scripts: ['/console/assets/chart.js', '/console/assets/console.js'],
    });
  };

  const notFound = (lang: Lang) =>
    bare({
      title: text.notFound,
      lang,
      body: html`<p><a href="/console/polls">${t(lang, text.back)}</a></p>`,
    });
  const byNo = async (raw: string) => (/^\d{1,12}$/.test(raw) ? await findPollByNo(db, Number(raw)) : null);

  /** Closes or cancels a poll, if the access rules let this user end it (a refusal is audited). */
  const end = async (c: Context<ConsoleEnv>, how: 'close' | 'cancel') => {
    const user = c.get('user');
    const row = await byNo(c.req.param('no') ?? '');
    if (!row) return c.html(notFound(user.language), 404);
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
    const opts = { now: deps.now(), timeZone: deps.timeZone, actor: actorOf(user), keys: deps.keyRing };
    const closing = how === 'close';
    const outcome = closing ? await closePollEarly(db, row, opts) : await cancelPollAs(db, row, opts);
    if (!outcome.ok) return c.html(await detail(user, row, { ok: false, text: outcome.message }), 409);
    if (closing) deps.wake();
    return c.html(
      await detail(user, outcome.poll, { ok: true, text: closing ? text.closedDone : text.cancelledDone }),
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/console/polls', gate(deps, 'poll.list'), async (c) => {
      const user = c.get('user');
      const lang = user.language;
      const rows = await listPolls(db);
      const recurring = (await listSchedules(db)).filter((s) => s.kind === 'poll');
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
      return c.html(page({ title: text.title, user: who(user), path: '/console/polls', body }));
    })
    .get('/console/polls.csv', gate(deps, 'poll.list'), async (c) => {
      const rows = await listPolls(db, { limit: 10_000 });
      const csv = toCsv(
        csvHeader,
        rows.map((row) => csvRow(row, deps.timeZone)),
      );
      return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10), 'polls');
    })
    .get('/console/polls/new', gate(deps, 'poll.start'), async (c) =>
      c.html(await createForm(c.get('user'), {})),
    )
    .post('/console/polls', gate(deps, 'poll.start'), async (c) => {
      const user = c.get('user');
      const form = (await c.req.parseBody({ all: true })) as Form;
      const read = bodyOf(form, deps.timeZone);
      if (!read.ok) return c.html(await createForm(user, form, read.message), 400);
      const parsed = pollBody.safeParse(read.body);
      if (!parsed.success)
        return c.html(await createForm(user, form, invalidFields(parsed.error, fieldLabels)), 400);
      const now = deps.now();
      const started = await startPoll(db, parsed.data, {
        now,
        timeZone: deps.timeZone,
        actor: actorOf(user),
      });
      if (!started.ok) return c.html(await createForm(user, form, started.message), 400);
      if (started.schedule) return c.redirect(`/console/polls/series/${started.schedule.no}`, 303);
      if (started.poll.opensAt <= now) deps.wakePolls?.();
      return c.redirect(`/console/polls/${started.poll.no}`, 303);
    })
    .get('/console/polls/series/:no', gate(deps, 'poll.read'), async (c) => {
      const user = c.get('user');
      const raw = c.req.param('no');
      const shown = /^\d{1,12}$/.test(raw) ? await trend(user, Number(raw)) : null;
      return shown ? c.html(shown) : c.html(notFound(user.language), 404);
    })
    .get('/console/polls/:no', gate(deps, 'poll.read'), async (c) => {
      const user = c.get('user');
      const row = await byNo(c.req.param('no'));
      return row ? c.html(await detail(user, row)) : c.html(notFound(user.language), 404);
    })
    .post('/console/polls/:no/close', gate(deps, 'poll.close'), async (c) => end(c, 'close'))
    .post('/console/polls/:no/cancel', gate(deps, 'poll.cancel'), async (c) => end(c, 'cancel'));
}
