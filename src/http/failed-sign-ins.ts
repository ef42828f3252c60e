/**
 * Sign-in attempts (an ADMIN_TOKEN on /api, /metrics or the console, a console sign-in link),
 * counted per source in fixed one-minute windows in the send_budget table, so every instance
 * shares the count. Each attempt is counted *before* it is tried, in a statement that holds the
 * counter's row, so a burst of parallel guesses is counted one by one and no more than
 * `perMinute` are tried; a successful one is given back. A source past the limit is refused
 * outright, even with the right secret, until its minute ends.
 *
 * Each source's minute is one audit row (`auth.refused`), its detail counting the refusals by
 * kind, updated while the minute lasts: an unauthenticated client cannot add rows faster than
 * one a minute. Past `sourcesPerMinute` sources in one minute, further sources share one row
 * (subject `*`), so a crowd of addresses cannot either.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/handle.ts';

/**
 * What was refused: the bearer token on /api or /metrics, the console's token form, a sign-in
 * link (and why; `console_link` when a limited source's link was not even tried).
 */
export type RefusedSignIn =
  | 'api'
  | 'metrics'
  | 'console_token'
  | 'console_link'
  | 'link_unknown'
  | 'link_expired'
  | 'link_used'
  | 'link_not_officer';

export interface FailedSignIns {
  /**
   * Counts one attempt from this source; resolves to the seconds it must wait when the attempt is
   * past the limit (refuse it untried, with 429), else 0 (try it).
   */
  take(source: string): Promise<number>;
  /** Gives back the count of an attempt that succeeded. */
  release(source: string): Promise<void>;
  /** Audits one refusal (`limited`: refused untried, past the limit). */
  refuse(source: string, what: RefusedSignIn, limited: boolean): Promise<void>;
}

const windowMs = 60_000;
const keyOf = (source: string) => `signin:${source}`;
const sourcesKey = 'signin-sources';

export function createFailedSignIns(
  db: Db,
  now: () => Date,
  limits: { perMinute: number; sourcesPerMinute: number } = { perMinute: 10, sourcesPerMinute: 100 },
): FailedSignIns {
  const windowOf = (at: Date) => new Date(Math.floor(at.getTime() / windowMs) * windowMs);
  const secondsLeft = (windowStart: Date, at: Date) =>
    Math.max(1, Math.ceil((windowStart.getTime() + windowMs - at.getTime()) / 1000));

  /** One more in `key`'s window: the count in it afterwards. */
  const count = async (tx: Db, key: string, windowStart: Date) => {
    const [row] = await queryRows<{ used: number }>(
      tx,
      sql`insert into send_budget (key, window_start, window_ms, used)
          values (${key}, ${windowStart.toISOString()}::timestamptz, ${windowMs}, 1)
          on conflict (key) do update set
            used = case when excluded.window_start > send_budget.window_start
                        then 1 else send_budget.used + 1 end,
            window_start = greatest(send_budget.window_start, excluded.window_start),
            window_ms = excluded.window_ms
          returning used`,
    );
    return row!.used;
  };

  /** Adds this refusal to the subject's row of this minute; false when there is none yet. */
  const addTo = async (tx: Db, subject: string, since: Date, what: RefusedSignIn, limited: boolean) => {
    const updated = await queryRows<{ id: number }>(
      tx,
      sql`update audit_log set detail = detail || jsonb_build_object(
            'count', coalesce((detail->>'count')::int, 0) + 1,
            ${what}::text, coalesce((detail->>${what}::text)::int, 0) + 1,
            'limited', coalesce((detail->>'limited')::int, 0) + ${limited ? 1 : 0}::int)
          where action = 'auth.refused' and subject_type = 'source' and subject_id = ${subject}
            and at >= ${since.toISOString()}::timestamptz
          returning id`,
    );
    return updated.length > 0;
  };

  return {
    async take(source) {
      const at = now();
      const windowStart = windowOf(at);
      const used = await count(db, keyOf(source), windowStart);
      return used > limits.perMinute ? secondsLeft(windowStart, at) : 0;
    },

    async release(source) {
      await db.execute(
        sql`update send_budget set used = greatest(used - 1, 0)
            where key = ${keyOf(source)} and window_start = ${windowOf(now()).toISOString()}::timestamptz`,
      );
    },

    async refuse(source, what, limited) {
      const at = now();
      const windowStart = windowOf(at);
      await db.transaction(async (tx) => {
        // A source's refusals take turns, so its first refusal of the minute writes the one row the
        // others then add to (two rows would make later updates deadlock).
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${keyOf(source)}, 0))`);
        if (await addTo(tx, source, windowStart, what, limited)) return;
        // The source's first refusal this minute gets its own row while there are few sources;
        // past that it counts in the shared one.
        const own = (await count(tx, sourcesKey, windowStart)) <= limits.sourcesPerMinute;
        if (!own && (await addTo(tx, '*', windowStart, what, limited))) return;
        await tx.execute(
          sql`insert into audit_log (at, actor_type, actor_id, action, subject_type, subject_id, detail)
              values (${at.toISOString()}::timestamptz, 'system', null, 'auth.refused', 'source',
                      ${own ? source : '*'},
                      jsonb_build_object('count', 1, ${what}::text, 1, 'limited', ${limited ? 1 : 0}::int))`,
        );
      });
    },
  };
}
