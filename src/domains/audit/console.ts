/**
 * 审计日志 (admins only): the latest entries, newest first, filtered by action (an exact action or
 * a prefix such as "help_request.") and subject (an id, or a type such as "schedule"), paged; and
 * the same list as a CSV (UTF-8 with a BOM for Excel). An export is itself audited.
 */
import { and, desc, eq, like, or, type SQL, sql } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { auditLog, people } from '../../../db/schema/index.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf, gate, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { page } from '../../console/layout.ts';
import { toCsv } from '../../http/csv.ts';
import { audit } from '../../pipeline/audit.ts';
import { csvResponse } from '../items/csv.ts';

const text = {
  title: { zh: '审计日志', en: 'Audit log' },
  action: { zh: '操作（可填前缀，如 help_request.）', en: 'Action (or a prefix, e.g. help_request.)' },
  subject: { zh: '对象（编号或类型）', en: 'Subject (id or type)' },
  filter: { zh: '筛选', en: 'Filter' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  at: { zh: '时间', en: 'When' },
  actor: { zh: '操作人', en: 'Actor' },
  detail: { zh: '详情', en: 'Detail' },
  none: { zh: '没有符合条件的记录。', en: 'No entries match.' },
  previous: { zh: '较新', en: 'Newer' },
  next: { zh: '较早', en: 'Older' },
  pageNo: (n: number) => ({ zh: `第 ${n} 页`, en: `Page ${n}` }),
} satisfies Record<string, L10n | ((n: number) => L10n)>;

const actorTypes: Record<string, L10n> = {
  person: { zh: '本人', en: 'Person' },
  author: { zh: '提出人（匿名）', en: 'Author (anonymous)' },
  officer: { zh: '干部', en: 'Officer' },
  admin_token: { zh: '管理员令牌', en: 'Admin token' },
  system: { zh: '系统', en: 'System' },
};

const filterQuery = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  subject: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
type Filter = z.infer<typeof filterQuery>;

const pageSize = 50;
const csvLimit = 10_000;
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

function whereOf(filter: Filter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.action) {
    conditions.push(
      filter.action.endsWith('.')
        ? like(auditLog.action, `${escapeLike(filter.action)}%`)
        : or(eq(auditLog.action, filter.action), like(auditLog.action, `${escapeLike(filter.action)}.%`))!,
    );
  }
  if (filter.subject)
    conditions.push(or(eq(auditLog.subjectId, filter.subject), eq(auditLog.subjectType, filter.subject))!);
  return conditions.length > 0 ? and(...conditions) : undefined;
}

export function auditPages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/audit', gate(deps, 'audit.read'), (c) => listPage(c, deps))
    .get('/console/audit.csv', gate(deps, 'audit.read'), (c) => exportLog(c, deps));
}

const entries = (deps: ConsoleDeps, filter: Filter, limit: number, offset: number) =>
  deps.db
    .select({ entry: auditLog, actorName: people.displayName, actorNo: people.memberNo })
    .from(auditLog)
    // actor_id holds a person's id for people and officers (text, as it may name other actors).
    .leftJoin(people, sql`${people.id}::text = ${auditLog.actorId}`)
    .where(whereOf(filter))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .offset(offset);

const actorText = (type: string, name: string | null, no: number | null, lang: Lang) =>
  `${actorTypes[type] ? t(lang, actorTypes[type]) : type}${name ? ` ${name}` : ''}${no !== null ? ` #${no}` : ''}`;

async function listPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const lang = user.language;
  const filter = filterQuery.parse(c.req.query());
  const rows = await entries(deps, filter, pageSize + 1, (filter.page - 1) * pageSize);
  const shown = rows.slice(0, pageSize);
  const params = (extra: Record<string, string>) =>
    new URLSearchParams({
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.subject ? { subject: filter.subject } : {}),
      ...extra,
    }).toString();
  const body = html`
<form class="filters" method="get" action="/console/audit" role="search">
  <label>${t(lang, text.action)}<input name="action" value="${filter.action ?? ''}" maxlength="100"></label>
  <label>${t(lang, text.subject)}<input name="subject" value="${filter.subject ?? ''}" maxlength="100"></label>
  <button class="primary" type="submit">${t(lang, text.filter)}</button>
  <a href="/console/audit.csv?${params({})}" download>${t(lang, text.csv)}</a>
</form>
<p class="muted">${t(lang, text.pageNo(filter.page))}</p>
${
  shown.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, text.at)}</th><th scope="col">${t(lang, text.action)}</th><th scope="col">${t(lang, text.subject)}</th><th scope="col">${t(lang, text.actor)}</th><th scope="col">${t(lang, text.detail)}</th></tr></thead>
<tbody>${shown.map(
        ({ entry: e, actorName, actorNo }) =>
          html`<tr><td>${formatTime(e.at, deps.timeZone)}</td><td><code>${e.action}</code></td><td>${e.subjectType} <code>${e.subjectId}</code></td><td>${actorText(e.actorType, actorName, actorNo, lang)}</td><td><code style="white-space:pre-wrap;word-break:break-all">${Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : ''}</code></td></tr>`,
      )}</tbody></table>`
}
<p>${filter.page > 1 ? html`<a href="/console/audit?${params({ page: String(filter.page - 1) })}">← ${t(lang, text.previous)}</a> ` : ''}${rows.length > pageSize ? html`<a href="/console/audit?${params({ page: String(filter.page + 1) })}">${t(lang, text.next)} →</a>` : ''}</p>`;
  return c.html(page({ title: text.title, user: pageUser(user), path: '/console/audit', body }));
}

/** The same entries as a CSV, up to 10,000; the export is itself audited. */
async function exportLog(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const filter = filterQuery.parse(c.req.query());
  const rows = await entries(deps, filter, csvLimit, 0);
  await audit(deps.db, {
    at: deps.now(),
    ...actorOf(user),
    action: 'audit_log.export',
    subjectType: 'audit_log',
    subjectId: 'csv',
    detail: {
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.subject ? { subject: filter.subject } : {}),
      rows: rows.length,
    },
  });
  const csv = toCsv(
    [
      '时间 When',
      '操作 Action',
      '对象类型 Subject type',
      '对象 Subject',
      '操作人类型 Actor type',
      '操作人 Actor',
      '成员号 Member no.',
      '详情 Detail',
    ],
    rows.map(({ entry: e, actorName, actorNo }) => [
      formatTime(e.at, deps.timeZone),
      e.action,
      e.subjectType,
      e.subjectId,
      e.actorType,
      actorName ?? e.actorId ?? '',
      actorNo,
      Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : '',
    ]),
  );
  return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10), 'audit');
}
