/** Reference codes such as JY-2026-0001: one sequence per prefix and year, taken inside the transaction. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { referenceCounters } from '../../../db/schema/index.ts';

export const referencePrefixes = { suggestion: 'JY', motion: 'TA', help_request: 'BF' } as const;

export async function nextReferenceCode(tx: Db, prefix: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(referenceCounters)
    .values({ prefix, year, last: 1 })
    .onConflictDoUpdate({
      target: [referenceCounters.prefix, referenceCounters.year],
      set: { last: sql`${referenceCounters.last} + 1` },
    })
    .returning({ last: referenceCounters.last });
  return `${prefix}-${year}-${String(row!.last).padStart(4, '0')}`;
}
