/**
 * 发起投票: the form that starts a poll (once, or every week on a day and time) and its post. The
 * checks, writes and audit entries are the officer API's (admin.ts); a refused form comes back
 * filled in as it was sent, with what was wrong above it.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import {
  defaultCommentThreshold,
  defaultThreshold,
  kindLabels,
  minThreshold,
  pollKinds,
} from '../../../flows/polls/kinds.ts';
import { type L10n, t } from '../../../kernel/l10n.ts';
import { noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { audienceFields, type Form, field, invalidFields } from '../../console/form.ts';
import { type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { listUnits } from '../people/directory.ts';
import { pollBody, startPoll } from './admin.ts';
import { pollActor } from './console-common.ts';
import { bodyOf } from './console-form.ts';
import { fieldLabels, text, weekdays } from './console-text.ts';

export async function createForm(
  deps: ConsoleDeps,
  user: ConsoleUser,
  form: Form,
  problem?: L10n,
): Promise<Html> {
  const lang = user.language;
  const f = (name: string) => field(form, name);
  const units = await listUnits(deps.db);
  const kind = f('kind') || 'single';
  const body = html`
<p><a href="/console/polls">← ${t(lang, text.back)}</a></p>
${noticeBox(lang, problem ? { ok: false, text: problem } : undefined)}
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
  return page({ title: text.create, user: pageUser(user), path: '/console/polls', body });
}

/** The empty form. */
export async function newPollForm(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  return c.html(await createForm(deps, c.get('user'), {}));
}

/** Starts the poll (or its weekly schedule) and goes to its page; a refusal shows the form again. */
export async function startFromConsole(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const form = (await c.req.parseBody({ all: true })) as Form;
  const read = bodyOf(form, deps.timeZone);
  if (!read.ok) return c.html(await createForm(deps, user, form, read.message), 400);
  const parsed = pollBody.safeParse(read.body);
  if (!parsed.success)
    return c.html(await createForm(deps, user, form, invalidFields(parsed.error, fieldLabels)), 400);
  const now = deps.now();
  const started = await startPoll(deps.db, parsed.data, {
    now,
    timeZone: deps.timeZone,
    actor: pollActor(user),
  });
  if (!started.ok) return c.html(await createForm(deps, user, form, started.message), 400);
  if (started.schedule) return c.redirect(`/console/polls/series/${started.schedule.no}`, 303);
  if (started.poll.opensAt <= now) deps.wake.polls();
  return c.redirect(`/console/polls/${started.poll.no}`, 303);
}
