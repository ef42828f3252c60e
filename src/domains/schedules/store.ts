/**
 * Schedules as officers manage them (officer API and chat): change the cron or time zone, pause
 * and resume, and find a person's own digest. A changed or resumed schedule fires from now on;
 * what it would have fired while paused is not run late. Checking, creating and listing are the
 * scheduling mechanism's (src/pipeline/schedules/store.ts).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { type ScheduleRow, schedules } from '../../../db/schema/index.ts';
import { checkCron, type ScheduleCheck } from '../../pipeline/schedules/store.ts';

export interface ScheduleChange {
  enabled?: boolean;
  cron?: string;
  timeZone?: string;
  name?: string;
}

/** Applies a change; the cron and zone are checked first, and nothing is stored when they fail. */
export async function changeSchedule(
  db: Db,
  current: ScheduleRow,
  change: ScheduleChange,
  now: Date,
): Promise<{ ok: true; row: ScheduleRow } | Exclude<ScheduleCheck, { ok: true }>> {
  const cron = change.cron ?? current.cron;
  const timeZone = change.timeZone ?? current.timeZone;
  const enabled = change.enabled ?? current.enabled;
  const check = checkCron(cron, timeZone, now);
  if (!check.ok) return check;
  const retimed = cron !== current.cron || timeZone !== current.timeZone;
  const [row] = await db
    .update(schedules)
    .set({
      cron,
      timeZone,
      enabled,
      ...(change.name ? { name: change.name } : {}),
      // Resumed or given a new time fires from now on; paused keeps its next time for display;
      // anything else (a new name) keeps it too, so a slot already due still runs.
      nextFireAt: retimed || (enabled && !current.enabled) ? check.nextFireAt : current.nextFireAt,
    })
    .where(eq(schedules.id, current.id))
    .returning();
  return { ok: true, row: row! };
}

/** A person's own daily digest schedule (created by the tick for every officer and admin). */
export async function digestScheduleOf(db: Db, personId: string): Promise<ScheduleRow | null> {
  const [row] = await db
    .select()
    .from(schedules)
    .where(eq(schedules.systemKey, `digest:${personId}`));
  return row ?? null;
}
