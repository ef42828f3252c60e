/**
 * Per-person limits kept in the database, for deployments where more than one instance serves
 * (several Node servers on one PostgreSQL, the Workers build): a person whose messages a
 * round-robin balancer spreads over them meets one limit, not one per instance.
 *
 * Each person has a row per minute; a message is allowed while the previous minute's count,
 * weighed by how much of it still lies within the last 60 seconds, plus this minute's stays under
 * the limit (a sliding minute, to within the weighing). Counting is one upsert holding the
 * minute's row, so parallel messages from one person are counted one by one; a refused message
 * is given back.
 *
 * A row's name is a keyed hash (the app's data key) of the person and the minute, different for
 * each limit: one person's messages and poll answers do not share a name, nor do their minutes,
 * so no name is a lasting pseudonym. Rows go at the first sweep once two minutes old. The table
 * never names a person; what its rows' timing may tell is said in SECURITY.md.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/handle.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import type { PersonLimit } from './flood-guard.ts';

const minuteMs = 60_000;

export class SharedPersonLimit implements PersonLimit {
  constructor(
    private readonly db: Db,
    private readonly keys: Pick<KeyRing, 'mac'>,
    /** The limit's name: its rows are kept apart from other limits'. */
    private readonly name: string,
    private readonly perMinute: number,
    private readonly now: () => Date,
  ) {}

  async allow(key: string): Promise<boolean> {
    const at = this.now().getTime();
    const minute = Math.floor(at / minuteMs) * minuteMs;
    // A new row name each minute: no name follows a person from one minute to the next.
    const rowOf = async (start: number) =>
      `${this.name}:${await this.keys.mac(`person-limit:${this.name}`, `${start}|${key}`)}`;
    const [row, before] = await Promise.all([rowOf(minute), rowOf(minute - minuteMs)]);
    const [counted] = await queryRows<{ used: number; previous: number }>(
      this.db,
      sql`with counted as (
            insert into person_limits (key, window_start, used)
            values (${row}, ${new Date(minute).toISOString()}::timestamptz, 1)
            on conflict (key) do update set used = person_limits.used + 1
            returning used)
          select (select used from counted) as used,
                 coalesce((select used from person_limits where key = ${before}), 0) as previous`,
    );
    if (!counted) return false;
    const stillWithin = 1 - (at - minute) / minuteMs;
    if (counted.previous * stillWithin + counted.used <= this.perMinute) return true;
    await this.db.execute(sql`update person_limits set used = greatest(0, used - 1) where key = ${row}`);
    return false;
  }
}

/**
 * Platform delivery keys seen lately, in the database (see polls/recent-keys.ts for why): a Lark
 * message answering a poll by code, delivered again to another instance hours later, is known
 * there too. Kept as keyed hashes for a day, timed to the minute.
 */
export class SharedRecentKeys {
  constructor(
    private readonly db: Db,
    private readonly keys: Pick<KeyRing, 'mac'>,
    private readonly now: () => Date,
    private readonly keepMs = 24 * 3_600_000,
  ) {}

  async has(key: string): Promise<boolean> {
    const since = new Date(this.now().getTime() - this.keepMs).toISOString();
    const rows = await queryRows<{ one: number }>(
      this.db,
      sql`select 1 as one from recent_deliveries
          where key = ${await this.keys.mac('delivery', key)} and seen_at > ${since}::timestamptz`,
    );
    return rows.length > 0;
  }

  async add(key: string): Promise<void> {
    await this.db.execute(
      sql`insert into recent_deliveries (key, seen_at)
          values (${await this.keys.mac('delivery', key)}, date_trunc('minute', ${this.now().toISOString()}::timestamptz))
          on conflict (key) do update set seen_at = excluded.seen_at`,
    );
  }
}

/** Drops limit counts two minutes old and deliveries a day old (by the app's clock). */
export async function sweepPersonLimits(db: Db, now: Date): Promise<void> {
  const at = now.getTime();
  await db.execute(
    sql`delete from person_limits where window_start < ${new Date(at - 2 * minuteMs).toISOString()}::timestamptz`,
  );
  await db.execute(
    sql`delete from recent_deliveries where seen_at < ${new Date(at - 24 * 3_600_000).toISOString()}::timestamptz`,
  );
}
