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
  /** Resolves when nothing is running or waiting (for shutdown: the votes already answered "pending"). */
  settled(): Promise<void>;
  /** Votes running and waiting, for metrics and tests. */
  size(): number;
}

/** Votes cast at once: the pool has 10 connections, and keeps 2 for the rest. */
export const voteQueueWidth = 8;

/** Casts at most `width` votes at once, the rest in the order they came. */
export function createVoteQueue(width = voteQueueWidth): VoteQueue {
  const waiting: (() => void)[] = [];
  let running = 0;
  let idle: (() => void)[] = [];

  /** A finished vote hands its place to the first one waiting, or gives it up. */
  const next = () => {
    const start = waiting.shift();
    if (start) return start();
    running--;
    if (running > 0) return;
    for (const resolve of idle) resolve();
    idle = [];
  };

  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= width) await new Promise<void>((resolve) => waiting.push(resolve));
      // A place handed on by `next` is counted already.
      else running++;
      try {
        return await work();
      } finally {
        next();
      }
    },
    settled() {
      return running === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((r) => idle.push(r));
    },
    size: () => running + waiting.length,
  };
}
