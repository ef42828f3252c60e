/**
 * Waits before a send so that limits such as "50 per second per app, 5 per second per chat" are
 * kept rather than refused by the platform. Sliding windows in this process; the clock and the
 * sleep come in from outside so it is testable without waiting.
 */

export interface RateLimit {
  /** Sends allowed per window. */
  limit: number;
  windowMs: number;
  /**
   * Spread sends evenly (one per windowMs / limit) instead of in a burst at the start of each
   * window: the platform counts arrivals, and a burst that leaves on time can arrive bunched.
   */
  even?: boolean;
}

export interface RateLimiterDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Anything that hands out send slots under named limits: this process's, or one shared by instances. */
export interface SendLimiter {
  take(limits: readonly { key: string; limit: RateLimit }[]): Promise<{ giveBack(): void }>;
}

export class RateLimiter implements SendLimiter {
  private readonly sent = new Map<string, number[]>();
  /** Sends given back under an even limit, which may go without waiting their turn. */
  private readonly credits = new Map<string, number>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private queue: Promise<void> = Promise.resolve();

  constructor(deps: RateLimiterDeps = {}) {
    this.now = deps.now ?? (() => Date.now());
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Resolves when one more send under every named limit is allowed, and counts it. The result
   * gives the send back when the platform never processed it (a 5xx or a network error), so a
   * failed call does not slow the sends behind it.
   */
  take(limits: readonly { key: string; limit: RateLimit }[]): Promise<{ giveBack(): void }> {
    // One taker at a time, so two callers cannot both see the last free slot.
    const turn = this.queue.then(() => this.wait(limits));
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async wait(limits: readonly { key: string; limit: RateLimit }[]): Promise<{ giveBack(): void }> {
    for (;;) {
      const now = this.now();
      let waitMs = 0;
      for (const { key, limit } of limits) {
        const times = (this.sent.get(key) ?? []).filter((t) => t > now - limit.windowMs);
        this.sent.set(key, times);
        // An even limit is kept by the spacing alone; counting the window as well would stall
        // whenever a timer woke late, as the window then seems full a moment longer.
        if (!limit.even && times.length >= limit.limit)
          waitMs = Math.max(waitMs, times[0]! + limit.windowMs - now);
        const last = times.at(-1);
        if (limit.even && last !== undefined && !this.credits.get(key))
          waitMs = Math.max(waitMs, last + limit.windowMs / limit.limit - now);
      }
      if (waitMs <= 0) break;
      await this.sleep(waitMs);
    }
    const now = this.now();
    const taken = limits.map(({ key, limit }) => {
      const times = this.sent.get(key)!;
      const last = times.at(-1);
      const slot = limit.even && last !== undefined ? last + limit.windowMs / limit.limit : now;
      // Going ahead of the even pace spends a send given back earlier.
      if (slot > now) this.credits.set(key, (this.credits.get(key) ?? 1) - 1);
      // An even send counts at its planned slot when the timer woke a little late, so lateness
      // does not add up send after send and slow the rate below the limit.
      const at = slot <= now && now - slot < limit.windowMs / limit.limit ? slot : now;
      times.push(at);
      return { key, limit, times, at };
    });
    return {
      giveBack: () => {
        for (const { key, limit, at } of taken) {
          if (limit.even) {
            // Sends behind it are already paced: the next one may go that much sooner, once.
            // (At most a fifth of a window's worth, so they never add up to a burst.)
            const credits = Math.min(
              (this.credits.get(key) ?? 0) + 1,
              Math.max(1, Math.floor(limit.limit / 5)),
            );
            this.credits.set(key, credits);
            continue;
          }
          // The current list: each wait replaces it with the times still in the window.
          const times = this.sent.get(key) ?? [];
          const i = times.lastIndexOf(at);
          if (i >= 0) times.splice(i, 1);
        }
      },
    };
  }
}
