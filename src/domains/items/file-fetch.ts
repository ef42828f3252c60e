/**
 * Fetches the files people sent in a channel (Lark's image and file messages) once a draft or an
 * item has taken them: outside the message's transaction, one at a time, claimed in the database
 * so any number of instances share the work. A fetched file is checked like an upload and sealed;
 * a refused one is marked with why, and its sender told. A fault (or an app not allowed to read
 * files) is tried again later, up to five times. The file's reference and where to tell its sender
 * are dropped once it is done with, and its times kept to the hour.
 */
import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { MessageFiles } from '../../../bots/core/files.ts';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { type AttachmentRow, attachments, submissions } from '../../../db/schema/index.ts';
import { type FileRefusal, refusalText } from '../../../flows/files/rules.ts';
import { type Lang, t } from '../../../kernel/l10n.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { errorFields } from '../../kernel/log.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { checkFile } from './file-rules.ts';

const maxAttempts = 5;
/** How long a claimed file is left to the instance fetching it. */
const claimSeconds = 240;

type FetchCtx = Pick<Ctx, 'db' | 'keys' | 'log'>;

export function createFileFetch(
  ctx: FetchCtx,
  options: { sources: ReadonlyMap<string, MessageFiles>; maxBytes: number },
): () => Promise<number> {
  return async () => {
    const row = await claim(ctx.db);
    if (!row) return 0;
    const source = options.sources.get(row.source);
    try {
      if (!source || !row.sourceSeal) {
        await finish(ctx, row, { refused: 'gone', maxBytes: options.maxBytes });
        return 1;
      }
      const fetched = await source.fetch(await ctx.keys.open(row.sourceSeal), options.maxBytes);
      // An app without the scope to read files is a setting to mend, not a bad file: tried again.
      if (!fetched.ok && fetched.why === 'no_permission') throw new Error(`no permission: ${fetched.detail}`);
      if (!fetched.ok) {
        ctx.log.warn('file.refused', { id: row.id, why: fetched.why, detail: fetched.detail.slice(0, 200) });
        await finish(ctx, row, {
          refused: fetched.why === 'too_large' ? 'too_large' : 'gone',
          maxBytes: options.maxBytes,
        });
        return 1;
      }
      const checked = checkFile(fetched.bytes, options.maxBytes, row.accepts ?? 'any');
      await finish(
        ctx,
        row,
        checked.ok
          ? { bytes: checked.bytes, mime: checked.type.mime }
          : { refused: checked.why, maxBytes: options.maxBytes, size: fetched.bytes.byteLength },
      );
    } catch (error) {
      ctx.log.warn('file.fetch_failed', { id: row.id, attempts: row.attempts, ...errorFields(error) });
      if (row.attempts >= maxAttempts)
        await finish(ctx, row, { refused: 'failed', maxBytes: options.maxBytes });
      else
        await ctx.db
          .update(attachments)
          .set({
            nextAttemptAt: sql`date_trunc('minute', now()) + make_interval(secs => ${30 * 2 ** row.attempts})`,
          })
          .where(and(eq(attachments.id, row.id), eq(attachments.state, 'pending')));
    }
    return 1;
  };
}

/** Claims the next file due for fetching, counting the attempt. */
async function claim(db: Db): Promise<AttachmentRow | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(attachments)
      .where(
        and(
          eq(attachments.state, 'pending'),
          isNotNull(attachments.accepts),
          lte(attachments.nextAttemptAt, sql`now()`),
        ),
      )
      .orderBy(asc(attachments.nextAttemptAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!row) return null;
    const attempts = row.attempts + 1;
    await tx
      .update(attachments)
      // To the minute, as an anonymous item's own times are: nothing finer says when it came.
      .set({
        attempts,
        nextAttemptAt: sql`date_trunc('minute', now()) + make_interval(secs => ${claimSeconds})`,
      })
      .where(eq(attachments.id, row.id));
    return { ...row, attempts };
  });
}

type Outcome =
  | { bytes: Uint8Array; mime: string }
  | { refused: FileRefusal; maxBytes: number; size?: number };

/**
 * Keeps the file, or marks it refused and tells its sender. On an anonymous item the notice goes in
 * a transaction of its own, so the row on the item shares none with a row naming the sender's chat.
 */
async function finish(ctx: FetchCtx, row: AttachmentRow, outcome: Outcome): Promise<void> {
  const { db, keys } = ctx;
  const notify = row.notifySeal
    ? (JSON.parse(await keys.open(row.notifySeal)) as {
        channel: ChannelName;
        chatId: string;
        lang: Lang;
        name?: string;
      })
    : null;
  const anonymous = row.submissionId ? await isAnonymous(db, row.submissionId) : false;
  const tell = async (tx: Db) => {
    if (!notify || !('refused' in outcome)) return;
    // The name the sender gave it (an anonymous item's file is 附件N on the item by now).
    const name = notify.name ?? (await keys.open(row.nameSealed));
    const why = t(notify.lang, refusalText(outcome.refused, outcome));
    const said =
      notify.lang === 'zh'
        ? `您发送的文件“${name}”未能附上：${why}`
        : `Your file “${name}” was not attached: ${why}`;
    await enqueue(tx, keys, [
      { channel: notify.channel, chatId: notify.chatId, message: { type: 'text', text: said } },
    ]);
  };
  const done = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(attachments)
      .set({
        sourceSeal: null,
        notifySeal: null,
        nextAttemptAt: sql`date_trunc('hour', now())`,
        ...('refused' in outcome
          ? { state: 'refused' as const, refusal: outcome.refused, size: outcome.size ?? null }
          : {
              state: 'ready' as const,
              mime: outcome.mime,
              size: outcome.bytes.byteLength,
              content: await keys.sealBytes(outcome.bytes),
            }),
      })
      .where(and(eq(attachments.id, row.id), eq(attachments.state, 'pending')))
      .returning({ id: attachments.id });
    // Another instance that took it over after the lease ran out finished it first: told once.
    if (updated && !anonymous) await tell(tx);
    return Boolean(updated);
  });
  if (done && anonymous) await db.transaction(tell);
}

async function isAnonymous(db: Db, submissionId: string): Promise<boolean> {
  const [item] = await db
    .select({ anonymous: submissions.anonymous })
    .from(submissions)
    .where(eq(submissions.id, submissionId));
  return item?.anonymous ?? false;
}
