/**
 * 定时任务 (admins only): every schedule with its cron, zone, kind and next fire time; pause,
 * resume, run now, and a new cron or zone (checked before anything is stored). Each change is
 * audited as the admin's. The list as a CSV.
 */
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { isUniqueViolation } from '../../../db/errors.ts';
import type { ScheduleRow } from '../../../db/schema/index.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, gate, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { toCsv } from '../../http/csv.ts';
import { timeZone as timeZoneSchema } from '../../kernel/config.ts';
import { audit } from '../../pipeline/audit.ts';
import { listSchedules, scheduleByNo } from '../../pipeline/schedules/store.ts';
import { csvResponse } from '../items/csv.ts';
import { changeSchedule } from './store.ts';

const text = {
  title: { zh: '定时任务', en: 'Schedules' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  no: { zh: '编号', en: 'No.' },
  name: { zh: '名称', en: 'Name' },
  cron: { zh: '定时表达式', en: 'Cron' },
  zone: { zh: '时区', en: 'Time zone' },
  kind: { zh: '类型', en: 'Kind' },
  enabled: { zh: '状态', en: 'State' },
  on: { zh: '运行中', en: 'On' },
  off: { zh: '已暂停', en: 'Paused' },
  next: { zh: '下次执行', en: 'Next run' },
  actions: { zh: '操作', en: 'Actions' },
  pause: { zh: '暂停', en: 'Pause' },
  resume: { zh: '恢复', en: 'Resume' },
  run: { zh: '立即执行', en: 'Run now' },
  retime: { zh: '修改时间', en: 'Change time' },
  none: { zh: '还没有定时任务。', en: 'No schedules yet.' },
  paused: (n: number) => ({ zh: `定时任务 #${n} 已暂停。`, en: `Schedule #${n} is paused.` }),
  resumed: (n: number) => ({ zh: `定时任务 #${n} 已恢复。`, en: `Schedule #${n} is running again.` }),
  retimed: (n: number) => ({ zh: `定时任务 #${n} 的时间已修改。`, en: `Schedule #${n} has its new time.` }),
  ran: (n: number) => ({ zh: `定时任务 #${n} 已开始执行。`, en: `Schedule #${n} is running now.` }),
  notFound: { zh: '找不到该定时任务，没有修改。', en: 'No such schedule; nothing was changed.' },
  noCron: { zh: '请填写定时表达式，没有修改。', en: 'Enter a cron expression; nothing was changed.' },
  badZone: {
    zh: '时区无效（例如 Asia/Shanghai），没有修改。',
    en: 'That time zone is not valid (e.g. Asia/Shanghai); nothing was changed.',
  },
  badCron: (why: string) => ({
    zh: `定时表达式有误：${why}。没有修改。`,
    en: `The cron expression is wrong: ${why}. Nothing was changed.`,
  }),
  never: {
    zh: '这个定时表达式永远不会触发，没有修改。',
    en: 'This cron expression never fires; nothing was changed.',
  },
  cannotRun: {
    zh: '此服务器不能立即执行定时任务。',
    en: 'This server cannot run schedules on demand.',
  },
  alreadyRunning: { zh: '该定时任务此刻已在执行。', en: 'This schedule is being run at this very moment.' },
} satisfies Record<string, L10n | ((n: never) => L10n)>;

const kindNames: Record<string, L10n> = {
  message: { zh: '消息', en: 'Message' },
  digest: { zh: '每日摘要', en: 'Daily digest' },
};
const kindName = (kind: string, lang: Lang) => (kindNames[kind] ? t(lang, kindNames[kind]) : kind);

type ScheduleContext = Context<ConsoleEnv, '/console/schedules/:no/:action{pause|resume}'>;

export function schedulePages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/schedules', gate(deps, 'schedule.list'), async (c) =>
      c.html(await render(deps, c.get('user'))),
    )
    .get('/console/schedules.csv', gate(deps, 'schedule.list'), (c) => exportSchedules(c, deps))
    .post('/console/schedules/:no/:action{pause|resume}', gate(deps, 'schedule.change'), (c) =>
      pauseOrResume(c, deps),
    )
    .post('/console/schedules/:no/cron', gate(deps, 'schedule.change'), (c) => retime(c, deps))
    .post('/console/schedules/:no/run', gate(deps, 'schedule.run'), (c) => runNow(c, deps));
}

async function render(deps: ConsoleDeps, user: ConsoleUser, notice?: Notice) {
  const lang = user.language;
  const rows = await listSchedules(deps.db);
  const row = (s: ScheduleRow) => html`<tr>
  <td>#${s.no}</td><td>${s.name}</td><td><code>${s.cron}</code></td><td>${s.timeZone}</td><td>${kindName(s.kind, lang)}</td>
  <td>${t(lang, s.enabled ? text.on : text.off)}</td>
  <td>${s.nextFireAt && s.enabled ? formatTime(s.nextFireAt, s.timeZone) : '—'}</td>
  <td>
    <form method="post" action="/console/schedules/${s.no}/${s.enabled ? 'pause' : 'resume'}">${csrfField(user)}<button type="submit">${t(lang, s.enabled ? text.pause : text.resume)}</button></form>
    <form method="post" action="/console/schedules/${s.no}/run">${csrfField(user)}<button type="submit">${t(lang, text.run)}</button></form>
    <details><summary>${t(lang, text.retime)}</summary>
      <form method="post" action="/console/schedules/${s.no}/cron">${csrfField(user)}
        <label>${t(lang, text.cron)}<input name="cron" value="${s.cron}" required maxlength="100"></label>
        <label>${t(lang, text.zone)}<input name="timeZone" value="${s.timeZone}" required maxlength="60"></label>
        <button class="primary" type="submit">${t(lang, text.retime)}</button>
      </form>
    </details>
  </td>
</tr>`;
  const body = html`${noticeBox(lang, notice)}
<p><a href="/console/schedules.csv" download>${t(lang, text.csv)}</a></p>
${
  rows.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr>${[text.no, text.name, text.cron, text.zone, text.kind, text.enabled, text.next, text.actions].map((h) => html`<th scope="col">${t(lang, h)}</th>`)}</tr></thead>
<tbody>${rows.map(row)}</tbody></table>`
}`;
  return page({ title: text.title, user: pageUser(user), path: '/console/schedules', body });
}

/** Audits a change as this admin's. */
const record = (
  deps: ConsoleDeps,
  user: ConsoleUser,
  action: string,
  s: ScheduleRow,
  detail: Record<string, unknown> = {},
) =>
  audit(deps.db, {
    at: deps.now(),
    ...actorOf(user),
    action,
    subjectType: 'schedule',
    subjectId: String(s.no),
    detail: { name: s.name, ...detail },
  });

const found = async (deps: ConsoleDeps, raw: string) =>
  /^\d{1,9}$/.test(raw) ? scheduleByNo(deps.db, Number(raw)) : null;

async function exportSchedules(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const rows = await listSchedules(deps.db);
  const csv = toCsv(
    [
      '编号 No.',
      '名称 Name',
      '定时表达式 Cron',
      '时区 Time zone',
      '类型 Kind',
      '状态 State',
      '下次执行 Next run',
    ],
    rows.map((s) => [
      s.no,
      s.name,
      s.cron,
      s.timeZone,
      kindName(s.kind, 'zh'),
      t('zh', s.enabled ? text.on : text.off),
      s.nextFireAt && s.enabled ? formatTime(s.nextFireAt, s.timeZone) : '',
    ]),
  );
  return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10), 'schedules');
}

async function pauseOrResume(c: ScheduleContext, deps: ConsoleDeps) {
  const user = c.get('user');
  const current = await found(deps, c.req.param('no'));
  if (!current) return c.html(await render(deps, user, { ok: false, text: text.notFound }), 404);
  const enabled = c.req.param('action') === 'resume';
  const changed = await changeSchedule(deps.db, current, { enabled }, deps.now());
  if (!changed.ok) return c.html(await render(deps, user, { ok: false, text: text.never }), 400);
  await record(deps, user, enabled ? 'schedule.resume' : 'schedule.pause', current);
  const done = enabled ? text.resumed(current.no) : text.paused(current.no);
  return c.html(await render(deps, user, { ok: true, text: done }));
}

/** A new cron or zone, checked before anything is stored. */
async function retime(c: Context<ConsoleEnv, '/console/schedules/:no/cron'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const current = await found(deps, c.req.param('no'));
  if (!current) return c.html(await render(deps, user, { ok: false, text: text.notFound }), 404);
  const form = await c.req.parseBody();
  const cron = typeof form.cron === 'string' ? form.cron.trim().replace(/\s+/g, ' ') : '';
  const zoneRaw = typeof form.timeZone === 'string' ? form.timeZone.trim() : '';
  if (!cron || cron.length > 100)
    return c.html(await render(deps, user, { ok: false, text: text.noCron }), 400);
  const zone = zoneRaw
    ? timeZoneSchema.safeParse(zoneRaw)
    : { success: true as const, data: current.timeZone };
  if (!zone.success) return c.html(await render(deps, user, { ok: false, text: text.badZone }), 400);
  const changed = await changeSchedule(deps.db, current, { cron, timeZone: zone.data }, deps.now());
  if (!changed.ok) {
    const why = changed.reason === 'never' ? text.never : text.badCron(changed.detail);
    return c.html(await render(deps, user, { ok: false, text: why }), 400);
  }
  await record(deps, user, 'schedule.retime', current, {
    from: { cron: current.cron, timeZone: current.timeZone },
    to: { cron, timeZone: zone.data },
  });
  return c.html(await render(deps, user, { ok: true, text: text.retimed(current.no) }));
}

async function runNow(c: Context<ConsoleEnv, '/console/schedules/:no/run'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const current = await found(deps, c.req.param('no'));
  if (!current) return c.html(await render(deps, user, { ok: false, text: text.notFound }), 404);
  if (!deps.runSchedule) return c.html(await render(deps, user, { ok: false, text: text.cannotRun }), 503);
  // Two presses within the same millisecond claim the same instant: it runs once.
  const ran = await deps.runSchedule(current.id).catch((error: unknown) => {
    if (isUniqueViolation(error)) return 'busy' as const;
    throw error;
  });
  if (ran === 'busy') return c.html(await render(deps, user, { ok: false, text: text.alreadyRunning }), 409);
  if (!ran) return c.html(await render(deps, user, { ok: false, text: text.notFound }), 404);
  deps.wake.outbox();
  await record(deps, user, 'schedule.run', current);
  return c.html(await render(deps, user, { ok: true, text: text.ran(current.no) }));
}
