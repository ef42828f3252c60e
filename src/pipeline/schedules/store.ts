/**
 * The schedules table as every capability that books times uses it: check a cron expression in a
 * zone, create a schedule of any kind (a message, a recurring poll), list them and find one by the
 * short number officers type. Changing and pausing one is the schedules capability's
 * (src/domains/schedules/store.ts).
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { type ScheduleKind, type ScheduleRow, schedules } from '../../../db/schema/index.ts';
import { CronError, nextFireTime, parseCron } from '../../kernel/cron.ts';

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
