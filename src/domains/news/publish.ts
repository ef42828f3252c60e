/**
 * Publishing and cancelling 工会动态, shared by the officer API and the console: the checks (a
 * publish time not past and within a year, a public image address, units that exist) and the
 * audited write. Refusals are results carrying a bilingual message; nothing is written then.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { channelNames } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { type NewsItemRow, newsItems, orgUnits } from '../../../db/schema/index.ts';
import { newsTopics } from '../../../flows/news/topics.ts';
import type { L10n } from '../../../kernel/l10n.ts';
import { audit } from '../../pipeline/audit.ts';
import { checkPublicHttpUrl } from './safe-url.ts';

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
export type NewsBody = z.infer<typeof newsBody>;

export interface NewsActor {
  type: 'officer' | 'admin_token';
  id: string | null;
}

export const newsPublishText = {
  past: {
    zh: '发布时间已经过去，请选择将来的时间，或不填以立即发布。',
    en: 'The publish time is in the past: choose a later time, or leave it out to publish now.',
  },
  tooFar: { zh: '发布时间最多可设在一年以内。', en: 'The publish time must be within a year.' },
  badImage: (reason: string): L10n =>
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
  noUnits: (missing: number): L10n => ({
    zh: `有 ${missing} 个单位不存在，请检查发布范围。`,
    en: `${missing} of the units do not exist; check the audience.`,
  }),
  notCancellable: {
    zh: '只有尚未开始发送的动态可以撤销。',
    en: 'Only an item that has not started going out can be cancelled.',
  },
};

/** Checks an item and writes it with its audit entry; the caller wakes the news loop when it is due. */
export async function publishNews(
  db: Db,
  body: NewsBody,
  opts: { now: Date; actor: NewsActor },
): Promise<{ ok: true; row: NewsItemRow } | { ok: false; message: L10n }> {
  const { now, actor } = opts;
  const publishAt = body.publishAt ? new Date(body.publishAt) : now;
  // A minute's grace for clocks that differ a little; anything older is a mistake.
  if (publishAt.getTime() < now.getTime() - 60_000) return { ok: false, message: newsPublishText.past };
  if (publishAt.getTime() > now.getTime() + 366 * 86_400_000)
    return { ok: false, message: newsPublishText.tooFar };
  let imageUrl: string | null = null;
  if (body.imageUrl) {
    const checked = checkPublicHttpUrl(body.imageUrl);
    if (!checked.ok) return { ok: false, message: newsPublishText.badImage(checked.reason) };
    imageUrl = checked.url;
  }
  if (body.audience.kind === 'units') {
    const wanted = [...new Set(body.audience.unitIds)];
    const found = await db.select({ id: orgUnits.id }).from(orgUnits).where(inArray(orgUnits.id, wanted));
    if (found.length < wanted.length)
      return { ok: false, message: newsPublishText.noUnits(wanted.length - found.length) };
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
      actorType: actor.type,
      actorId: actor.id,
      action: 'news.publish',
      subjectType: 'news_item',
      subjectId: created!.id,
      detail: { topic: body.topic, audience: body.audience.kind, publishAt: publishAt.toISOString() },
    });
    return created!;
  });
  return { ok: true, row };
}

/** Cancels an item still waiting for its time; null when it has started going out (or never existed). */
export async function cancelNews(
  db: Db,
  id: string,
  opts: { now: Date; actor: NewsActor },
): Promise<NewsItemRow | null> {
  return db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(newsItems)
      .set({ status: 'cancelled' })
      .where(and(eq(newsItems.id, id), eq(newsItems.status, 'scheduled')))
      .returning();
    if (cancelled)
      await audit(tx, {
        at: opts.now,
        actorType: opts.actor.type,
        actorId: opts.actor.id,
        action: 'news.cancel',
        subjectType: 'news_item',
        subjectId: cancelled.id,
      });
    return cancelled ?? null;
  });
}
