/**
 * Sends due news items out. Each step takes one item that is due (or already going out), locks it,
 * and queues its next batch of recipients: a news_recipients row per recipient, unique per item,
 * and an outbox row with the same uuid, in the same transaction as the item's new cursor. A crash
 * or a kill at any point resumes from the cursor, and no recipient is queued twice. Batches wait
 * while the outbox already holds many bulk rows, so replies are never stuck behind a broadcast
 * and the outbox stays small.
 */
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { type NewsItemRow, newsItems, newsRecipients, outbox } from '../../../db/schema/index.ts';
import { articleMessage } from '../../../flows/news/news.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { errorFields } from '../../kernel/log.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { briefOf, type NewsRecipient, nextRecipients } from './store.ts';

/** What the broadcast reads of the context. */
type BroadcastCtx = Pick<Ctx, 'db' | 'now' | 'log' | 'timeZone' | 'keys' | 'publicUrl'>;

/** The broadcast's own settings. */
interface NewsBroadcastOptions {
  /** Recipients queued per step. */
  batch?: number;
  /** No new batch while this many bulk rows wait in the outbox. */
  backlog?: number;
  /**
   * Hands each batch's outbox rows (by uuid) to whoever sends them, once the batch is committed
   * (a Workers queue). A hand-off that fails loses nothing: the rows stay in the outbox.
   */
  handOff?: (uuids: string[]) => Promise<void>;
}

/** How much one step may queue: recipients per batch, and the bulk rows the outbox may hold. */
interface StepLimits {
  batch: number;
  backlog: number;
}

/** The item due (or already going out) that was published first, locked; others' locks are passed over. */
async function lockDueItem(tx: Db, now: Date): Promise<NewsItemRow | undefined> {
  const [item] = await tx
    .select()
    .from(newsItems)
    .where(
      or(
        eq(newsItems.status, 'sending'),
        and(eq(newsItems.status, 'scheduled'), lte(newsItems.publishAt, now)),
      ),
    )
    .orderBy(asc(newsItems.publishAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return item;
}

/** Whether the outbox already holds so many bulk rows that no batch should be added. */
async function outboxFull(tx: Db, backlog: number): Promise<boolean> {
  const [waiting] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(and(eq(outbox.priority, 1), inArray(outbox.status, ['pending', 'sending'])));
  return Number(waiting?.n ?? 0) >= backlog;
}

/**
 * Writes a recipient row per recipient and queues the article to each one written here; resolves
 * to the uuids queued.
 */
async function queueBatch(
  ctx: BroadcastCtx,
  tx: Db,
  item: NewsItemRow,
  recipients: readonly NewsRecipient[],
  now: Date,
): Promise<Set<string>> {
  const keyed = recipients.map((r) => ({ ...r, uuid: crypto.randomUUID() }));
  const fresh =
    keyed.length === 0
      ? []
      : await tx
          .insert(newsRecipients)
          .values(keyed.map((r) => ({ newsId: item.id, recipient: r.key, outboxUuid: r.uuid })))
          .onConflictDoNothing()
          .returning({ uuid: newsRecipients.outboxUuid });
  // Only rows whose recipient row was written here get a message: by uuid, so one recipient
  // listed twice in a batch still gets one.
  const queued = new Set(fresh.map((r) => r.uuid));
  const brief = briefOf({ ...item, sentAt: item.sentAt ?? now }, ctx.publicUrl);
  await enqueue(
    tx,
    ctx.keys,
    keyed
      .filter((r) => queued.has(r.uuid))
      .map((r) => ({
        channel: r.channel,
        chatId: r.chatId,
        message: articleMessage(brief, r.language, ctx.timeZone),
        bulk: true,
        uuid: r.uuid,
      })),
  );
  return queued;
}

/** Queues one batch of one due item in one transaction; resolves to the step's count and the uuids queued. */
function step(ctx: BroadcastCtx, limits: StepLimits): Promise<{ count: number; handed: string[] }> {
  const nothing = { count: 0, handed: [] };
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const item = await lockDueItem(tx, now);
    if (!item) return nothing;
    if (await outboxFull(tx, limits.backlog)) return nothing;

    const recipients = await nextRecipients(tx, item, item.cursor, limits.batch);
    const queued = await queueBatch(ctx, tx, item, recipients, now);
    const done = recipients.length < limits.batch;
    await tx
      .update(newsItems)
      .set({
        status: done ? 'sent' : 'sending',
        cursor: recipients.at(-1)?.key ?? item.cursor,
        queued: sql`${newsItems.queued} + ${queued.size}`,
        sentAt: item.sentAt ?? now,
      })
      .where(eq(newsItems.id, item.id));
    if (done) ctx.log.info('news.queued', { news: item.id, recipients: item.queued + queued.size });
    // Recipients passed over still count as work done (the cursor moved), and so does finishing
    // an item with nobody left, so the loop looks again at once.
    return { count: recipients.length + (done ? 1 : 0), handed: [...queued] };
  });
}

/**
 * Queues one batch of one due item. Resolves to the recipients the step got through (queued, or
 * passed over as queued before), plus one when it finished an item: 0 only when nothing was due
 * or the outbox is full, so a caller looping while there is work never stops halfway.
 */
export function createNewsBroadcast(
  ctx: BroadcastCtx,
  options: NewsBroadcastOptions = {},
): () => Promise<number> {
  const limits = { batch: options.batch ?? 500, backlog: options.backlog ?? 1000 };
  const { handOff } = options;
  return async () => {
    const { count, handed } = await step(ctx, limits);
    if (handOff && handed.length > 0) {
      try {
        await handOff(handed);
      } catch (error) {
        ctx.log.warn('news.handoff_failed', { rows: handed.length, ...errorFields(error) });
      }
    }
    return count;
  };
}
