/**
 * The schedule tick on its own, over a real database: after a long outage of a frequent schedule
 * the latest fire time within the window still runs; a schedule whose work fails is recorded as
 * failed, moves on, and does not hold up the others; a run-now at a cron instant keeps apart.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type ScheduleKind, scheduleRuns, schedules } from '../../db/schema/index.ts';
import { createLogger } from '../../src/kernel/log.ts';
import type { ScheduleHandler } from '../../src/pipeline/schedules/handler.ts';
import { createRunNow, createScheduleTick } from '../../src/pipeline/schedules/tick.ts';
import { primaryKind, useDatabase } from '../support/databases.ts';

const database = useDatabase(primaryKind);
const log = createLogger('error', () => {});

async function schedule(cron: string, kind: string, nextFireAt: Date) {
  const [row] = await database.db
    .insert(schedules)
    // Kinds of this test's own handlers, which no real schedule has.
    .values({
      name: kind,
      cron,
      timeZone: 'Asia/Shanghai',
      kind: kind as ScheduleKind,
      payload: {},
      nextFireAt,
    })
    .returning();
  return row!;
}

const runsOf = (id: string) =>
  database.db
    .select({ fireAt: scheduleRuns.fireAt, status: scheduleRuns.status })
    .from(scheduleRuns)
    .where(eq(scheduleRuns.scheduleId, id));

describe(`schedule tick (${primaryKind})`, () => {
  it('runs the latest fire time after a long outage, isolates failures, and keeps run-now apart', async () => {
    const ran: string[] = [];
    const handlers = new Map<string, ScheduleHandler>([
      ['ok', async (_tx, s, at) => void ran.push(`${s.kind}@${at.toISOString()}`)],
      [
        'broken',
        async () => {
          throw new Error('the work could not be queued');
        },
      ],
    ]);
    let now = new Date('2026-11-23T00:00:00Z');
    const tick = createScheduleTick(
      { db: database.db, log, now: () => now },
      { handlers, catchUpMinutes: 60 },
    );

    // Every five minutes, down for five days: 1440 fire times passed.
    const frequent = await schedule('*/5 * * * *', 'ok', new Date('2026-11-18T00:00:00Z'));
    const broken = await schedule('0 * * * *', 'broken', new Date('2026-11-23T00:00:00Z'));
    now = new Date('2026-11-23T00:02:00Z');
    expect(await tick()).toBe(1);
    expect(ran).toEqual(['ok@2026-11-23T00:00:00.000Z']);
    const frequentRuns = await runsOf(frequent.id);
    expect(frequentRuns.filter((r) => r.status === 'claimed')).toHaveLength(1);
    expect(frequentRuns.filter((r) => r.status === 'missed').length).toBeGreaterThan(10);

    // The broken schedule: its fire time recorded as failed, next one an hour on; not retried each minute.
    expect(await runsOf(broken.id)).toEqual([{ fireAt: new Date('2026-11-23T00:00:00Z'), status: 'failed' }]);
    const [after] = await database.db.select().from(schedules).where(eq(schedules.id, broken.id));
    expect(after!.nextFireAt).toEqual(new Date('2026-11-23T01:00:00Z'));
    now = new Date('2026-11-23T00:03:00Z');
    expect(await tick()).toBe(0);
    expect(await runsOf(broken.id)).toHaveLength(1);

    // Run now at exactly 00:05:00, a fire time of the frequent schedule: both happen.
    now = new Date('2026-11-23T00:05:00Z');
    const runNow = createRunNow({ db: database.db, now: () => now }, { handlers });
    expect(await runNow(frequent.id)).toBe(true);
    expect(await tick()).toBe(1);
    const at0005 = (await runsOf(frequent.id)).filter((r) => r.fireAt >= new Date('2026-11-23T00:05:00Z'));
    expect(at0005.map((r) => r.status).sort()).toEqual(['claimed', 'manual']);
  });
});
