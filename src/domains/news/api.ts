/**
 * 工会动态 in the officer API: publish an item (now or at a set time) to everyone, to org units
 * or to chosen chats; list items with how far each broadcast got; cancel one not yet sent.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { z } from 'zod';
import { type NewsItemRow, newsItems } from '../../../db/schema/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { readJson } from '../../../kernel/http/json-body.ts';
import { type ApiEnv, allow } from '../../http/api-access.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import type { newsView } from './api-doc.ts';
import { cancelNews, type NewsActor, newsBody, newsPublishText, publishNews } from './publish.ts';
import { newsPageUrl, newsWithProgress } from './store.ts';

const notFound = { zh: '找不到该动态。', en: 'No such news item.' };
const adminActor: NewsActor = { type: 'admin_token', id: null };

export function newsApi(ctx: Pick<Ctx, 'db' | 'now' | 'publicUrl' | 'wake'>) {
  const { db } = ctx;
  const view = (row: NewsItemRow & { sent: number; failed: number }): z.output<typeof newsView> => ({
    id: row.id,
    topic: row.topic,
    title: row.title,
    body: row.body,
    imageUrl: row.imageUrl,
    audience: row.audience,
    publishAt: row.publishAt.toISOString(),
    status: row.status,
    queued: row.queued,
    sent: row.sent,
    failed: row.failed,
    url: newsPageUrl(ctx.publicUrl, row.id),
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  });
  const one = async (id: string) => {
    const [row] = isUuid(id) ? await newsWithProgress(db, eq(newsItems.id, id)) : [];
    if (!row) throw new AppError('not_found', notFound);
    return row;
  };

  return new Hono<ApiEnv>()
    .get('/news', allow('news.list'), async (c) => c.json({ items: (await newsWithProgress(db)).map(view) }))
    .get('/news/:id', allow('news.list'), async (c) => c.json(view(await one(c.req.param('id')))))
    .post('/news', allow('news.publish'), async (c) => {
      const body = await readJson(c, newsBody);
      const now = ctx.now();
      const published = await publishNews(db, body, { now, actor: adminActor });
      if (!published.ok) throw new AppError('validation_failed', published.message);
      if (published.row.publishAt <= now) ctx.wake.news();
      return c.json(view({ ...published.row, sent: 0, failed: 0 }), 201);
    })
    .post('/news/:id/cancel', allow('news.cancel'), async (c) => {
      const current = await one(c.req.param('id'));
      const row = await cancelNews(db, current.id, { now: ctx.now(), actor: adminActor });
      if (!row) throw new AppError('invalid_transition', newsPublishText.notCancellable);
      return c.json(view({ ...row, sent: 0, failed: 0 }));
    });
}
