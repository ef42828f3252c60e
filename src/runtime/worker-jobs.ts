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
import { sweepPersonLimits } from '../pipeline/person-limits.ts';
import { sweepSendBudget } from '../pipeline/send-budget.ts';
import { bulkHandoffSeconds, type Services, type WakeableJob } from './services.ts';

export interface JobRun {
  services: Pick<Services, 'jobs' | 'tickSchedules'>;
  db: Db;
  log: Logger;
  /** Date.now() past which no new step starts. */
  deadline: number;
  /** Broadcast batches are handed to a queue consumer rather than sent here. */
  handedOff?: boolean;
  /** Waits between looks while a handed-off broadcast drains (real time unless a test says). */
  sleep?: (ms: number) => Promise<void>;
}

/** After a request: runs what it woke, then sends what that queued. */
export async function runWoken(run: JobRun, woken: ReadonlySet<WakeableJob>): Promise<void> {
  if (woken.size === 0) return;
  const { jobs } = run.services;
  if (woken.has('inbox')) await steps(run, 'inbox', async () => Number(await jobs.processNext()));
  if (woken.has('polls')) await steps(run, 'polls', jobs.polls);
  if (woken.has('news')) await sendNews(run, { waitForHandOff: false });
  await steps(run, 'outbox', () => jobs.dispatch());
}

/** Every minute: the schedule tick, the deadline jobs, polls, leftovers, then news and the outbox. */
export async function runMinute(run: JobRun): Promise<void> {
  const { jobs } = run.services;
  await once(run, 'schedule', () => run.services.tickSchedules());
  await once(run, 'expiry', jobs.sweep);
  await once(run, 'deadlines', async () => (await jobs.escalate()) + (await jobs.convertMotions()));
  await once(run, 'send-budget', () => sweepSendBudget(run.db));
  await once(run, 'person-limits', () => sweepPersonLimits(run.db, new Date()));
  await steps(run, 'polls', jobs.polls);
  await steps(run, 'inbox', async () => Number(await jobs.processNext()));
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

async function once(run: JobRun, job: string, step: () => Promise<unknown>): Promise<void> {
  await guarded(run, job, async () => {
    await step();
    return 0;
  });
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
