/**
 * Waits before a send so that limits such as "50 per second per app, 5 per second per chat" are
 * kept rather than refused by the platform. Sliding windows in this process; the clock and the
 * sleep come in from outside so it is testable without waiting.
 */

export interface RateLimit {
  /** Sends allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimiterDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
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
        if (times.length >= limit.limit) waitMs = Math.max(waitMs, times[0]! + limit.windowMs - now);
      }
      if (waitMs <= 0) break;
      await this.sleep(waitMs);
    }
    const at = this.now();
    for (const { key } of limits) this.sent.get(key)!.push(at);
    return {
      giveBack: () => {
        for (const { key } of limits) {
          const times = this.sent.get(key);
          const i = times?.lastIndexOf(at) ?? -1;
          if (times && i >= 0) times.splice(i, 1);
        }
      },
    };
  }
}
