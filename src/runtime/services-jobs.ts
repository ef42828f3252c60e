/**
 * The server's jobs: one step of each (processing the inbox, sending the outbox, ending abandoned
 * conversations, deadlines, schedules, news and polls), and the table both runtimes run them by.
 */

import type { Channel } from '../../bots/core/channel.ts';
import type { ChannelName, ChannelSender } from '../../bots/core/messenger.ts';
import type { ScheduleKind } from '../../db/schema/index.ts';
import type { Engine } from '../../flows/engine/engine.ts';
import { digestScheduleHandler, weeklyScheduleHandler } from '../domains/digest/schedule-handlers.ts';
import { createHelpEscalation } from '../domains/help/escalation.ts';
import { createFileFetch } from '../domains/items/file-fetch.ts';
import { sweepLooseFiles } from '../domains/items/files.ts';
import type { KindRules } from '../domains/items/kind-rules.ts';
import { launderAnonymousItems, sealAllLegacyAuthors } from '../domains/items/launder.ts';
import { convertUnsupportedMotions } from '../domains/motions/conversion.ts';
import { createNewsBroadcast } from '../domains/news/broadcast.ts';
import { createDirectorySync, directorySyncScheduleHandler } from '../domains/people/directory-sync.ts';
import { createPollJobs } from '../domains/polls/jobs.ts';
import { pollScheduleHandler } from '../domains/polls/schedule-handler.ts';
import type { ChatMembers } from '../domains/polls/store.ts';
import { messageScheduleHandler, remindersScheduleHandler } from '../domains/schedules/handlers.ts';
import { ensureSystemSchedules } from '../domains/schedules/system.ts';
import type { MotionRules } from '../kernel/config.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { createExpirySweep } from '../pipeline/conversation-expiry.ts';
import { createInboxProcessor } from '../pipeline/inbox-processor.ts';
import { createIntakePressure, inboxWorkerPause } from '../pipeline/intake-pressure.ts';
import { createOutboxDispatcher } from '../pipeline/outbox-dispatcher.ts';
import { sweepPersonLimits } from '../pipeline/person-limits.ts';
import type { ScheduleHandler } from '../pipeline/schedules/handler.ts';
import { createRunNow, createScheduleTick } from '../pipeline/schedules/tick.ts';
import { sweepSendBudget } from '../pipeline/send-budget.ts';
import { redactIncoming } from '../pipeline/web-history.ts';
import { effectHandlers } from './effects.ts';
import type { JobRow } from './job-table.ts';
import { bulkHandoffSeconds, type ServiceDeps } from './services.ts';

export interface JobParts {
  engine: Engine;
  channels: readonly Channel[];
  motionRules: MotionRules;
  kindRules: KindRules;
  chatMembers: ChatMembers;
}

/**
 * A handler for every kind of schedule, each from the capability it belongs to: a kind without
 * one does not compile. The tick and run-now look them up by a schedule's kind.
 */
function createScheduleHandlers(
  ctx: Ctx,
  reminders: { engine: Engine; conversationTimeoutMinutes: number },
): ReadonlyMap<ScheduleKind, ScheduleHandler> {
  const handlers: Record<ScheduleKind, ScheduleHandler> = {
    message: messageScheduleHandler(ctx),
    digest: digestScheduleHandler(ctx),
    weekly_summary: weeklyScheduleHandler(ctx),
    poll: pollScheduleHandler,
    reminders: remindersScheduleHandler(ctx, reminders),
    directory_sync: directorySyncScheduleHandler,
  };
  return new Map(Object.entries(handlers) as [ScheduleKind, ScheduleHandler][]);
}

/** One step of each job, for the table and for tests and tools that drive the work by hand. */
export function buildJobSteps(ctx: Ctx, deps: ServiceDeps, parts: JobParts) {
  const { db, now, keys, timeZone } = ctx;
  const { config } = deps;
  const { engine, motionRules } = parts;
  const processNext = createInboxProcessor(ctx, {
    effects: effectHandlers,
    engine,
    helpAck: { normal: config.HELP_ACK_HOURS, urgent: config.HELP_ACK_HOURS_URGENT },
    motionRules,
    kindRules: parts.kindRules,
    fileMaxBytes: config.ATTACHMENT_MAX_MB * 1_048_576,
    redactors: new Map([['web', (tx, inbound) => redactIncoming(tx, inbound.chat.id, inbound.dedupeKey)]]),
  });
  const dispatch = createOutboxDispatcher(ctx, {
    senders: new Map<ChannelName, ChannelSender>(parts.channels.map((c) => [c.name, c.sender])),
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    ...(deps.handOffBroadcast ? { bulkHandoffSeconds } : {}),
  });
  const expire = createExpirySweep(ctx, { engine });
  const directories = parts.channels.flatMap((c) => (c.directory ? [c.directory] : []));
  const syncDirectory = createDirectorySync(ctx, directories);
  const fetchFiles = createFileFetch(ctx, {
    sources: new Map(parts.channels.flatMap((c) => (c.files ? [[c.name, c.files] as const] : []))),
    maxBytes: config.ATTACHMENT_MAX_MB * 1_048_576,
  });
  let legacyAuthorsSealed = false;
  /** Ends abandoned forms; and launders anonymous items a crash left waiting (and, once, seals older ones). */
  const sweep = async () => {
    if (!legacyAuthorsSealed) {
      await sealAllLegacyAuthors(db, keys);
      legacyAuthorsSealed = true;
    }
    await launderAnonymousItems(db);
    await sweepLooseFiles(db, now(), config.CONVERSATION_TIMEOUT_MINUTES);
    return expire();
  };
  const escalate = createHelpEscalation(ctx);
  const scheduleHandlers = createScheduleHandlers(ctx, {
    engine,
    conversationTimeoutMinutes: config.CONVERSATION_TIMEOUT_MINUTES,
  });
  const onRun = (kind: string, outcome: 'claimed' | 'missed' | 'manual' | 'failed') =>
    ctx.metrics.count('tongxin_schedule_runs_total', { kind: kind.slice(0, 40), outcome });
  const runSchedule = createRunNow(ctx, { handlers: scheduleHandlers, onRun });
  const tick = createScheduleTick(ctx, {
    handlers: scheduleHandlers,
    onRun,
    prepare: (at) =>
      ensureSystemSchedules(db, {
        digestCron: config.DIGEST_CRON,
        weeklyCron: config.WEEKLY_SUMMARY_CRON,
        ...(directories.length > 0 ? { directoryCron: config.DIRECTORY_SYNC_CRON } : {}),
        timeZone,
        now: at,
      }),
    catchUpMinutes: config.SCHEDULE_CATCH_UP_MINUTES,
  });
  const broadcast = createNewsBroadcast(ctx, {
    ...(deps.handOffBroadcast ? { handOff: deps.handOffBroadcast } : {}),
  });
  const polls = createPollJobs(ctx, { chatMembers: parts.chatMembers });
  const convertMotions = () => convertUnsupportedMotions(db, keys, now(), motionRules, timeZone);
  return {
    processNext,
    dispatch,
    sweep,
    escalate,
    convertMotions,
    tick,
    broadcast,
    runSchedule,
    polls,
    syncDirectory,
    fetchFiles,
  };
}

export type JobSteps = ReturnType<typeof buildJobSteps>;

/** A row that clears what is past its use, once a minute, and queues nothing. */
const minuteSweep = (name: string, run: () => Promise<unknown>): JobRow => ({
  name,
  step: async () => {
    await run();
    return 0;
  },
  drains: false,
  cadence: { idleMs: 60_000 },
  feedsOutbox: false,
});

/**
 * The table: in the order a Worker's minute runs it. Several inbox workers only help where the
 * database runs statements side by side (PostgreSQL); the claim keeps each conversation with one
 * worker and in order. Two outbox senders, so one claims the next batch while the other's sends
 * wait on the rate limits; a chat's messages still go one at a time, in order.
 */
export function jobTable(ctx: Ctx, deps: ServiceDeps, jobs: JobSteps): JobRow[] {
  const inboxWorkers = deps.config.INBOX_WORKERS ?? (deps.databaseKind === 'postgres' ? 4 : 1);
  const pressure = createIntakePressure();
  return [
    { name: 'schedule', step: jobs.tick, drains: false, cadence: 'minute', feedsOutbox: true },
    { name: 'expiry', step: jobs.sweep, drains: true, cadence: { idleMs: 30_000 }, feedsOutbox: true },
    {
      name: 'deadlines',
      step: async () => (await jobs.escalate()) + (await jobs.convertMotions()),
      // One pass a minute is on time for deadlines counted in hours.
      drains: false,
      cadence: { idleMs: 60_000 },
      feedsOutbox: true,
    },
    // Shared send limits and counts of refused sign-ins older than an hour go, and shared
    // per-person counts and delivery memory once past their use: two rows, so one failing
    // leaves the other to run.
    minuteSweep('send-budget', () => sweepSendBudget(ctx.db)),
    minuteSweep('person-limits', () => sweepPersonLimits(ctx.db, ctx.now())),
    // A directory sync asked for (by its schedule or an admin) is looked for every minute.
    {
      name: 'directory',
      step: async () => Number(await jobs.syncDirectory()),
      drains: false,
      cadence: { idleMs: 60_000 },
      feedsOutbox: true,
    },
    // Photos and files people sent in a channel, fetched once a draft or item took them.
    {
      name: 'files',
      step: jobs.fetchFiles,
      drains: true,
      cadence: { idleMs: 2000 },
      feedsOutbox: true,
    },
    // Sent items are checked for every few seconds: a scheduled one goes out on time, and a
    // broadcast waiting for the outbox to drain continues soon after.
    {
      name: 'polls',
      step: jobs.polls,
      drains: true,
      cadence: { idleMs: 5000 },
      wakeable: 'polls',
      feedsOutbox: true,
    },
    {
      name: 'inbox',
      step: async () => Number(await jobs.processNext()),
      drains: true,
      cadence: { idleMs: 1000, workers: inboxWorkers, pause: (i) => inboxWorkerPause(pressure, i) },
      wakeable: 'inbox',
      onWake: () => pressure.note(),
      feedsOutbox: true,
    },
    {
      name: 'news',
      step: jobs.broadcast,
      drains: true,
      cadence: { idleMs: 5000 },
      wakeable: 'news',
      feedsOutbox: true,
    },
    {
      name: 'outbox',
      step: () => jobs.dispatch(),
      drains: true,
      cadence: { idleMs: 1000, workers: 2 },
      wakeable: 'outbox',
      feedsOutbox: false,
    },
  ];
}
