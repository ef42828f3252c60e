/**
 * Which outbox rows a dispatcher round claims, and how a claim is held: the oldest undelivered
 * row of each chat that is due (replies and notices before bulk news), on channels this instance
 * can send now, reserved for a lease. A claim is fenced by the row's attempt number, and can be
 * put back for later without using up a try.
 */
import { and, asc, eq, exists, inArray, lte, notExists, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ChannelName, ChannelSender } from '../../bots/core/messenger.ts';
import type { Db, Tx } from '../../db/handle.ts';
import { type OutboxRow, outbox } from '../../db/schema/index.ts';
import type { DispatchScope } from './outbox-dispatcher.ts';

/** How a dispatcher claims rows. */
export interface ClaimSettings {
  senders: ReadonlyMap<ChannelName, ChannelSender>;
  /** How long a claimed row stays reserved for the instance sending it. */
  leaseSeconds: number;
  /** Rows claimed per round. */
  batchSize: number;
  /** Bulk rows younger than this are left to whoever was handed them. */
  bulkHandoffSeconds: number | undefined;
}

const before = alias(outbox, 'before');
const later = alias(outbox, 'later');

/**
 * Only rows this instance can send now are claimed: a channel without a sender here (WeChat on
 * a Worker), or one another instance holds (a WeChat login), is left to an instance that has it,
 * never marked failed for want of it.
 */
const sendingChannels = (senders: ReadonlyMap<ChannelName, ChannelSender>) =>
  [...senders.entries()].filter(([, sender]) => sender.sending?.() ?? true).map(([name]) => name);

/** Claims a batch of due rows, each the oldest undelivered one of its chat, and resolves to them. */
export function claimDue(db: Db, settings: ClaimSettings, scope: DispatchScope): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const channels = sendingChannels(settings.senders);
    if (channels.length === 0) return [];
    const due = dueRows(tx, channels, scope, settings.bulkHandoffSeconds);
    const earlierUndelivered = tx
      .select({ one: sql`1` })
      .from(before)
      .where(
        and(
          eq(before.channel, outbox.channel),
          eq(before.chatId, outbox.chatId),
          inArray(before.status, ['pending', 'sending']),
          sql`${before.id} < ${outbox.id}`,
        ),
      );
    const ids = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(due, notExists(earlierUndelivered)))
      .orderBy(asc(outbox.priority), asc(outbox.id))
      .limit(settings.batchSize)
      .for('update', { skipLocked: true });
    if (ids.length === 0) return [];
    return tx
      .update(outbox)
      .set({
        status: 'sending',
        attempts: sql`${outbox.attempts} + 1`,
        leaseUntil: sql`now() + make_interval(secs => ${settings.leaseSeconds})`,
      })
      .where(
        inArray(
          outbox.id,
          ids.map((r) => r.id),
        ),
      )
      .returning();
  });
}

/** The rows that are due on these channels, within the scope. */
function dueRows(
  tx: Tx,
  channels: ChannelName[],
  scope: DispatchScope,
  handoff: number | undefined,
): SQL | undefined {
  // A bulk row handed off is left to its taker until it is older than the hand-off time, or
  // a reply waits behind it in the same chat (that chat's messages go in order).
  const replyBehind = tx
    .select({ one: sql`1` })
    .from(later)
    .where(
      and(
        eq(later.channel, outbox.channel),
        eq(later.chatId, outbox.chatId),
        eq(later.priority, 0),
        inArray(later.status, ['pending', 'sending']),
        sql`${later.id} > ${outbox.id}`,
      ),
    );
  return and(
    inArray(outbox.channel, channels),
    or(
      and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, sql`now()`)),
      and(eq(outbox.status, 'sending'), lte(outbox.leaseUntil, sql`now()`)),
    ),
    scope.uuids
      ? inArray(outbox.uuid, [...scope.uuids])
      : handoff
        ? or(
            eq(outbox.priority, 0),
            lte(outbox.createdAt, sql`now() - make_interval(secs => ${handoff})`),
            exists(replyBehind),
          )
        : undefined,
  );
}

/**
 * This claim of the row: the attempt number is its fencing token, so if the lease ran out and
 * another instance claimed the row again, a late outcome of this one is not recorded over theirs.
 */
export const claimOf = (row: OutboxRow): SQL =>
  sql`${outbox.id} = ${row.id} and ${outbox.status} = 'sending' and ${outbox.attempts} = ${row.attempts}`;

/** Puts a claimed row back for later without using up a try. */
export const putBack = (db: Db, claimed: SQL, afterMs: number) =>
  db
    .update(outbox)
    .set({
      status: 'pending',
      attempts: sql`${outbox.attempts} - 1`,
      leaseUntil: null,
      nextAttemptAt: sql`now() + make_interval(secs => ${afterMs / 1000})`,
    })
    .where(claimed);
