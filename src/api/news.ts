/**
 * 工会动态 in the officer API: publish an item (now or at a set time) to everyone, to org units
 * or to chosen chats; list items with how far each broadcast got; cancel one not yet sent.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { channelNames } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/client.ts';
import { type NewsItemRow, newsItems, orgUnits } from '../../db/schema/index.ts';
import { newsTopics } from '../../flows/news/topics.ts';
import { AppError } from '../errors.ts';
import { isUuid } from '../http/ids.ts';
import { readJson } from '../http/json-body.ts';
import { checkPublicHttpUrl } from '../news/safe-url.ts';
import { audit } from '../store/audit.ts';
import { newsPageUrl, newsWithProgress } from '../store/news.ts';

export const newsAudience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }).strict(),
  z.object({ kind: z.literal('units'), unitIds: z.array(z.uuid()).min(1).max(200) }).strict(),
  z
    .object({
      kind: z.literal('chats'),
      chats: z
        .array(z.object({ channel: z.enum(channelNames), chatId: z.string().min(1).max(200) }).strict())
        .min(1)
        .max(200),
    })
    .strict(),
]);

export const newsBody = z
  .object({
    topic: z.enum(newsTopics),
    title: z.string().trim().min(1).max(100),
    /** Markdown. */
    body: z.string().trim().min(1).max(20_000),
    imageUrl: z.string().trim().max(2000).optional(),
    audience: newsAudience,
    /** ISO 8601; absent: now. */
    publishAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const text = {
  notFound: { zh: '找不到该动态。', en: 'No such news item.' },
  past: {
    zh: '发布时间已经过去，请选择将来的时间，或不填以立即发布。',
    en: 'The publish time is in the past: choose a later time, or leave it out to publish now.',
  },
  tooFar: { zh: '发布时间最多可设在一年以内。', en: 'The publish time must be within a year.' },
  badImage: (reason: string) =>
    ({
      not_url: { zh: '图片地址不是有效的网址。', en: 'The image URL is not a valid URL.' },
      not_http: {
        zh: '图片地址必须以 http:// 或 https:// 开头。',
        en: 'The image URL must be http:// or https://.',
      },
      credentials: {
        zh: '图片地址不能包含用户名或密码。',
        en: 'The image URL must not contain a user name or password.',
      },
      private_address: {
        zh: '图片地址指向内网或本机地址，不能使用。',
        en: 'The image URL points at a private or local address and cannot be used.',
      },
    })[reason] ?? { zh: '图片地址不可用。', en: 'The image URL cannot be used.' },
  noUnits: (missing: number) => ({
    zh: `有 ${missing} 个单位不存在，请检查发布范围。`,
    en: `${missing} of the units do not exist; check the audience.`,
  }),
  notCancellable: {
    zh: '只有尚未开始发送的动态可以撤销。',
    en: 'Only an item that has not started going out can be cancelled.',
  },
};

export function newsApi(deps: { db: Db; now: () => Date; publicUrl: string; wake: () => void }) {
  const { db } = deps;
  const view = (row: NewsItemRow & { sent: number; failed: number }) => ({
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
    url: newsPageUrl(deps.publicUrl, row.id),
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  });
  const one = async (id: string) => {
    const [row] = isUuid(id) ? await newsWithProgress(db, eq(newsItems.id, id)) : [];
    if (!row) throw new AppError('not_found', text.notFound);
    return row;
  };

  return new Hono()
    .get('/news', async (c) => c.json({ items: (await newsWithProgress(db)).map(view) }))
    .get('/news/:id', async (c) => c.json(view(await one(c.req.param('id')))))
    .post('/news', async (c) => {
      const body = await readJson(c, newsBody);
      const now = deps.now();
      const publishAt = body.publishAt ? new Date(body.publishAt) : now;
      // A minute's grace for clocks that differ a little; anything older is a mistake.
      if (publishAt.getTime() < now.getTime() - 60_000) throw new AppError('validation_failed', text.past);
      if (publishAt.getTime() > now.getTime() + 366 * 86_400_000)
        throw new AppError('validation_failed', text.tooFar);
      let imageUrl: string | null = null;
      if (body.imageUrl) {
        const checked = checkPublicHttpUrl(body.imageUrl);
        if (!checked.ok) throw new AppError('validation_failed', text.badImage(checked.reason));
        imageUrl = checked.url;
      }
      if (body.audience.kind === 'units') {
        const wanted = [...new Set(body.audience.unitIds)];
        const found = await db.select({ id: orgUnits.id }).from(orgUnits).where(inArray(orgUnits.id, wanted));
        if (found.length < wanted.length)
          throw new AppError('validation_failed', text.noUnits(wanted.length - found.length));
      }
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(newsItems)
          .values({
            topic: body.topic,
            title: body.title,
            body: body.body,
            imageUrl,
            audience: body.audience,
            publishAt,
            createdAt: now,
          })
          .returning();
        await audit(tx, {
          at: now,
          actorType: 'admin_token',
          actorId: null,
          action: 'news.publish',
          subjectType: 'news_item',
          subjectId: created!.id,
          detail: { topic: body.topic, audience: body.audience.kind, publishAt: publishAt.toISOString() },
        });
        return created;
      });
      if (publishAt <= now) deps.wake();
      return c.json(view({ ...row!, sent: 0, failed: 0 }), 201);
    })
    .post('/news/:id/cancel', async (c) => {
      const current = await one(c.req.param('id'));
      const row = await db.transaction(async (tx) => {
        const [cancelled] = await tx
          .update(newsItems)
          .set({ status: 'cancelled' })
          .where(and(eq(newsItems.id, current.id), eq(newsItems.status, 'scheduled')))
          .returning();
        if (cancelled)
          await audit(tx, {
            at: deps.now(),
            actorType: 'admin_token',
            actorId: null,
            action: 'news.cancel',
            subjectType: 'news_item',
            subjectId: cancelled.id,
          });
        return cancelled;
      });
      if (!row) throw new AppError('invalid_transition', text.notCancellable);
      return c.json(view({ ...row, sent: 0, failed: 0 }));
    });
}
