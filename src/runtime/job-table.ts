/**
 * The server's background jobs as one table, read by both runtimes. On Node each row is a loop
 * that runs while it finds work and sleeps until woken or its idle time passes (the schedule tick
 * runs on every wall-clock minute instead). On Workers, nothing runs in the background: a minute's
 * Cron Trigger runs the rows in order, and a request runs the rows it woke
 * (`worker-jobs.ts`). Every job claims its work in the database, so any number of loops and
 * invocations share it without doing anything twice.
 */
import type { WakeableJob } from '../kernel/ctx.ts';
import type { Logger } from '../kernel/log.ts';
import { createLoop, type Loop } from '../pipeline/loop.ts';

export interface JobRow {
  name: string;
  /** One step of work; how much it did (0 when there was none). */
  step: () => Promise<number>;
  /** Whether a step that found work is followed at once by another (else once per turn). */
  drains: boolean;
  /** When Node runs it: a loop resting `idleMs` when idle (with `workers` side by side), or each minute. */
  cadence: 'minute' | { idleMs: number; workers?: number; pause?: (worker: number) => number };
  /** The wake-up a request can give it, and what else happens when it is woken. */
  wakeable?: WakeableJob;
  onWake?: () => void;
  /** Whether its work leaves messages in the outbox, which is then woken. */
  feedsOutbox: boolean;
}

/** The loops of a table's rows, and the kicks that wake them. */
export interface JobLoops {
  loops: Loop[];
  kick(job: WakeableJob): void;
  /** Runs the rows that go by the minute, waking the outbox when they queued anything. */
  minute(): Promise<void>;
}

export function jobLoops(table: readonly JobRow[], log: Logger): JobLoops {
  const byJob = new Map<WakeableJob, Loop[]>();
  const kickOutbox = () => {
    for (const loop of byJob.get('outbox') ?? []) loop.kick();
  };
  const loops = table.flatMap((row) => {
    const { cadence } = row;
    if (cadence === 'minute') return [];
    const count = cadence.workers ?? 1;
    const made = Array.from({ length: count }, (_, i) =>
      createLoop(
        cadence.workers !== undefined ? `${row.name}-${i + 1}` : row.name,
        async () => {
          const n = await row.step();
          if (n > 0 && row.feedsOutbox) kickOutbox();
          return row.drains ? n : 0;
        },
        { idleMs: cadence.idleMs, log, ...(cadence.pause ? { pause: () => cadence.pause!(i) } : {}) },
      ),
    );
    if (row.wakeable) byJob.set(row.wakeable, made);
    return made;
  });
  const rowOf = new Map(table.flatMap((row) => (row.wakeable ? [[row.wakeable, row] as const] : [])));
  return {
    loops,
    kick(job) {
      rowOf.get(job)?.onWake?.();
      for (const loop of byJob.get(job) ?? []) loop.kick();
    },
    async minute() {
      for (const row of table) {
        if (row.cadence !== 'minute') continue;
        if ((await row.step()) > 0 && row.feedsOutbox) kickOutbox();
      }
    },
  };
}
