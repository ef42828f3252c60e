/**
 * The schedule tick, run every minute on every instance. For each enabled schedule that is due,
 * the latest fire time within the catch-up window is claimed with INSERT … ON CONFLICT DO NOTHING
 * on (schedule, fire time), so exactly one instance queues its work, in the same transaction;
 * older fire times are recorded as missed. The work itself is durable (outbox rows), so a crash
 * after the claim loses nothing.
 */
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ScheduleRow, scheduleRuns, schedules } from '../../db/schema/index.ts';
import type { Logger } from '../log.ts';
import { nextFireTime, parseCron } from './cron.ts';

/** Queues one fire's work inside the claiming transaction. */
export type ScheduleHandler = (tx: Db, schedule: ScheduleRow, fireAt: Date) => Promise<void>;

export interface TickDeps {
  db: Db;
  log: Logger;
  now: () => Date;
  handlers: ReadonlyMap<string, ScheduleHandler>;
  /** Fire times older than this are recorded as missed instead of run late. */
  catchUpMinutes: number;
  /** Told of every fire time this instance recorded: claimed, missed or manual. */
  onRun?: (kind: string, outcome: 'claimed' | 'missed' | 'manual') => void;
  /** Runs first on every tick (creates the schedules the server keeps for itself). */
  prepare?: (now: Date) => Promise<void>;
}

/**
 * Runs a schedule now, whatever its cron says (an officer's 立即执行): the run is recorded as
 * manual at this instant and its work queued in the same transaction. False when there is no
 * such schedule or no handler for its kind.
 */
export function createRunNow(deps: Omit<TickDeps, 'catchUpMinutes' | 'prepare'>) {
  return (scheduleId: string) =>
    deps.db.transaction(async (tx) => {
      const [schedule] = await tx.select().from(schedules).where(eq(schedules.id, scheduleId));
      const handler = schedule && deps.handlers.get(schedule.kind);
      if (!schedule || !handler) return false;
      const at = deps.now();
      await tx.insert(scheduleRuns).values({ scheduleId, fireAt: at, status: 'manual', at });
      deps.onRun?.(schedule.kind, 'manual');
      await handler(tx, schedule, at);
      return true;
    });
}

/** Runs one tick; resolves to the number of fire times claimed. */
export function createScheduleTick(deps: TickDeps): () => Promise<number> {
  return async () => {
    const now = deps.now();
    await deps.prepare?.(now);
    const due = await deps.db
      .select({ id: schedules.id })
      .from(schedules)
      .where(
        and(eq(schedules.enabled, true), isNotNull(schedules.nextFireAt), lte(schedules.nextFireAt, now)),
      );
    let claimed = 0;
    for (const { id } of due) {
      claimed += await deps.db.transaction(async (tx) => {
        const [schedule] = await tx
          .select()
          .from(schedules)
          .where(and(eq(schedules.id, id), lte(schedules.nextFireAt, now)))
          .for('update', { skipLocked: true });
        if (!schedule?.nextFireAt) return 0;
        const cron = parseCron(schedule.cron);
        // Every fire time from the due one up to now (bounded), newest last.
        const slots: Date[] = [];
        for (let at: Date | null = schedule.nextFireAt; at && at <= now && slots.length < 1000; ) {
          slots.push(at);
          at = nextFireTime(cron, at, schedule.timeZone);
        }
        const latest = slots.at(-1);
        const runnable =
          latest && now.getTime() - latest.getTime() <= deps.catchUpMinutes * 60_000 ? latest : null;
        let ran = 0;
        for (const fireAt of slots) {
          const status = fireAt === runnable ? 'claimed' : 'missed';
          const inserted = await tx
            .insert(scheduleRuns)
            .values({ scheduleId: schedule.id, fireAt, status, at: now })
            .onConflictDoNothing()
            .returning({ fireAt: scheduleRuns.fireAt });
          if (inserted.length > 0) deps.onRun?.(schedule.kind, status);
          if (inserted.length === 0 || status === 'missed') continue;
          const handler = deps.handlers.get(schedule.kind);
          if (!handler) {
            deps.log.error('schedule.unknown_kind', {
              schedule: schedule.id,
              kind: schedule.kind.slice(0, 40),
            });
            continue;
          }
          await handler(tx, schedule, fireAt);
          ran++;
        }
        if (slots.length > 1)
          deps.log.warn('schedule.missed', { schedule: schedule.id, missed: slots.length - ran });
        await tx
          .update(schedules)
          .set({ nextFireAt: nextFireTime(cron, now, schedule.timeZone) })
          .where(eq(schedules.id, schedule.id));
        return ran;
      });
    }
    return claimed;
  };
}
