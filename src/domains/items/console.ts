/**
 * 建议与提案: the items of the officer's units (all for admins) with filters and search, a CSV of
 * the same list, and one item with its timeline and the form that moves it on (the proposer is
 * told in their chat). Another unit's item is refused and the attempt audited; a help request's
 * read is audited as in chat. A registered motion's answer can be given more time, with a reason
 * (the officer API's extend).
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { type ItemAction, itemScope } from '../../../flows/access/rules.ts';
import { allStatuses, isItemKind, lifecycles, statusLabel } from '../../../flows/lifecycles.ts';
import { gradeLabels } from '../../../flows/notices.ts';
import { formatTime, type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { charCount } from '../../../kernel/text.ts';
import { actorOf, gate } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { bare, type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { audit } from '../../pipeline/audit.ts';
import { extendBody } from '../motions/api.ts';
import { extendMotion } from '../motions/deadline.ts';
import { grades } from '../motions/rules.ts';
import { itemAccess } from './access.ts';
import { maxReplyLength } from './api-schemas.ts';
import { csvResponse, itemsCsv } from './csv.ts';
import { caseText, eventLabel, moveFromConsole } from './status-move.ts';
import { getSubmission, listSubmissions } from './store.ts';

const text = {
  ...caseText,
  title: { zh: '建议与提案', en: 'Suggestions & motions' },
  kind: { zh: '类型', en: 'Kind' },
  status: { zh: '状态', en: 'Status' },
  search: { zh: '搜索（编号、标题、内容）', en: 'Search (reference, title, text)' },
  any: { zh: '全部', en: 'All' },
  filter: { zh: '筛选', en: 'Filter' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  ref: { zh: '编号', en: 'Reference' },
  itemTitle: { zh: '标题', en: 'Title' },
  raisedBy: { zh: '提出人', en: 'Raised by' },
  filed: { zh: '提交时间', en: 'Filed' },
  anonymous: { zh: '（匿名）', en: '(anonymous)' },
  total: (n: number) => ({ zh: `共 ${n} 条`, en: `${n} in all` }),
  none: { zh: '没有符合条件的事项。', en: 'No items match.' },
  reply: { zh: '答复（发给提出人）', en: 'Reply (sent to the person)' },
  grade: { zh: '答复类别（提案）', en: 'Grade (motions)' },
  department: { zh: '承办部门（交办提案时）', en: 'Department (assigning a motion)' },
  done: { zh: '已更新，提出人已收到通知。', en: 'Updated; the person has been told.' },
  closed: { zh: '该事项已办结。', en: 'This item is closed.' },
  notFound: { zh: '找不到该事项。', en: 'No such item.' },
  notYours: {
    zh: '这是其他单位的事项，您无权查看。此次访问已记录。',
    en: 'This item belongs to another unit; you may not see it. The attempt was recorded.',
  },
  cosignDue: { zh: '附议截止', en: 'Co-signing closes' },
  answerDue: { zh: '答复期限', en: 'Answer due' },
  extend: { zh: '延长答复期限', en: 'More time for the answer' },
  extendDays: { zh: '延长天数（1–365）', en: 'Days to add (1–365)' },
  extendReason: {
    zh: '原因（发给提案人，最多 500 字）',
    en: 'Reason (sent to the proposer, at most 500 characters)',
  },
  extendSubmit: { zh: '延长', en: 'Extend' },
  extended: (due: string) => ({
    zh: `答复期限已延长至 ${due}，提案人已收到通知。`,
    en: `The answer is now due ${due}; the proposer has been told.`,
  }),
  badExtend: {
    zh: '请填写 1 到 365 之间的整数天数和延长原因。没有修改。',
    en: 'Enter a whole number of days from 1 to 365 and the reason. Nothing was changed.',
  },
  reasonTooLong: (n: number) => ({
    zh: `原因过长：最多 500 字，您写了 ${n} 字。没有修改。`,
    en: `The reason is too long: at most 500 characters, yours has ${n}. Nothing was changed.`,
  }),
  notOpen: {
    zh: '只有已立案、尚未答复的提案可以延期。没有修改。',
    en: 'Only a registered motion that has not been answered can get more time. Nothing was changed.',
  },
} satisfies Record<string, L10n | ((n: never) => L10n)>;

/** A motion's answer deadline can be moved while it is being handled (as extendMotion allows). */
const extendable = ['registered', 'assigned'];

/** Help requests have their own, audited section (帮扶求助). */
const listedKinds = ['suggestion', 'motion'] as const;

const listQuery = z.object({
  kind: z.enum(listedKinds).optional().catch(undefined),
  status: z.enum(allStatuses).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

const pageSize = 50;

const kindName = (kind: string, lang: Lang) => (isItemKind(kind) ? t(lang, lifecycles[kind].name) : kind);

const who = (user: ConsoleUser) => ({
  name: user.person?.displayName ?? '管理员 Admin',
  csrf: user.csrf,
  lang: user.language,
  role: user.role,
});

export function itemPages(deps: ConsoleDeps) {
  const { db } = deps;
  const filterOf = (user: ConsoleUser, query: Record<string, string>) => {
    const parsed = listQuery.parse(query);
    // Exactly what the user may open: every unit's for admins, the handled units' for an officer.
    const scope = itemScope(user.actor);
    return {
      parsed,
      filter: {
        kinds: parsed.kind ? [parsed.kind] : listedKinds,
        ...(parsed.status ? { status: parsed.status } : {}),
        ...(parsed.q ? { q: parsed.q } : {}),
        ...(scope.all ? {} : { unitIds: scope.units }),
      },
    };
  };
  /** Whether this user may take the action on the item (the access rules); a refusal is audited. */
  const access = async (user: ConsoleUser, action: ItemAction, ref: string) => {
    const found = await itemAccess(db, user.actor, action, ref);
    if (found.ok) return 'ok' as const;
    if (found.reason === 'not_found') return 'not_found' as const;
    await audit(db, {
      at: deps.now(),
      ...actorOf(user),
      action: 'console.item_refused',
      subjectType: 'submission',
      subjectId: ref,
      detail: { action },
    });
    return 'not_yours' as const;
  };
  /** The item, if this user may see it; a refusal is audited. */
  const readable = async (user: ConsoleUser, ref: string) => {
    const allowed = await access(user, 'item.read', ref);
    if (allowed === 'not_yours') return allowed;
    if (allowed === 'not_found') return null;
    return getSubmission(db, ref, {
      keyRing: deps.keyRing,
      actorType: user.person ? 'officer' : 'admin_token',
      actorId: user.person?.id ?? null,
      now: deps.now(),
    });
  };

  const detail = async (
    user: ConsoleUser,
    ref: string,
    notice?: { ok: boolean; text: L10n },
    typed: { days?: string; reason?: string } = {},
  ): Promise<Html | null | 'not_yours'> => {
    const item = await readable(user, ref);
    if (!item || item === 'not_yours') return item;
    const lang = user.language;
    const next = item.nextStatuses;
    const body = html`
<p><a href="/console/items">← ${t(lang, text.back)}</a></p>
${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'}" role="status">${t(lang, notice.text)}</div>` : ''}
<div class="card">
  <h2>${item.referenceCode} · ${item.title}</h2>
  <p class="muted">${kindName(item.kind, lang)} · <span data-status>${t(lang, statusLabel(item.kind, item.status))}</span> · ${item.proposer?.name ?? t(lang, text.anonymous)} · ${formatTime(item.createdAt, deps.timeZone)}</p>
  ${
    item.kind === 'motion'
      ? html`<p class="muted">${item.cosignDueAt ? html`${t(lang, text.cosignDue)} ${formatTime(new Date(item.cosignDueAt), deps.timeZone)}` : ''}${item.answerDueAt ? html` · ${t(lang, text.answerDue)} <span data-answer-due>${formatTime(new Date(item.answerDueAt), deps.timeZone)}</span>` : ''}</p>`
      : ''
  }
  <dl>${Object.entries(item.details).map(([key, value]) => html`<dt class="muted">${key}</dt><dd>${String(value)}</dd>`)}</dl>
</div>
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
      user: who(user),
      path: '/console/items',
      body,
    });
  };

  const notFound = (lang: Lang) =>
    bare({
      title: text.notFound,
      lang,
      body: html`<p><a href="/console/items">${t(lang, text.back)}</a></p>`,
    });
  const notYours = (lang: Lang) =>
    bare({
      title: text.notYours,
      lang,
      body: html`<p><a href="/console/items">${t(lang, text.back)}</a></p>`,
    });

  return new Hono<ConsoleEnv>()
    .get('/console/items', gate(deps, 'item.list'), async (c) => {
      const user = c.get('user');
      const lang = user.language;
      const { parsed, filter } = filterOf(user, c.req.query());
      const { items, total } = await listSubmissions(db, {
        ...filter,
        limit: pageSize,
        offset: (parsed.page - 1) * pageSize,
      });
      const query = new URLSearchParams(c.req.query());
      query.delete('page');
      const body = html`
<form class="filters" method="get" action="/console/items" role="search">
  <label>${t(lang, text.kind)}<select name="kind"><option value="">${t(lang, text.any)}</option>${listedKinds.map((k) => html`<option value="${k}" ${parsed.kind === k ? 'selected' : ''}>${kindName(k, lang)}</option>`)}</select></label>
  <label>${t(lang, text.status)}<select name="status"><option value="">${t(lang, text.any)}</option>${[...new Set(allStatuses)].map((s) => html`<option value="${s}" ${parsed.status === s ? 'selected' : ''}>${t(lang, statusLabel(parsed.kind ?? 'suggestion', s))}</option>`)}</select></label>
  <label>${t(lang, text.search)}<input type="search" name="q" value="${parsed.q ?? ''}"></label>
  <button class="primary" type="submit">${t(lang, text.filter)}</button>
  <a href="/console/items.csv?${query.toString()}" download>${t(lang, text.csv)}</a>
</form>
<p class="muted">${t(lang, text.total(total))}</p>
${
  items.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, text.ref)}</th><th scope="col">${t(lang, text.itemTitle)}</th><th scope="col">${t(lang, text.status)}</th><th scope="col">${t(lang, text.kind)}</th><th scope="col">${t(lang, text.raisedBy)}</th><th scope="col">${t(lang, text.filed)}</th></tr></thead>
<tbody>${items.map(
        (item) =>
          html`<tr><td><a href="/console/items/${item.referenceCode}">${item.referenceCode}</a></td><td>${item.title}</td><td>${t(lang, statusLabel(item.kind, item.status))}</td><td>${kindName(item.kind, lang)}</td><td>${item.proposer?.name ?? t(lang, text.anonymous)}</td><td>${formatTime(item.createdAt, deps.timeZone)}</td></tr>`,
      )}</tbody></table>`
}`;
      return c.html(page({ title: text.title, user: who(user), path: '/console/items', body }));
    })
    .get('/console/items.csv', gate(deps, 'item.list'), async (c) => {
      const user = c.get('user');
      const { filter } = filterOf(user, c.req.query());
      const csv = await itemsCsv(db, filter, {
        keyRing: deps.keyRing,
        timeZone: deps.timeZone,
        now: deps.now,
        sensitive: false,
        actor: { type: user.person ? 'officer' : 'admin_token', id: user.person?.id ?? null },
      });
      return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10));
    })
    .get('/console/items/:ref', gate(deps, 'item.read'), async (c) => {
      const user = c.get('user');
      // A help request is read in its own section, where the one audited read happens.
      if (c.req.param('ref').startsWith('BF-'))
        return c.redirect(`/console/help/${encodeURIComponent(c.req.param('ref').slice(0, 40))}`, 303);
      const shown = await detail(user, c.req.param('ref').slice(0, 40));
      if (shown === 'not_yours') return c.html(notYours(user.language), 403);
      if (!shown) return c.html(notFound(user.language), 404);
      return c.html(shown);
    })
    .post('/console/items/:ref/status', gate(deps, 'item.move'), async (c) => {
      const user = c.get('user');
      const ref = c.req.param('ref').slice(0, 40);
      const form = await c.req.parseBody();
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
      const allowed = await access(user, 'item.move', ref);
      if (allowed === 'not_found') return c.html(notFound(user.language), 404);
      if (allowed === 'not_yours') return c.html(notYours(user.language), 403);
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
      if (notice === 'not_found') return c.html(notFound(user.language), 404);
      const shown = await detail(user, ref, notice);
      if (!shown || shown === 'not_yours') return c.html(notFound(user.language), 404);
      return c.html(shown, notice.ok ? 200 : 400);
    })
    .post('/console/items/:ref/extend', gate(deps, 'item.extend'), async (c) => {
      const user = c.get('user');
      const ref = c.req.param('ref').trim().toUpperCase().slice(0, 40);
      const form = await c.req.parseBody();
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
      const allowed = await access(user, 'item.extend', ref);
      if (allowed === 'not_found') return c.html(notFound(user.language), 404);
      if (allowed === 'not_yours') return c.html(notYours(user.language), 403);
      const typed = { days: field('days'), reason: field('reason') };
      const refuse = async (message: L10n, status: 400 | 409) => {
        const shown = await detail(user, ref, { ok: false, text: message }, typed);
        if (!shown || shown === 'not_yours') return c.html(notFound(user.language), 404);
        return c.html(shown, status);
      };
      // The officer API's checks: its schema, then at most 500 characters of reason.
      const parsed = extendBody.safeParse({
        days: /^\d{1,3}$/.test(typed.days) ? Number(typed.days) : Number.NaN,
        reason: typed.reason,
      });
      if (!parsed.success) return refuse(text.badExtend, 400);
      const given = charCount(parsed.data.reason);
      if (given > 500) return refuse(text.reasonTooLong(given), 400);
      const result = await extendMotion(db, {
        referenceCode: ref,
        ...parsed.data,
        now: deps.now(),
        timeZone: deps.timeZone,
        keyRing: deps.keyRing,
        actor: { type: user.person ? 'officer' : 'admin_token', id: user.person?.id ?? null },
      });
      if (!result.ok) {
        if (result.reason === 'not_found') return c.html(notFound(user.language), 404);
        return refuse(text.notOpen, 409);
      }
      deps.wake();
      const shown = await detail(user, ref, {
        ok: true,
        text: text.extended(formatTime(result.answerDueAt, deps.timeZone)),
      });
      if (!shown || shown === 'not_yours') return c.html(notFound(user.language), 404);
      return c.html(shown);
    });
}
