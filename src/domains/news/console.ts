/**
 * 动态: the items with how far each broadcast got (queued, sent, failed), the compose form with a
 * preview (the Markdown rendered as readers will see it; raw HTML shown as text), publishing now
 * or at a time, and cancelling an item still waiting. Checks, writes and audit entries are the
 * officer API's (store/news-publish.ts). The list, with its progress, as a CSV.
 */
import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { html, raw } from 'hono/html';
import { newsItems } from '../../../db/schema/index.ts';
import { isNewsTopic, newsTopics, topicLabels } from '../../../flows/news/topics.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { formatTime, type L10n, t } from '../../../kernel/l10n.ts';
import { gate, type Notice, noticeBox, pageUser } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import {
  audienceFields,
  audienceFrom,
  type Form,
  field,
  fromLocalInput,
  invalidFields,
} from '../../console/form.ts';
import { type Html, page } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import { toCsv } from '../../http/csv.ts';
import { renderMarkdown } from '../../kernel/markdown.ts';
import { csvResponse } from '../items/csv.ts';
import { listUnits } from '../people/directory.ts';
import { cancelNews, type NewsActor, newsBody, newsPublishText, publishNews } from './publish.ts';
import { newsPageUrl, newsWithProgress } from './store.ts';

const text = {
  title: { zh: '动态', en: 'News' },
  compose: { zh: '撰写动态', en: 'Write an item' },
  csv: { zh: '导出 CSV', en: 'Export CSV' },
  topic: { zh: '栏目', en: 'Topic' },
  itemTitle: { zh: '标题', en: 'Title' },
  body: { zh: '正文（Markdown）', en: 'Body (Markdown)' },
  image: { zh: '图片地址（可不填）', en: 'Image URL (optional)' },
  publishAt: { zh: '发布时间（不填为立即发布）', en: 'Publish at (empty: now)' },
  audience: { zh: '范围', en: 'Audience' },
  preview: { zh: '预览', en: 'Preview' },
  publish: { zh: '发布', en: 'Publish' },
  previewHeading: { zh: '预览（读者看到的样子）', en: 'Preview (as readers will see it)' },
  status: { zh: '状态', en: 'Status' },
  when: { zh: '发布时间', en: 'Publish time' },
  progress: { zh: '排队 / 已发 / 失败', en: 'Queued / sent / failed' },
  none: { zh: '还没有动态。', en: 'No items yet.' },
  cancel: { zh: '撤销', en: 'Cancel' },
  cancelled: { zh: '已撤销该动态。', en: 'The item is cancelled.' },
  published: { zh: '已发布。', en: 'Published.' },
  scheduledDone: { zh: '已安排发布。', en: 'Scheduled.' },
  badTime: { zh: '发布时间格式不对。', en: 'The publish time is not in the right form.' },
  notFound: { zh: '找不到该动态。', en: 'No such news item.' },
  back: { zh: '返回列表', en: 'Back to the list' },
} satisfies Record<string, L10n>;

const statusLabels: Record<string, L10n> = {
  scheduled: { zh: '待发布', en: 'Scheduled' },
  sending: { zh: '发送中', en: 'Sending' },
  sent: { zh: '已发送', en: 'Sent' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

const fieldLabels: Record<string, L10n> = {
  topic: text.topic,
  title: text.itemTitle,
  body: text.body,
  imageUrl: text.image,
  audience: text.audience,
  publishAt: text.publishAt,
};

const newsActor = (user: ConsoleUser): NewsActor =>
  user.person ? { type: 'officer', id: user.person.id } : { type: 'admin_token', id: null };

export function newsPages(deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>()
    .get('/console/news', gate(deps, 'news.list'), (c) => showList(c, deps))
    .get('/console/news.csv', gate(deps, 'news.list'), (c) => exportNews(c, deps))
    .get('/console/news/new', gate(deps, 'news.publish'), async (c) =>
      c.html(await composePage(deps, c.get('user'), {})),
    )
    .post('/console/news', gate(deps, 'news.publish'), (c) => publishFromConsole(c, deps))
    .post('/console/news/:id/cancel', gate(deps, 'news.cancel'), (c) => cancelFromConsole(c, deps));
}

async function listPage(deps: ConsoleDeps, user: ConsoleUser, done?: Notice): Promise<Html> {
  const lang = user.language;
  const rows = await newsWithProgress(deps.db);
  const body = html`
${noticeBox(lang, done)}
<p><a href="/console/news/new">${t(lang, text.compose)}</a> · <a href="/console/news.csv" download>${t(lang, text.csv)}</a></p>
${
  rows.length === 0
    ? html`<p>${t(lang, text.none)}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, text.itemTitle)}</th><th scope="col">${t(lang, text.status)}</th><th scope="col">${t(lang, text.progress)}</th><th scope="col">${t(lang, text.topic)}</th><th scope="col">${t(lang, text.when)}</th><th scope="col"></th></tr></thead>
<tbody>${rows.map(
        (row) =>
          html`<tr data-news="${row.id}"><td><a href="/news/${row.id}">${row.title}</a></td><td>${t(lang, statusLabels[row.status] ?? { zh: row.status, en: row.status })}</td><td data-progress>${row.queued} / ${row.sent} / ${row.failed}</td><td>${isNewsTopic(row.topic) ? t(lang, topicLabels[row.topic]) : row.topic}</td><td>${formatTime(row.publishAt, deps.timeZone)}</td><td>${
            row.status === 'scheduled'
              ? html`<form method="post" action="/console/news/${row.id}/cancel"><input type="hidden" name="csrf" value="${user.csrf}"><button type="submit">${t(lang, text.cancel)}</button></form>`
              : ''
          }</td></tr>`,
      )}</tbody></table>`
}`;
  return page({ title: text.title, user: pageUser(user), path: '/console/news', body });
}

async function composePage(
  deps: ConsoleDeps,
  user: ConsoleUser,
  form: Form,
  opts: { problem?: L10n; preview?: boolean } = {},
): Promise<Html> {
  const lang = user.language;
  const f = (name: string) => field(form, name);
  const topic = f('topic') || 'news';
  const units = await listUnits(deps.db);
  const body = html`
<p><a href="/console/news">← ${t(lang, text.back)}</a></p>
${noticeBox(lang, opts.problem ? { ok: false, text: opts.problem } : undefined)}
${
  opts.preview
    ? html`<section class="card" aria-labelledby="preview-heading" data-preview><h2 id="preview-heading">${t(lang, text.previewHeading)}</h2>
  <h3>${f('title')}</h3>${raw(renderMarkdown(f('body')))}</section>`
    : ''
}
<form method="post" action="/console/news" class="card">
  <input type="hidden" name="csrf" value="${user.csrf}">
  <label>${t(lang, text.topic)}<select name="topic">${newsTopics.map((k) => html`<option value="${k}" ${topic === k ? 'selected' : ''}>${t(lang, topicLabels[k])}</option>`)}</select></label>
  <label>${t(lang, text.itemTitle)}<input name="title" required maxlength="100" value="${f('title')}"></label>
  <label>${t(lang, text.body)}<textarea name="body" rows="12" required maxlength="20000">${f('body')}</textarea></label>
  <label>${t(lang, text.image)}<input type="url" name="imageUrl" maxlength="2000" value="${f('imageUrl')}"></label>
  ${audienceFields(lang, units, form)}
  <label>${t(lang, text.publishAt)} (${deps.timeZone})<input type="datetime-local" name="publishAt" value="${f('publishAt')}"></label>
  <p><button type="submit" name="action" value="preview">${t(lang, text.preview)}</button>
     <button class="primary" type="submit" name="action" value="publish">${t(lang, text.publish)}</button></p>
</form>`;
  return page({ title: text.compose, user: pageUser(user), path: '/console/news', body });
}

async function showList(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  // After a publish or a cancel the browser is sent here, so a reload repeats nothing.
  const done = (
    { published: text.published, scheduled: text.scheduledDone, cancelled: text.cancelled } as const
  )[c.req.query('done') as 'published'];
  return c.html(await listPage(deps, c.get('user'), done ? { ok: true, text: done } : undefined));
}

/** The list as the page shows it, with each item's delivery progress. */
async function exportNews(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const rows = await newsWithProgress(deps.db);
  const csv = toCsv(
    [
      '标题 Title',
      '栏目 Topic',
      '状态 Status',
      '发布时间 Publish time',
      '排队 Queued',
      '已发 Sent',
      '失败 Failed',
      '链接 Link',
    ],
    rows.map((row) => [
      row.title,
      isNewsTopic(row.topic) ? t('zh', topicLabels[row.topic]) : row.topic,
      t('zh', statusLabels[row.status] ?? { zh: row.status, en: row.status }),
      formatTime(row.publishAt, deps.timeZone),
      row.queued,
      row.sent,
      row.failed,
      newsPageUrl(deps.publicUrl, row.id),
    ]),
  );
  return csvResponse(c, csv, formatTime(deps.now(), deps.timeZone).slice(0, 10), 'news');
}

/** A preview shows the form again; a publish goes back to the list, or shows what was wrong. */
async function publishFromConsole(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const user = c.get('user');
  const form = (await c.req.parseBody({ all: true })) as Form;
  if (field(form, 'action') === 'preview')
    return c.html(await composePage(deps, user, form, { preview: true }));
  const rawTime = field(form, 'publishAt');
  const publishAt = rawTime === '' ? undefined : fromLocalInput(rawTime, deps.timeZone);
  if (publishAt === null) return c.html(await composePage(deps, user, form, { problem: text.badTime }), 400);
  const parsed = newsBody.safeParse({
    topic: field(form, 'topic'),
    title: field(form, 'title'),
    body: field(form, 'body'),
    ...(field(form, 'imageUrl') !== '' ? { imageUrl: field(form, 'imageUrl') } : {}),
    audience: audienceFrom(form),
    ...(publishAt ? { publishAt: publishAt.toISOString() } : {}),
  });
  if (!parsed.success)
    return c.html(
      await composePage(deps, user, form, { problem: invalidFields(parsed.error, fieldLabels) }),
      400,
    );
  const now = deps.now();
  const published = await publishNews(deps.db, parsed.data, { now, actor: newsActor(user) });
  if (!published.ok) return c.html(await composePage(deps, user, form, { problem: published.message }), 400);
  const due = published.row.publishAt <= now;
  if (due) deps.wake.news();
  return c.redirect(`/console/news?done=${due ? 'published' : 'scheduled'}`, 303);
}

async function cancelFromConsole(c: Context<ConsoleEnv, '/console/news/:id/cancel'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const id = c.req.param('id');
  const [row] = isUuid(id) ? await deps.db.select().from(newsItems).where(eq(newsItems.id, id)) : [];
  if (!row) return c.html(await listPage(deps, user, { ok: false, text: text.notFound }), 404);
  const cancelled = await cancelNews(deps.db, row.id, { now: deps.now(), actor: newsActor(user) });
  if (!cancelled)
    return c.html(await listPage(deps, user, { ok: false, text: newsPublishText.notCancellable }), 409);
  return c.redirect('/console/news?done=cancelled', 303);
}
