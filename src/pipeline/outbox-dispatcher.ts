/**
 * The outbox dispatcher. Leases due rows (the oldest undelivered row of each chat, so a chat's
 * messages arrive in order; replies and notices before bulk news), sends each through its channel with the row's uuid as the
 * idempotency key, and records the outcome. A crash after sending and before recording leaves
 * the lease to expire; the resend carries the same key, so the platform shows it once. Which
 * rows a round claims is decided in outbox-claim.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  type ChannelName,
  type ChannelSender,
  type Outbound,
  outboundSchema,
  type SendResult,
} from '../../bots/core/messenger.ts';
import { type OutboxRow, outbox } from '../../db/schema/index.ts';
import { type KeyRing, UnknownKeyError } from '../kernel/crypto/sealed.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { errorFields } from '../kernel/log.ts';
import { hiddenChatPrefix, openOutboxRow } from './outbox.ts';
import { type ClaimSettings, claimDue, claimOf, putBack } from './outbox-claim.ts';

/**
 * What the dispatcher reads of the context: `keys` open the sealed payloads just before they are
 * sent (and key a hidden recipient's deliveries); `metrics` count sends by channel and outcome.
 */
type DispatcherCtx = Pick<Ctx, 'db' | 'log' | 'keys' | 'metrics'>;

/** The dispatcher's own settings and the channels it sends on. */
interface OutboxDispatcherOptions {
  senders: ReadonlyMap<ChannelName, ChannelSender>;
  maxAttempts: number;
  /** How long a claimed row stays reserved for the instance sending it. */
  leaseSeconds?: number;
  /** Rows claimed per round. */
  batchSize?: number;
  /** First retry delay; doubles per attempt, with jitter, capped at ten minutes. */
  baseDelayMs?: number;
  /**
   * Bulk rows younger than this are left to whoever was handed them (a Workers queue consumer,
   * by uuid); older ones are sent here too, so a hand-off that never arrived loses nothing.
   */
  bulkHandoffSeconds?: number;
}

/** Which rows one round may claim: any that are due, or only the due ones among these uuids. */
export interface DispatchScope {
  uuids?: readonly string[];
}

/** Sends one batch; resolves to the number of rows handled (0 when nothing was due). */
export function createOutboxDispatcher(
  ctx: DispatcherCtx,
  options: OutboxDispatcherOptions,
): (scope?: DispatchScope) => Promise<number> {
  const leaseSeconds = options.leaseSeconds ?? 30;
  const claim: ClaimSettings = {
    senders: options.senders,
    leaseSeconds,
    batchSize: options.batchSize ?? 20,
    bulkHandoffSeconds: options.bulkHandoffSeconds,
  };
  const dispatch: Dispatch = {
    ctx,
    senders: options.senders,
    maxAttempts: options.maxAttempts,
    baseDelayMs: options.baseDelayMs ?? 1000,
    // A send that hangs is abandoned well before its lease ends, so no second claim overlaps it.
    sendTimeoutMs: Math.max(1000, leaseSeconds * 1000 * 0.6),
  };
  return async (scope = {}) => {
    if (scope.uuids?.length === 0) return 0;
    const rows = await claimDue(ctx.db, claim, scope);
    // One chat's rows are never in the same batch (see the claim), so they can go in parallel.
    // Every send is waited for, even when one fails, so none is still running when this returns.
    const outcomes = await Promise.allSettled(rows.map((row) => record(dispatch, row)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return rows.length;
  };
}

/** What sending a claimed row needs: the context, the channels and the dispatcher's settings. */
interface Dispatch {
  ctx: DispatcherCtx;
  senders: ReadonlyMap<ChannelName, ChannelSender>;
  maxAttempts: number;
  baseDelayMs: number;
  sendTimeoutMs: number;
}

/** A claimed row opened and ready to send. */
interface Ready {
  row: OutboxRow;
  sender: ChannelSender;
  chatId: string;
  message: Outbound;
  /** A hidden recipient's delivery: keyed apart from the row, leaving no platform id. */
  hidden: boolean;
}

/** Sends one claimed row and records the outcome, if the claim is still this one's. */
async function record(dispatch: Dispatch, row: OutboxRow): Promise<void> {
  const { ctx } = dispatch;
  const stillOurs = claimOf(row);
  const sender = dispatch.senders.get(row.channel);
  // Payloads are sealed at rest; they are opened here, just before they are sent.
  const opening = await openOutboxRow(ctx.keys, row).then(
    (opened) => ({ opened, error: null }),
    (error: unknown) => ({ opened: null, error }),
  );
  if (opening.error instanceof UnknownKeyError) {
    // Sealed with a key this instance does not hold (yet): another instance, or this one after
    // DATA_KEY is updated, will send it. Put back for later without using up a try.
    ctx.log.warn('outbox.key_unknown', { id: row.id, channel: row.channel });
    await putBack(ctx.db, stillOurs, 60_000);
    return;
  }
  const { opened } = opening;
  const hidden = row.chatId.startsWith(hiddenChatPrefix);
  const parsed = outboundSchema.safeParse(opened?.message);
  if (!sender || !opened || !parsed.success) {
    const why = sender ? 'invalid payload' : `channel ${row.channel} is not configured`;
    ctx.log.error('outbox.undeliverable', { id: row.id, channel: row.channel, reason: why });
    ctx.metrics.count('tongxin_outbox_sends_total', {
      channel: row.channel.slice(0, 20),
      outcome: 'failed',
    });
    await ctx.db.update(outbox).set({ status: 'failed', lastError: why, leaseUntil: null }).where(stillOurs);
    return;
  }
  const ready: Ready = { row, sender, chatId: opened.chatId, message: parsed.data, hidden };
  await recordResult(dispatch, ready, await send(dispatch, ready), stillOurs);
}

/** Sends the row through its channel; a send that throws or hangs is a retryable failure. */
async function send(dispatch: Dispatch, ready: Ready): Promise<SendResult> {
  const { row } = ready;
  try {
    return await withTimeout(
      ready.sender.send({
        channel: row.channel,
        chatId: ready.chatId,
        idempotencyKey: ready.hidden ? await hiddenDeliveryKey(dispatch.ctx.keys, row.uuid) : row.uuid,
        message: ready.message,
        ...(row.topic ? { topic: row.topic } : {}),
      }),
      dispatch.sendTimeoutMs,
    );
  } catch (error) {
    return { ok: false, retryable: true, error: String(errorFields(error).message ?? 'send failed') };
  }
}

/** Records a send's result: sent, put back (held back by the channel's pace), retried later or given up. */
async function recordResult(dispatch: Dispatch, ready: Ready, result: SendResult, stillOurs: SQL) {
  const { ctx } = dispatch;
  const { row } = ready;
  const channel = row.channel.slice(0, 20);
  if (result.ok) {
    ctx.metrics.count('tongxin_outbox_sends_total', { channel, outcome: 'sent' });
    await ctx.db
      .update(outbox)
      .set({
        status: 'sent',
        sentAt: new Date(),
        // A hidden recipient's delivery leaves no id that the channel's own records share.
        platformMessageId: ready.hidden ? null : result.platformMessageId,
        leaseUntil: null,
      })
      .where(stillOurs);
    return;
  }
  if (result.deferred) {
    // Held back by the channel's own pace: put back for later, without using up a try.
    await putBack(ctx.db, stillOurs, result.retryAfterMs ?? 1000);
    return;
  }
  const giveUp = !result.retryable || row.attempts >= dispatch.maxAttempts;
  ctx.metrics.count('tongxin_outbox_sends_total', { channel, outcome: giveUp ? 'failed' : 'retry' });
  const delay = result.retryAfterMs ?? backoff(row.attempts, dispatch.baseDelayMs);
  ctx.log.warn('outbox.send_failed', {
    id: row.id,
    channel: row.channel,
    attempts: row.attempts,
    retryable: result.retryable,
    givenUp: giveUp,
    reason: result.error.slice(0, 200),
  });
  await ctx.db
    .update(outbox)
    .set({
      status: giveUp ? 'failed' : 'pending',
      lastError: result.error.slice(0, 1000),
      leaseUntil: null,
      nextAttemptAt: sql`now() + make_interval(secs => ${delay / 1000})`,
    })
    .where(stillOurs);
}

/** Exponential backoff with jitter: between half and all of base × 2^(attempt-1), capped at ten minutes. */
export function backoff(attempt: number, baseMs: number): number {
  const ceiling = Math.min(600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The idempotency key a hidden recipient's delivery carries: derived from the row's uuid with the
 * data key, in uuid form, so the channel's own copy (the web chat's history) cannot be joined back
 * to the outbox row, while a retry still carries the same key.
 */
async function hiddenDeliveryKey(keys: Pick<KeyRing, 'mac'>, uuid: string): Promise<string> {
  const h = (await keys.mac('hidden-delivery', uuid)).slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
