/**
 * The jobs where nothing runs in the background (Cloudflare Workers). After a request: the jobs
 * it woke. Every minute (a Cron Trigger): the schedule tick and every job. For a queue message:
 * the broadcast rows handed to it. Each runs while there is work and time left, and leaves the
 * rest to the next minute: every job claims its work in the database (fire times, leases,
 * `SKIP LOCKED`), so any number of invocations at once share it without doing anything twice.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { outbox } from '../../db/schema/index.ts';
import { errorFields, type Logger } from '../kernel/log.ts';
import type { JobRow } from './job-table.ts';
import { bulkHandoffSeconds, type Services, type WakeableJob } from './services.ts';

export interface JobRun {
  services: Pick<Services, 'jobs' | 'jobTable'>;
  db: Db;
  log: Logger;
  /** Date.now() past which no new step starts. */
  deadline: number;
  /** Broadcast batches are handed to a queue consumer rather than sent here. */
  handedOff?: boolean;
  /** Waits between looks while a handed-off broadcast drains (real time unless a test says). */
  sleep?: (ms: number) => Promise<void>;
}

/** News and the outbox run last and in turns (`sendNews`), whatever their place in the table. */
const inTurns = new Set(['news', 'outbox']);

/** Runs one row of the job table: again while it finds work if it drains, else once. */
function runRow(run: JobRun, row: JobRow): Promise<number> {
  return row.drains ? steps(run, row.name, row.step) : guarded(run, row.name, row.step);
}

/** After a request: runs what it woke, in the table's order, then sends what that queued. */
export async function runWoken(run: JobRun, woken: ReadonlySet<WakeableJob>): Promise<void> {
  if (woken.size === 0) return;
  for (const row of run.services.jobTable) {
    if (row.wakeable && woken.has(row.wakeable) && !inTurns.has(row.name)) await runRow(run, row);
  }
  if (woken.has('news')) await sendNews(run, { waitForHandOff: false });
  await steps(run, 'outbox', () => run.services.jobs.dispatch());
}

/** Every minute: every row of the job table in its order, then news and the outbox in turns. */
export async function runMinute(run: JobRun): Promise<void> {
  for (const row of run.services.jobTable) {
    if (!inTurns.has(row.name)) await runRow(run, row);
  }
  await sendNews(run, { waitForHandOff: true });
}

/**
 * A queue message: sends the handed-off rows that are due (the rest stay for the dispatcher).
 * `finished` is false when time ran out first. Not guarded: a failure is the message's, so the
 * queue delivers it again.
 */
export async function sendHandedOff(
  run: JobRun,
  uuids: readonly string[],
): Promise<{ sent: number; finished: boolean }> {
  let sent = 0;
  while (Date.now() < run.deadline) {
    const n = await run.services.jobs.dispatch({ uuids });
    if (n === 0) return { sent, finished: true };
    sent += n;
  }
  return { sent, finished: false };
}

/**
 * Queues news batches and sends the outbox, in turns, until both are idle. With a queue taking the
 * batches, a minute's run keeps feeding it while an item is still going out and the outbox is full.
 */
async function sendNews(run: JobRun, opts: { waitForHandOff: boolean }) {
  const { jobs } = run.services;
  const sleep = run.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  while (Date.now() < run.deadline) {
    let failed = false;
    const queued = await guarded(run, 'news', jobs.broadcast, () => {
      failed = true;
    });
    const sent = await steps(run, 'outbox', () => jobs.dispatch());
    if (failed) return;
    if (queued > 0 || sent > 0) continue;
    // Waiting is worth it only while the queue consumer is working through rows handed to it.
    if (!(opts.waitForHandOff && run.handedOff && (await handedOffWaiting(run.db)))) return;
    await sleep(1000);
  }
}

/** Whether bulk rows handed to the queue are still waiting for it (not yet the dispatcher's). */
async function handedOffWaiting(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.priority, 1),
        inArray(outbox.status, ['pending', 'sending']),
        gt(outbox.createdAt, sql`now() - make_interval(secs => ${bulkHandoffSeconds})`),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Runs a step while it finds work and time is left; a failure is logged and ends this job's turn. */
function steps(run: JobRun, job: string, step: () => Promise<number>): Promise<number> {
  return guarded(run, job, () => loop(run, step));
}

async function loop(run: JobRun, step: () => Promise<number>): Promise<number> {
  let total = 0;
  while (Date.now() < run.deadline) {
    const n = await step();
    if (n === 0) break;
    total += n;
  }
  return total;
}

async function guarded(
  run: JobRun,
  job: string,
  work: () => Promise<number>,
  onError?: () => void,
): Promise<number> {
  try {
    return await work();
  } catch (error) {
    run.log.error('job.error', { job, ...errorFields(error) });
    onError?.();
    return 0;
  }
}
