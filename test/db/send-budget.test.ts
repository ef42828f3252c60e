/**
 * Send limits shared through the database: two budgets (as two Workers invocations would hold)
 * together never exceed a limit in any sliding window, and a send given back frees its slot.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import { SharedSendBudget, sweepSendBudget, windowsFor } from '../../src/store/send-budget.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';

/** The most sends found in any window of `ms` among these times. */
function busiest(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('fixed windows for a limit', () => {
  it('never let a sliding window hold more than the limit, and keep most of the rate', () => {
    expect(windowsFor({ limit: 50, windowMs: 1000 })).toEqual({ windowMs: 100, perWindow: 4 });
    expect(windowsFor({ limit: 5, windowMs: 1000 })).toEqual({ windowMs: 250, perWindow: 1 });
    expect(windowsFor({ limit: 1000, windowMs: 60_000 })).toEqual({ windowMs: 6000, perWindow: 90 });
    expect(windowsFor({ limit: 1, windowMs: 1000 })).toEqual({ windowMs: 2000, perWindow: 1 });
  });
});

describe.each(databaseKinds)('the shared send budget on %s', (kind) => {
  const database = useDatabase(kind);

  it('keeps 50 a second for the app and 5 a second per chat across two instances', async () => {
    const budgets = [new SharedSendBudget(database.db), new SharedSendBudget(database.db)];
    const app = { key: 'test:app:s', limit: { limit: 50, windowMs: 1000 } };
    const appTimes: number[] = [];
    const chatTimes: number[] = [];
    const started = Date.now();
    await Promise.all([
      // 90 sends to different chats, from both instances at once.
      ...Array.from({ length: 90 }, async (_, i) => {
        const slot = await budgets[i % 2]!.take([
          app,
          { key: `test:chat:c${i}`, limit: { limit: 5, windowMs: 1000 } },
        ]);
        appTimes.push(slot.at);
      }),
      // 10 to one chat.
      ...Array.from({ length: 10 }, async (_, i) => {
        const slot = await budgets[i % 2]!.take([
          app,
          { key: 'test:chat:busy', limit: { limit: 5, windowMs: 1000 } },
        ]);
        appTimes.push(slot.at);
        chatTimes.push(slot.at);
      }),
    ]);
    // Timed by the database's clock (when each send's window began): the windows are the limit's.
    expect(appTimes).toHaveLength(100);
    expect(busiest(appTimes, 1000)).toBeLessThanOrEqual(50);
    expect(busiest(chatTimes, 1000)).toBeLessThanOrEqual(5);
    // Still most of the rate: 100 sends at 40 a second, and the busy chat's 10 at 4 a second.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('lets a send given back go again at once, and sweeps counts an hour old', async () => {
    const budget = new SharedSendBudget(database.db);
    const one = [{ key: 'test:solo', limit: { limit: 2, windowMs: 5000 } }];
    const first = await budget.take(one);
    first.giveBack();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await budget.take(one);
    expect(Date.now() - started).toBeLessThan(1000);
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
