/**
 * The 帮扶求助 list: the cases this user sees, open 紧急 ones first and then oldest first, fifty a
 * page, with 紧急 and an overdue acknowledgement marked; nothing sealed is shown. The CSV holds the list's columns only, scoped
 * the same way, and its export is audited (help_request.export).
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { statusLabel } from '../../../flows/lifecycles.ts';
import { formatTime, t } from '../../../kernel/l10n.ts';
import { actorOf, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import { toCsv } from '../../http/csv.ts';
import { audit } from '../../pipeline/audit.ts';
import { csvResponse } from '../items/csv.ts';
import { listCases } from './console-cases.ts';
import { ageOf, kindLabel, text, urgencyLabel } from './console-text.ts';

const listQuery = z.object({
  show: z.enum(['open', 'all']).default('open').catch('open'),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

const pageSize = 50;
const csvLimit = 10_000;

export async function listPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const lang = user.language;
  const query = listQuery.parse(c.req.query());
  const { rows, more } = await listCases(deps, user, query.show, pageSize, (query.page - 1) * pageSize);
  const now = deps.now();
  const link = (pageNo: number) => `/console/help?show=${query.show}&page=${pageNo}`;
  const body = html`
<form class="filters" method="get" action="/console/help">
  <label>${t(lang, text.show)}<select name="show">
    <option value="open" ${query.show === 'open' ? 'selected' : ''}>${t(lang, text.open)}</option>
    <option value="all" ${query.show === 'all' ? 'selected' : ''}>${t(lang, text.all)}</option>
  </select></label>
  <button class="primary" type="submit">${t(lang, text.filter)}</button>
  <a href="/console/help.csv?show=${query.show}" download>${t(lang, text.csv)}</a>
</form>
${
  rows.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, text.ref)}</th><th scope="col">${t(lang, text.status)}</th><th scope="col">${t(lang, text.age)}</th><th scope="col">${t(lang, text.kind)}</th><th scope="col">${t(lang, text.urgency)}</th><th scope="col">${t(lang, text.unit)}</th><th scope="col">${t(lang, text.ackBy)}</th></tr></thead>
<tbody>${rows.map(({ s, unitZh, unitEn }) => {
        const overdue = s.status === 'new' && s.ackDueAt !== null && s.ackDueAt <= now;
        return html`<tr${overdue ? html` data-overdue style="background:#ffebe9"` : ''}><td><a href="/console/help/${s.referenceCode}">${s.referenceCode}</a></td><td>${t(lang, statusLabel(s.kind, s.status))}</td><td>${ageOf(s.createdAt, now, lang)}</td><td>${kindLabel(s.category, lang)}</td><td>${s.details.urgency === 'very_urgent' ? html`<strong class="urgent" data-urgent>${urgencyLabel(s.details.urgency, lang)}</strong>` : urgencyLabel(s.details.urgency, lang)}</td><td>${(lang === 'zh' ? unitZh : unitEn) ?? '—'}</td><td>${s.ackDueAt ? formatTime(s.ackDueAt, deps.timeZone) : '—'}${overdue ? html` <strong>⚠ ${t(lang, text.overdue)}</strong>` : ''}</td></tr>`;
      })}</tbody></table>`
}
<p>${query.page > 1 ? html`<a href="${link(query.page - 1)}">← ${t(lang, { zh: '上一页', en: 'Previous' })}</a> ` : ''}${more ? html`<a href="${link(query.page + 1)}">${t(lang, { zh: '下一页', en: 'Next' })} →</a>` : ''}</p>`;
  return c.html(page({ title: text.title, user: pageUser(user), path: '/console/help', body }));
}

/** The list's columns only: never a situation, a contact or who asked. The export is audited. */
export async function exportCases(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const query = listQuery.parse(c.req.query());
  const { rows } = await listCases(deps, user, query.show, csvLimit, 0);
  const now = deps.now();
  await audit(deps.db, {
    at: now,
    ...actorOf(user),
    action: 'help_request.export',
    subjectType: 'help_request',
    subjectId: 'csv',
    detail: { show: query.show, rows: rows.length },
  });
  const csv = toCsv(
    [
      '编号 Reference',
      '状态 Status',
      '求助类型 Kind of help',
      '紧急程度 Urgency',
      '单位 Unit',
      '提交时间 Filed',
      '最迟受理 Acknowledge by',
      '受理超时 Acknowledgement overdue',
    ],
    rows.map(({ s, unitZh }) => [
      s.referenceCode,
      t('zh', statusLabel(s.kind, s.status)),
      kindLabel(s.category, 'zh'),
      urgencyLabel(s.details.urgency, 'zh'),
      unitZh ?? '',
      formatTime(s.createdAt, deps.timeZone),
      s.ackDueAt ? formatTime(s.ackDueAt, deps.timeZone) : '',
      s.status === 'new' && s.ackDueAt !== null && s.ackDueAt <= now ? '是 Yes' : '',
    ]),
  );
  return csvResponse(c, csv, formatTime(now, deps.timeZone).slice(0, 10), 'help');
}
