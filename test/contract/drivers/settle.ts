/**
 * Runs a stack's jobs until nothing waits in the outbox: a retry's backoff is cut short each round
 * (as if its time had passed), so how long the contract takes does not depend on the machine.
 */
import { count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { outbox } from '../../../db/schema/index.ts';
import type { Stack } from '../../support/stack.ts';

export async function settle(stack: Stack, db: Db, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await db
      .update(outbox)
      .set({ nextAttemptAt: new Date(0) })
      .where(eq(outbox.status, 'pending'));
    await stack.drain();
    const [row] = await db
      .select({ n: count() })
      .from(outbox)
      .where(inArray(outbox.status, ['pending', 'sending']));
    if (row!.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${row!.n} messages still waiting to be sent`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A clock that reads the real time until frozen. */
export function testClock() {
  let frozen: Date | null = null;
  return {
    now: () => frozen ?? new Date(),
    freeze(at: Date | null) {
      frozen = at;
    },
  };
}
