/**
 * Poll votes from card buttons are cast a few at a time, in the order they came. When a thousand
 * people press a card in the same second, every vote waiting on the database together makes every
 * vote slow, and every click past Lark's 3 s becomes an error for the person; taking them in turn
 * answers the first ones at once and lets the rest wait their turn, and leaves the database's
 * other connections to messages and jobs.
 */
export interface VoteQueue {
  /** Runs `work` when fewer than the queue's width are running, first come first served. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * How long a vote queued now would wait and run at the full width, from how long the last ones
   * took (0 before any has run): a press that cannot be cast within its budget is answered at once.
   * While the queue is slowed it waits longer; the press is then answered at the end of its budget.
   */
  expectedMs(): number;
  /**
   * Casts one vote at a time for the next `ms`: while presses pour in faster than their votes can
   * be cast, reading and answering them comes first, and their votes are cast after. Called again
   * within the spell, it extends it, up to `maxSlowMs` from its start.
   */
  slowFor(ms: number): void;
  /** Resolves when nothing is running or waiting (for shutdown: the votes already answered "pending"). */
  settled(): Promise<void>;
  /** Votes running and waiting, for metrics and tests. */
  size(): number;
  /** Votes waiting for a place. */
  waiting(): number;
}

/** Votes cast at once: the pool has 10 connections, and keeps 2 for the rest. */
export const voteQueueWidth = 8;

/** How long a slow spell lasts at most, however long the presses keep pouring in. */
export const maxSlowMs = 3000;

/** Casts at most `width` votes at once, the rest in the order they came. */
export function createVoteQueue(
  width = voteQueueWidth,
  clock: () => number = () => performance.now(),
): VoteQueue {
  const waiting: (() => void)[] = [];
  let running = 0;
  let idle: (() => void)[] = [];
  /** A running average of how long one vote takes, once started. */
  let averageMs = 0;
  let slowUntil = Number.NEGATIVE_INFINITY;
  let slowSince = Number.NEGATIVE_INFINITY;
  /**
   * One at a time while slowed, for a burst's first seconds at most: a flood that goes on longer
   * is an overload, where casting at the full width keeps the queue from growing without end.
   */
  const allowed = () => {
    const now = clock();
    return now < slowUntil && now - slowSince < maxSlowMs ? 1 : width;
  };

  /** Starts those waiting, first come first served, as far as the width allows (one at least). */
  const pump = () => {
    while (waiting.length > 0 && running < allowed()) {
      running++;
      waiting.shift()!();
    }
    if (running > 0 || waiting.length > 0) return;
    for (const resolve of idle) resolve();
    idle = [];
  };

  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (waiting.length === 0 && running < allowed()) running++;
      // Counted by `pump` when it starts this one.
      else await new Promise<void>((resolve) => waiting.push(resolve));
      const started = clock();
      try {
        return await work();
      } finally {
        const took = clock() - started;
        averageMs = averageMs === 0 ? took : averageMs * 0.9 + took * 0.1;
        running--;
        pump();
      }
    },
    expectedMs() {
      // Those waiting go `width` at a time; then this one runs.
      const rounds = running < width ? 0 : Math.floor(waiting.length / width) + 1;
      return (rounds + 1) * averageMs;
    },
    slowFor(ms) {
      const now = clock();
      if (now >= slowUntil) slowSince = now;
      slowUntil = Math.max(slowUntil, now + ms);
    },
    settled() {
      return running === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((r) => idle.push(r));
    },
    size: () => running + waiting.length,
    waiting: () => waiting.length,
  };
}
