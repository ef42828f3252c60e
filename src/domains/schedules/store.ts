/**
 * Schedules as officers manage them (officer API and chat): list, create a message schedule,
 * change the cron or time zone, pause and resume. A changed or resumed schedule fires from now
 * on; what it would have fired while paused is not run late.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { type ScheduleKind, type ScheduleRow, schedules } from '../../../db/schema/index.ts';
import { CronError, nextFireTime, parseCron } from './cron.ts';

export type ScheduleCheck =
  | { ok: true; nextFireAt: Date }
  | { ok: false; reason: 'bad_cron'; detail: string }
  | { ok: false; reason: 'never' };

/** Whether the expression reads and ever fires, in that zone, after `now`. */
export function checkCron(cron: string, timeZone: string, now: Date): ScheduleCheck {
  try {
    const at = nextFireTime(parseCron(cron), now, timeZone);
    return at ? { ok: true, nextFireAt: at } : { ok: false, reason: 'never' };
  } catch (error) {
    if (error instanceof CronError) return { ok: false, reason: 'bad_cron', detail: error.message };
    throw error;
  }
}

export const listSchedules = (db: Db) => db.select().from(schedules).orderBy(asc(schedules.no));

export async function scheduleByNo(db: Db, no: number): Promise<ScheduleRow | null> {
  const [row] = await db.select().from(schedules).where(eq(schedules.no, no));
  return row ?? null;
}

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

export async function createSchedule(
  db: Db,
  input: {
    name: string;
    cron: string;
    timeZone: string;
    kind: ScheduleKind;
    payload: Record<string, unknown>;
    enabled: boolean;
  },
  now: Date,
): Promise<{ ok: true; row: ScheduleRow } | Exclude<ScheduleCheck, { ok: true }>> {
  const check = checkCron(input.cron, input.timeZone, now);
  if (!check.ok) return check;
  const [row] = await db
    .insert(schedules)
    .values({ ...input, nextFireAt: check.nextFireAt, createdAt: now })
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
