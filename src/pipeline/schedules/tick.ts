/**
 * The schedule tick, run every minute on every instance. For each enabled schedule that is due,
 * the latest fire time within the catch-up window is claimed with INSERT … ON CONFLICT DO NOTHING
 * on (schedule, fire time), so exactly one instance queues its work, in the same transaction;
 * older fire times are recorded as missed. The work itself is durable (outbox rows), so a crash
 * after the claim loses nothing.
 */
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { scheduleRuns, schedules } from '../../../db/schema/index.ts';
import { type CronSchedule, nextFireTime, parseCron } from '../../kernel/cron.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { errorFields } from '../../kernel/log.ts';
import type { ScheduleHandler } from './handler.ts';

/** What the tick reads of the context. */
type TickCtx = Pick<Ctx, 'db' | 'now' | 'log'>;

/** What the tick and run-now are given besides the context. */
interface RunOptions {
  /** The handler of each kind of schedule. */
  handlers: ReadonlyMap<string, ScheduleHandler>;
  /** Told of every fire time this instance recorded: claimed, missed, manual or failed. */
  onRun?: (kind: string, outcome: 'claimed' | 'missed' | 'manual' | 'failed') => void;
}

/** The tick's own settings. */
interface TickOptions extends RunOptions {
  /** Fire times older than this are recorded as missed instead of run late. */
  catchUpMinutes: number;
  /** Runs first on every tick (creates the schedules the server keeps for itself). */
  prepare?: (now: Date) => Promise<void>;
}

/** A tick's context and settings, as its steps are given them. */
interface Tick {
  ctx: TickCtx;
  options: TickOptions;
}

/**
 * Runs a schedule now, whatever its cron says (an officer's 立即执行): the run is recorded as
 * manual at this instant and its work queued in the same transaction. False when there is no
 * such schedule or no handler for its kind.
 */
export function createRunNow(ctx: Pick<Ctx, 'db' | 'now'>, options: RunOptions) {
  return (scheduleId: string) =>
    ctx.db.transaction(async (tx) => {
      const [schedule] = await tx.select().from(schedules).where(eq(schedules.id, scheduleId));
      const handler = schedule && options.handlers.get(schedule.kind);
      if (!schedule || !handler) return false;
      const now = ctx.now();
      // Cron fire times fall on whole minutes: a run-now at that very instant is kept a
      // millisecond apart, so it never takes the scheduled run's place.
      const at = now.getTime() % 60_000 === 0 ? new Date(now.getTime() + 1) : now;
      await tx.insert(scheduleRuns).values({ scheduleId, fireAt: at, status: 'manual', at: now });
      options.onRun?.(schedule.kind, 'manual');
      await handler(tx, schedule, at);
      return true;
    });
}

/** How many fire times older than the catch-up window are recorded as missed, at most, per tick. */
const maxMissedRecorded = 100;

/**
 * A schedule's fire times from `first` up to now: those too old to run (the first few, to be
 * recorded as missed; the rest only skipped), and those within the catch-up window.
 */
function dueFireTimes(
  cron: CronSchedule,
  timeZone: string,
  first: Date,
  window: { start: Date; now: Date },
): { missed: Date[]; recent: Date[] } {
  const { start: windowStart, now } = window;
  // Fire times too old to run: the first few are recorded as missed, the rest only counted.
  const missed: Date[] = [];
  let at: Date | null = first;
  while (at && at < windowStart && missed.length < maxMissedRecorded) {
    missed.push(at);
    at = nextFireTime(cron, at, timeZone);
  }
  if (at && at < windowStart) at = nextFireTime(cron, new Date(windowStart.getTime() - 1), timeZone);
  // Fire times within the window: the latest runs, once; any before it are missed too.
  const recent: Date[] = [];
  for (; at && at <= now && recent.length < 1000; at = nextFireTime(cron, at, timeZone)) recent.push(at);
  return { missed, recent };
}

/** Claims one schedule's due fire times in its own transaction; resolves to how many ran. */
async function fire({ ctx, options }: Tick, tx: Db, id: string, now: Date): Promise<number> {
  const [schedule] = await tx
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, id), lte(schedules.nextFireAt, now)))
    .for('update', { skipLocked: true });
  if (!schedule?.nextFireAt) return 0;
  const cron = parseCron(schedule.cron);
  const windowStart = new Date(now.getTime() - options.catchUpMinutes * 60_000);
  const { missed, recent } = dueFireTimes(cron, schedule.timeZone, schedule.nextFireAt, {
    start: windowStart,
    now,
  });
  const runnable = recent.at(-1) ?? null;
  let ran = 0;
  for (const fireAt of [...missed, ...recent]) {
    const status = fireAt === runnable ? 'claimed' : 'missed';
    const inserted = await tx
      .insert(scheduleRuns)
      .values({ scheduleId: schedule.id, fireAt, status, at: now })
      .onConflictDoNothing()
      .returning({ fireAt: scheduleRuns.fireAt });
    if (inserted.length > 0) options.onRun?.(schedule.kind, status);
    if (inserted.length === 0 || status === 'missed') continue;
    const handler = options.handlers.get(schedule.kind);
    if (!handler) {
      ctx.log.error('schedule.unknown_kind', { schedule: schedule.id, kind: schedule.kind.slice(0, 40) });
      continue;
    }
    await handler(tx, schedule, fireAt);
    ran++;
  }
  if (missed.length + recent.length > 1)
    ctx.log.warn('schedule.missed', {
      schedule: schedule.id,
      missed: missed.length + recent.length - ran,
    });
  await tx
    .update(schedules)
    .set({ nextFireAt: nextFireTime(cron, now, schedule.timeZone) })
    .where(eq(schedules.id, schedule.id));
  return ran;
}

/**
 * Records a schedule's failed fire time and moves it on to its next one, so it is not retried
 * every minute; a failure to record that is only logged.
 */
async function recordFailure({ ctx, options }: Tick, id: string, now: Date): Promise<void> {
  await ctx.db
    .transaction(async (tx) => {
      const [schedule] = await tx.select().from(schedules).where(eq(schedules.id, id)).for('update');
      if (!schedule?.nextFireAt || schedule.nextFireAt > now) return;
      await tx
        .insert(scheduleRuns)
        .values({ scheduleId: id, fireAt: schedule.nextFireAt, status: 'failed', at: now })
        .onConflictDoNothing();
      options.onRun?.(schedule.kind, 'failed');
      await tx
        .update(schedules)
        .set({ nextFireAt: nextFireTime(parseCron(schedule.cron), now, schedule.timeZone) })
        .where(eq(schedules.id, id));
    })
    .catch((again) => ctx.log.error('schedule.failed_record', errorFields(again)));
}

/** Runs one tick; resolves to the number of fire times claimed. */
export function createScheduleTick(ctx: TickCtx, options: TickOptions): () => Promise<number> {
  const tick: Tick = { ctx, options };
  return async () => {
    const now = ctx.now();
    await options.prepare?.(now);
    const due = await ctx.db
      .select({ id: schedules.id })
      .from(schedules)
      .where(
        and(eq(schedules.enabled, true), isNotNull(schedules.nextFireAt), lte(schedules.nextFireAt, now)),
      );
    let claimed = 0;
    for (const { id } of due) {
      try {
        claimed += await ctx.db.transaction((tx) => fire(tick, tx, id, now));
      } catch (error) {
        // One schedule's failure does not hold up the others, and it is not retried every
        // minute: its fire time is recorded as failed and it moves on to its next one.
        ctx.log.error('schedule.failed', { schedule: id, ...errorFields(error) });
        await recordFailure(tick, id, now);
      }
    }
    return claimed;
  };
}
