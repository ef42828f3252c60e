/**
 * Send limits shared through the database: two budgets (as two Workers invocations would hold)
 * together never exceed a limit in any sliding window, and a send given back frees its slot.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import { SharedSendBudget, sweepSendBudget, windowsFor } from '../../src/pipeline/send-budget.ts';
import { busiest } from '../support/busiest.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';

/** How many sends began in each window (by its start time). */
function countsBy(times: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const at of times) counts.set(at, (counts.get(at) ?? 0) + 1);
  return counts;
}

describe('fixed windows for a limit', () => {
  it('never let a sliding window hold more than the limit, and keep most of the rate', () => {
    expect(windowsFor({ limit: 50, windowMs: 1000 })).toEqual({ windowMs: 112, perWindow: 5 });
    expect(windowsFor({ limit: 5, windowMs: 1000 })).toEqual({ windowMs: 250, perWindow: 1 });
    expect(windowsFor({ limit: 1000, windowMs: 60_000 })).toEqual({ windowMs: 4000, perWindow: 62 });
    expect(windowsFor({ limit: 3, windowMs: 1000 })).toEqual({ windowMs: 500, perWindow: 1 });
    expect(windowsFor({ limit: 1, windowMs: 1000 })).toEqual({ windowMs: 2000, perWindow: 1 });
  });
});

describe.each(databaseKinds)('the shared send budget on %s', (kind) => {
  const database = useDatabase(kind);

  it('keeps 50 a second for the app and 5 a second per chat across two instances', async () => {
    // Each budget's waits are recorded, then slept for real: the database's clock decides.
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    const budgets = [new SharedSendBudget(database.db, sleep), new SharedSendBudget(database.db, sleep)];
    const app = { key: 'test:app:s', limit: { limit: 50, windowMs: 1000 } };
    const appTimes: number[] = [];
    const chatTimes: number[] = [];
    await Promise.all([
      // 90 sends to different chats, from both instances at once.
      ...Array.from({ length: 90 }, async (_, i) => {
        const slot = await budgets[i % 2]!.take([
          app,
          { key: `test:chat:c${i}`, limit: { limit: 5, windowMs: 1000 } },
        ]);
        appTimes.push(slot.windows['test:app:s']!);
      }),
      // 10 to one chat.
      ...Array.from({ length: 10 }, async (_, i) => {
        const slot = await budgets[i % 2]!.take([
          app,
          { key: 'test:chat:busy', limit: { limit: 5, windowMs: 1000 } },
        ]);
        appTimes.push(slot.windows['test:app:s']!);
        chatTimes.push(slot.windows['test:chat:busy']!);
      }),
    ]);
    // Timed by the database's clock (when each send's window began): the windows are the limit's.
    expect(appTimes).toHaveLength(100);
    expect(busiest(appTimes, 1000)).toBeLessThanOrEqual(50);
    expect(busiest(chatTimes, 1000)).toBeLessThanOrEqual(5);
    // Still most of the rate, whatever this machine's speed: no window holds more than its share
    // (5 sends in 112 ms for the app, 1 in 250 ms for a chat), and a full window is waited out
    // only to its end, never longer (112 ms for the app's windows, 250 ms for a chat's).
    expect(Math.max(...countsBy(appTimes).values())).toBeLessThanOrEqual(5);
    expect(Math.max(...countsBy(chatTimes).values())).toBe(1);
    expect(waits.length).toBeGreaterThan(0);
    for (const ms of waits) {
      expect(ms).toBeGreaterThanOrEqual(1);
      expect(ms).toBeLessThanOrEqual(250);
    }
  });

  it('lets a send given back go again at once, and sweeps counts an hour old', async () => {
    const waits: number[] = [];
    const budget = new SharedSendBudget(database.db, async (ms) => {
      waits.push(ms);
    });
    const one = [{ key: 'test:solo', limit: { limit: 2, windowMs: 5000 } }];
    const first = await budget.take(one);
    first.giveBack();
    // Giving back is not awaited by the sender: wait until the count shows it.
    await eventually(async () => {
      const [row] = await queryRows<{ used: number }>(
        database.db,
        sql`select used from send_budget where key like 'test:solo@%'`,
      );
      return row?.used === 0;
    }, 'the send to be given back');
    await budget.take(one);
    // The freed slot was taken on the first try: nothing to wait for.
    expect(waits).toEqual([]);
    await database.db.execute(
      sql`update send_budget set window_start = now() - interval '2 hours' where key like 'test:chat:c1%'`,
    );
    await sweepSendBudget(database.db);
    const left = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from send_budget where key like 'test:%'`,
    );
    // The swept chats are gone; the rest (used just now) stay.
    expect(left[0]!.n).toBe(93 - 11);
  });
});
