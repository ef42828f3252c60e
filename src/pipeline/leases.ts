/**
 * Leases in the database (see db/schema/leases.ts), timed by the database's clock so instances
 * whose clocks differ agree on when one lapses. Taking and renewing are one statement: the row is
 * written only when it is free, lapsed, or already this holder's.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/handle.ts';

/** Takes or renews the lease for `ttlMs` from now; false when another holder has it. */
export async function holdLease(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await queryRows<{ holder: string }>(
    db,
    sql`insert into leases (name, holder, expires_at)
        values (${name}, ${holder}, clock_timestamp() + make_interval(secs => ${ttlMs / 1000}))
        on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
        where leases.holder = excluded.holder or leases.expires_at < clock_timestamp()
        returning holder`,
  );
  return rows.length === 1;
}

/** Gives the lease up, if this holder has it, so another may take it at once. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.execute(sql`delete from leases where name = ${name} and holder = ${holder}`);
}
