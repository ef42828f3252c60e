/**
 * A news item's page (the "read more" link of its card): the title, topic and date, the image if
 * there is one, and the body rendered from Markdown with everything else escaped. Items not yet
 * published, or cancelled, are not found. The link is the item's random id; nothing else is shown.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Db } from '../../../db/handle.ts';
import { newsItems } from '../../../db/schema/index.ts';
import { isNewsTopic, topicLabels } from '../../../flows/news/topics.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { formatTime } from '../../../kernel/l10n.ts';
import { escapeHtml, renderMarkdown } from '../../kernel/markdown.ts';

const style = `
body { margin:0; font:17px/1.7 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
  color:#1f2328; background:#f3f5f7; }
header { background:#b3261e; color:#fff; padding:10px 16px; font-size:15px; }
article { max-width:720px; margin:0 auto; background:#fff; padding:20px 18px 32px; min-height:80vh; }
h1 { font-size:24px; line-height:1.35; margin:0 0 6px; }
.meta { color:#5b6470; font-size:14px; margin-bottom:16px; }
img { max-width:100%; height:auto; border-radius:8px; margin-bottom:12px; }
blockquote { margin:0; padding-left:12px; border-left:4px solid #dde2e8; color:#5b6470; }
code { background:#f3f5f7; padding:0 4px; border-radius:4px; }
a { color:#b3261e; overflow-wrap:anywhere; }
`;

const missing = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>找不到该动态 Not found</title><p style="font:17px sans-serif;padding:24px">找不到该动态，可能已撤销。<br>This news item does not exist or was withdrawn.</p></html>`;

export function newsPageRoutes(deps: { db: Db; timeZone: string; now: () => Date }) {
  return new Hono().get('/news/:id', async (c) => {
    const id = c.req.param('id');
    const [item] = isUuid(id) ? await deps.db.select().from(newsItems).where(eq(newsItems.id, id)) : [];
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    if (!item || item.status === 'cancelled' || item.publishAt > deps.now()) return c.html(missing, 404);
    const topic = isNewsTopic(item.topic) ? topicLabels[item.topic] : topicLabels.news;
    const published = formatTime(item.sentAt ?? item.publishAt, deps.timeZone);
    c.header(
      'content-security-policy',
      "default-src 'none'; img-src https: http:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    c.header('cache-control', 'public, max-age=300');
    const image = item.imageUrl
      ? `<img src="${escapeHtml(item.imageUrl)}" alt="" referrerpolicy="no-referrer" loading="lazy">`
      : '';
    return c.html(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(item.title)} · 工会动态</title><style>${style}</style></head>
<body><header>同心 · 工会动态 Union news</header>
<article><h1>${escapeHtml(item.title)}</h1>
<div class="meta">${escapeHtml(topic.zh)} ${escapeHtml(topic.en)} · ${escapeHtml(published)}</div>
${image}${renderMarkdown(item.body)}</article></body></html>`);
  });
}
