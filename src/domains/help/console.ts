/**
 * 帮扶求助: the help requests of the units an officer handles (all for admins; a case of no unit
 * is the admins' alone), oldest first, with an overdue acknowledgement marked. The list shows
 * nothing sealed; one case's situation and contact are opened only through the audited read
 * (`viewCase`, which asks the access rules). Another unit's case is refused, and the refusal audited.
 * The list's CSV holds its columns only, scoped the same way, and the export is audited.
 */
import { and, asc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { orgUnits, submissionEvents, submissions } from '../../../db/schema/index.ts';
import { itemScope } from '../../../flows/access/rules.ts';
import { type HelpKind, helpKindLabels, type Urgency, urgencyLabels } from '../../../flows/help/kinds.ts';
import { statusLabel } from '../../../flows/lifecycles.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, csrfField, gate, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { bare, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { toCsv } from '../../http/csv.ts';
import { audit } from '../../pipeline/audit.ts';
import { itemAccess } from '../items/access.ts';
import { maxReplyLength } from '../items/api-schemas.ts';
import { viewCase } from '../items/cases.ts';
import { csvResponse } from '../items/csv.ts';
import { caseText, eventLabel, moveFromConsole } from '../items/status-move.ts';

const text = {
  ...caseText,
  title: { zh: '帮扶求助', en: 'Help cases' },
  show: { zh: '显示', en: 'Show' },
  open: { zh: '未办结', en: 'Open' },
  all: { zh: '全部', en: 'All' },
  filter: { zh: '筛选', en: 'Filter' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  ref: { zh: '编号', en: 'Reference' },
  kind: { zh: '求助类型', en: 'Kind of help' },
  urgency: { zh: '紧急程度', en: 'Urgency' },
  status: { zh: '状态', en: 'Status' },
  unit: { zh: '单位', en: 'Unit' },
  filed: { zh: '提交时间', en: 'Filed' },
  age: { zh: '已过', en: 'Age' },
  ackBy: { zh: '最迟受理', en: 'Acknowledge by' },
  overdue: { zh: '受理已超时', en: 'Acknowledgement overdue' },
  none: { zh: '没有求助。', en: 'No help cases.' },
  total: (n: number) => ({ zh: `共 ${n} 件`, en: `${n} in all` }),
  situation: { zh: '情况说明', en: 'Situation' },
  contact: { zh: '联系方式', en: 'Contact' },
  byChat: { zh: '在聊天中回复', en: 'Reply in the chat' },
  phone: (n: string) => ({ zh: `电话 ${n}`, en: `Phone ${n}` }),
  raisedBy: { zh: '求助人', en: 'Asked by' },
  sealedNote: {
    zh: '以上内容加密保存，本次查看已记入审计日志。',
    en: 'This is stored sealed; this read was recorded in the audit log.',
  },
  reply: { zh: '答复（发给求助人，加密保存）', en: 'Reply (sent to the person, kept sealed)' },
  done: { zh: '已更新，求助人已收到通知。', en: 'Updated; the person has been told.' },
  closed: { zh: '该求助已办结。', en: 'This case is closed.' },
  notFound: { zh: '找不到该求助。', en: 'No such help case.' },
  notYours: {
    zh: '这是其他单位的求助，您无权查看。此次访问已记录。',
    en: 'This case belongs to another unit; you may not see it. The attempt was recorded.',
  },
  hours: (n: number) => ({ zh: `${n} 小时`, en: `${n} h` }),
  days: (n: number) => ({ zh: `${n} 天`, en: `${n} d` }),
} satisfies Record<string, L10n | ((n: never) => L10n)>;

const listQuery = z.object({
  show: z.enum(['open', 'all']).default('open').catch('open'),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

const pageSize = 50;
const csvLimit = 10_000;
const hour = 3_600_000;

const kindLabel = (category: string, lang: Lang) =>
  category in helpKindLabels ? t(lang, helpKindLabels[category as HelpKind]) : category;
const urgencyLabel = (urgency: string | undefined, lang: Lang) =>
  urgency && urgency in urgencyLabels ? t(lang, urgencyLabels[urgency as Urgency]) : (urgency ?? '');
const ageOf = (from: Date, now: Date, lang: Lang) => {
  const hours = Math.max(0, Math.floor((now.getTime() - from.getTime()) / hour));
  return t(lang, hours < 48 ? text.hours(hours) : text.days(Math.floor(hours / 24)));
};
const contactLabel = (contact: string, lang: Lang) =>
  contact.startsWith('phone:') ? t(lang, text.phone(contact.slice(6))) : t(lang, text.byChat);

export function helpPages(deps: ConsoleDeps) {
  const { db } = deps;

  /** Which units' cases this user sees, as the access rules say: all for admins, an officer's own units'. */
  const scope = (user: ConsoleUser): SQL | undefined => {
    const items = itemScope(user.actor);
    if (items.all) return undefined;
    return items.units.length > 0 ? inArray(submissions.orgUnitId, [...items.units]) : sql`false`;
  };

  const listCases = async (user: ConsoleUser, show: 'open' | 'all', limit: number, offset: number) => {
    const where = and(
      eq(submissions.kind, 'help_request'),
      show === 'open' ? ne(submissions.status, 'closed') : undefined,
      scope(user),
    );
    const rows = await db
      .select({ s: submissions, unitZh: orgUnits.nameZh, unitEn: orgUnits.nameEn })
      .from(submissions)
      .leftJoin(orgUnits, eq(orgUnits.id, submissions.orgUnitId))
      .where(where)
      .orderBy(asc(submissions.createdAt))
      .limit(limit + 1)
      .offset(offset);
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  };

  /** The sealed timeline notes of a case already read through the audited path. */
  const timelineOf = async (submissionId: string) => {
    const events = await db
      .select()
      .from(submissionEvents)
      .where(eq(submissionEvents.submissionId, submissionId))
      .orderBy(asc(submissionEvents.id));
    return Promise.all(
      events.map(async (e) => ({
        at: e.at,
        type: e.type,
        toStatus: e.toStatus,
        note: e.note && deps.keyRing.isSealed(e.note) ? await deps.keyRing.open(e.note) : e.note,
      })),
    );
  };

  /** The case opened for this user (an audited read), or why not. */
  const openCase = async (user: ConsoleUser, ref: string) => {
    const [row] = await db
      .select({ s: submissions, unitZh: orgUnits.nameZh, unitEn: orgUnits.nameEn })
      .from(submissions)
      .leftJoin(orgUnits, eq(orgUnits.id, submissions.orgUnitId))
      .where(and(eq(submissions.referenceCode, ref), eq(submissions.kind, 'help_request')));
    if (!row) return 'not_found' as const;
    // viewCase asks the access rules, audits a refusal (help_request.read_refused) and the read.
    const viewed = await viewCase(db, ref, {
      actor: user.actor,
      keyRing: deps.keyRing,
      now: deps.now(),
      timeZone: deps.timeZone,
      motionRules: deps.motionRules,
    });
    if (!viewed.ok) return viewed.reason === 'not_yours' ? ('not_yours' as const) : ('not_found' as const);
    return {
      row,
      details: viewed.item.details,
      proposer: viewed.item.proposer,
      nextStatuses: viewed.item.nextStatuses,
      timeline: await timelineOf(row.s.id),
    };
  };

  const refusal = (lang: Lang, title: L10n) =>
    bare({ title, lang, body: html`<p><a href="/console/help">${t(lang, text.back)}</a></p>` });

  const casePage = async (user: ConsoleUser, ref: string, notice?: Notice) => {
    const opened = await openCase(user, ref);
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
  <p class="muted">${t(lang, statusLabel(s.kind, s.status))} · ${urgencyLabel(details.urgency, lang)} · ${(lang === 'zh' ? row.unitZh : row.unitEn) ?? '—'} · ${formatTime(s.createdAt, deps.timeZone)}${
    overdue ? html` · <strong style="color:#82071e">${t(lang, text.overdue)}</strong>` : ''
  }</p>
  <dl>
    <dt class="muted">${t(lang, text.raisedBy)}</dt><dd>${opened.proposer ?? '—'}</dd>
    <dt class="muted">${t(lang, text.situation)}</dt><dd style="white-space:pre-wrap">${details.situation ?? ''}</dd>
    <dt class="muted">${t(lang, text.contact)}</dt><dd>${contactLabel(details.contact ?? '', lang)}</dd>
  </dl>
  <p class="muted">${t(lang, text.sealedNote)}</p>
</div>
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
}`;
    return {
      status: notice && !notice.ok ? (400 as const) : (200 as const),
      body: page({
        title: { zh: s.referenceCode, en: s.referenceCode },
        user: pageUser(user),
        path: '/console/help',
        body,
      }),
    };
  };

  return new Hono<ConsoleEnv>()
    .get('/console/help', gate(deps, 'item.list'), async (c) => {
      const user = c.get('user');
      const lang = user.language;
      const query = listQuery.parse(c.req.query());
      const { rows, more } = await listCases(user, query.show, pageSize, (query.page - 1) * pageSize);
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
        return html`<tr${overdue ? html` data-overdue style="background:#ffebe9"` : ''}><td><a href="/console/help/${s.referenceCode}">${s.referenceCode}</a></td><td>${t(lang, statusLabel(s.kind, s.status))}</td><td>${ageOf(s.createdAt, now, lang)}</td><td>${kindLabel(s.category, lang)}</td><td>${urgencyLabel(s.details.urgency, lang)}</td><td>${(lang === 'zh' ? unitZh : unitEn) ?? '—'}</td><td>${s.ackDueAt ? formatTime(s.ackDueAt, deps.timeZone) : '—'}${overdue ? html` <strong>⚠ ${t(lang, text.overdue)}</strong>` : ''}</td></tr>`;
      })}</tbody></table>`
}
<p>${query.page > 1 ? html`<a href="${link(query.page - 1)}">← ${t(lang, { zh: '上一页', en: 'Previous' })}</a> ` : ''}${more ? html`<a href="${link(query.page + 1)}">${t(lang, { zh: '下一页', en: 'Next' })} →</a>` : ''}</p>`;
      return c.html(page({ title: text.title, user: pageUser(user), path: '/console/help', body }));
    })
    .get('/console/help.csv', gate(deps, 'item.list'), async (c) => {
      // The list's columns only: never a situation, a contact or who asked. The export is audited.
      const user = c.get('user');
      const query = listQuery.parse(c.req.query());
      const { rows } = await listCases(user, query.show, csvLimit, 0);
      const now = deps.now();
      await audit(db, {
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
    })
    .get('/console/help/:ref', gate(deps, 'item.read'), async (c) => {
      const user = c.get('user');
      const shown = await casePage(user, c.req.param('ref').slice(0, 40));
      return c.html(shown.body, shown.status);
    })
    .post('/console/help/:ref/status', gate(deps, 'item.move'), async (c) => {
      const user = c.get('user');
      const ref = c.req.param('ref').slice(0, 40);
      const access = await itemAccess(db, user.actor, 'item.move', ref, 'help_request');
      if (!access.ok && access.reason === 'not_found')
        return c.html(refusal(user.language, text.notFound), 404);
      if (!access.ok) {
        await audit(db, {
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
      const shown = await casePage(user, ref, notice);
      return c.html(shown.body, shown.status);
    });
}
