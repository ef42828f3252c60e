/**
 * Send limits kept in the database, so instances that share nothing else (Workers invocations,
 * several servers) share them: "50 a second per app" holds for all of them together.
 *
 * Each limit of L sends per W ms is kept as fixed windows of W/k ms with n = floor(L/(k+1)) sends
 * each. Any W-long stretch touches at most k+1 windows, so it never holds more than L sends,
 * whatever the windows' alignment; the steady rate is n·k per W (45 a second for 50, 4 for 5).
 * A take counts one send in every named limit at once, by the database's clock; when any is
 * full, the counts are given back and the take waits for that window to end.
 */
import { sql } from 'drizzle-orm';
import type { RateLimit, SendLimiter } from '../../bots/core/rate-limiter.ts';
import { type Db, queryRows } from '../../db/handle.ts';

/**
 * How a limit is cut into fixed windows: the k (at most 15, so a window is not so short that
 * sends from neighbouring windows arriving late crowd the platform's own count) that lets the
 * most through, n·k per W (the fewest windows among equals): 45 a second for 50 (9 windows of 5 in 112 ms),
 * 4 for 5, 930 a minute for 1,000.
 */
export function windowsFor(limit: RateLimit): { windowMs: number; perWindow: number } {
  if (limit.limit <= 1) return { windowMs: limit.windowMs * 2, perWindow: 1 };
  let best = { k: 1, perWindow: Math.floor(limit.limit / 2) };
  for (let k = 2; k <= Math.min(15, limit.limit - 1); k++) {
    const perWindow = Math.floor(limit.limit / (k + 1));
    if (perWindow * k > best.perWindow * best.k) best = { k, perWindow };
  }
  // Rounded up: a window a little short would let a W-long stretch touch k+2 of them.
  return { windowMs: Math.ceil(limit.windowMs / best.k), perWindow: best.perWindow };
}

interface Counted {
  key: string;
  used: number;
  window_start: string;
  wait_ms: number;
}

export class SharedSendBudget implements SendLimiter {
  constructor(
    private readonly db: Db,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * Resolves once a send fits every limit; `windows` says when the window it was counted in began
   * for each limit (by its key), by the database's clock.
   */
  async take(
    limits: readonly { key: string; limit: RateLimit }[],
  ): Promise<{ giveBack(): void; windows: Record<string, number> }> {
    const cut = limits.map(({ key, limit }) => {
      const { windowMs, perWindow } = windowsFor(limit);
      return { limitKey: key, key: `${key}@${windowMs}`, windowMs, perWindow };
    });
    for (;;) {
      const rows = await queryRows<Counted>(
        this.db,
        sql`insert into send_budget (key, window_start, window_ms, used)
            select t.k, to_timestamp(floor(extract(epoch from clock_timestamp()) * 1000 / t.w) * t.w / 1000.0), t.w, 1
            from (values ${sql.join(
              cut.map((c) => sql`(${c.key}::text, ${c.windowMs}::int)`),
              sql`, `,
            )}) as t(k, w)
            on conflict (key) do update set
              -- A take that read the clock before a newer window began counts in the newer one.
              used = case when excluded.window_start > send_budget.window_start
                          then 1 else send_budget.used + 1 end,
              window_start = greatest(send_budget.window_start, excluded.window_start),
              window_ms = excluded.window_ms
            returning key, used, window_start::text,
              greatest(0, ceil(extract(epoch from window_start) * 1000 + window_ms
                               - extract(epoch from clock_timestamp()) * 1000))::int as wait_ms`,
      );
      const full = rows.filter((row) => row.used > (cut.find((c) => c.key === row.key)?.perWindow ?? 0));
      if (full.length === 0)
        return {
          giveBack: () => void this.giveBack(rows).catch(() => undefined),
          windows: Object.fromEntries(
            rows.map((row) => [
              cut.find((c) => c.key === row.key)?.limitKey ?? row.key,
              Date.parse(row.window_start),
            ]),
          ),
        };
      await this.giveBack(rows);
      await this.sleep(Math.max(1, ...full.map((row) => row.wait_ms)));
    }
  }

  /** Uncounts these sends, in the windows they were counted in (a later window is left alone). */
  private async giveBack(rows: readonly Counted[]): Promise<void> {
    for (const row of rows)
      await this.db.execute(
        sql`update send_budget set used = greatest(0, used - 1)
            where key = ${row.key} and window_start = ${row.window_start}::timestamptz`,
      );
  }
}

/** Drops the counts of keys not used for an hour (one row per chat ever sent to, otherwise). */
export async function sweepSendBudget(db: Db): Promise<void> {
  await db.execute(sql`delete from send_budget where window_start < now() - interval '1 hour'`);
}
