/**
 * The server's working parts over one database: the HTTP app, the channels, and the jobs that
 * process the inbox, dispatch the outbox and end abandoned conversations. Runtimes start and stop
 * them. Built from one `Ctx` by small builders: `services-channels.ts` (the channels and limits),
 * `services-jobs.ts` (a step of each job and the table both runtimes run them by) and
 * `services-intake.ts` (where every channel's messages come in).
 */
import type { Channel } from '../../bots/core/channel.ts';
import type { SendLimiter } from '../../bots/core/rate-limiter.ts';
import type { LarkCrypto } from '../../bots/lark/crypto.ts';
import type { startLarkLongConnection } from '../../bots/lark/long-connection.ts';
import type { LarkMemo } from '../../bots/lark/sender.ts';
import type { LarkAppCredentials, LarkTransport } from '../../bots/lark/transport.ts';
import type { Db } from '../../db/handle.ts';
import { createEngine } from '../../flows/engine/engine.ts';
import { commands, flows } from '../../flows/registry.ts';
import type { ChatMembers } from '../domains/polls/store.ts';
import { createApp } from '../http/app.ts';
import { clientSource, type PeerAddress } from '../http/client-address.ts';
import { linkBase } from '../http/public-url.ts';
import type { Config } from '../kernel/config.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import type { Ctx, Wake, WakeableJob } from '../kernel/ctx.ts';
import type { Logger } from '../kernel/log.ts';
import { createMetrics } from '../kernel/metrics.ts';
import type { LarkConfig } from '../pipeline/channels.ts';
import { jobLoops } from './job-table.ts';
import { kindRulesOf } from './kind-rules.ts';
import { buildChannels } from './services-channels.ts';
import { buildIntake } from './services-intake.ts';
import { buildJobSteps, jobTable } from './services-jobs.ts';

export type { WakeableJob } from '../kernel/ctx.ts';

export type ServiceConfig = LarkConfig &
  Pick<
    Config,
    | 'TZ_DEFAULT'
    | 'ADMIN_TOKEN'
    | 'CONVERSATION_TIMEOUT_MINUTES'
    | 'INBOUND_PER_MINUTE'
    | 'VOTES_PER_MINUTE'
    | 'WEB_PER_ADDRESS_PER_MINUTE'
    | 'TRUST_PROXY'
    | 'OUTBOX_MAX_ATTEMPTS'
    | 'OUTBOX_LEASE_SECONDS'
    | 'INBOX_WORKERS'
    | 'HELP_ACK_HOURS'
    | 'HELP_ACK_HOURS_URGENT'
    | 'ATTACHMENT_MAX_MB'
    | 'DIRECTORY_SYNC_CRON'
    | 'MOTION_COSIGNERS'
    | 'MOTION_COSIGN_DAYS'
    | 'MOTION_ANSWER_DAYS'
    | 'SCHEDULE_CATCH_UP_MINUTES'
    | 'PUBLIC_URL'
    | 'PORT'
    | 'HOST'
    | 'DIGEST_CRON'
    | 'WEEKLY_SUMMARY_CRON'
    | 'WEB_COOKIE_SECRET'
  >;

export interface ServiceDeps {
  db: Db;
  config: ServiceConfig;
  log: Logger;
  now?: () => Date;
  /** Channels besides the web chat and Lark, which the configuration brings (WeChat, from the Node runtime). */
  channels?: readonly Channel[];
  /** Which database `db` is: sets how many inbox workers run by default. */
  databaseKind?: 'pglite' | 'postgres';
  /** Seals sensitive text before it is stored. */
  keyRing: KeyRing;
  /** The WeChat login QR code while one is waiting to be scanned (the console shows it). */
  wechatQr?: () => string | null;
  /** Chart.js's browser build: read from the installed package on Node, bundled on Workers. */
  chartScript: () => Promise<string>;
  /** The runtime's crypto for Lark requests (Web Crypto when not given). */
  larkCrypto?: LarkCrypto;
  /** How the Lark client reaches the Open API: the official SDK on Node, fetch (the default) elsewhere. */
  larkTransport?: (credentials: LarkAppCredentials) => LarkTransport;
  /** Opens Lark's long connection (LARK_MODE=ws): the official SDK, on Node only. */
  larkLongConnection?: typeof startLarkLongConnection;
  /**
   * Told whenever work was queued for a job, besides waking that job's loop. Runtimes without
   * loops (Workers) run the named jobs once the request has been answered.
   */
  onWake?: (job: WakeableJob) => void;
  /**
   * Takes each broadcast batch's outbox rows (by uuid) to send elsewhere (a Workers queue). Bulk
   * rows are then left to it for BULK_HANDOFF_SECONDS before the dispatcher sends them itself.
   */
  handOffBroadcast?: (uuids: string[]) => Promise<void>;
  /**
   * Keep the limits in the database, shared by every instance, instead of in this process: the
   * Lark send limits, the per-person limits on messages and poll answers, the per-address limit
   * of the web chat, and the memory of poll answers by code. For Workers (every invocation is a
   * fresh instance) and for several Node servers on one PostgreSQL.
   */
  sharedLimits?: boolean;
  /** Where Lark's send limits are kept; unset, in the database when `sharedLimits`, else in memory. */
  sendLimiter?: SendLimiter;
  /** What the Lark client learns once and may keep beyond this instance (plain data). */
  larkMemo?: LarkMemo;
  /** The address a request came from as this runtime sees it (the socket on Node, CF-Connecting-IP on Workers). */
  peerAddress?: PeerAddress;
  /** How long a poll card press may take before it is answered "still being processed" (ms; 1 s unless given). */
  cardAnswerMs?: number;
}

/** How long a broadcast batch handed off is left to its taker before the dispatcher steps in. */
export const bulkHandoffSeconds = 120;

/**
 * The wake-ups of the jobs. They reach the loops once those exist (`attach`); a runtime without
 * loops (Workers) is told by `onWake` and runs the woken jobs itself.
 */
function wakeOf(onWake: ((job: WakeableJob) => void) | undefined) {
  let kick: (job: WakeableJob) => void = () => {};
  const wakeUp = (job: WakeableJob) => () => {
    kick(job);
    onWake?.(job);
  };
  const wake: Wake = {
    inbox: wakeUp('inbox'),
    outbox: wakeUp('outbox'),
    news: wakeUp('news'),
    polls: wakeUp('polls'),
  };
  return {
    wake,
    attach(kicks: (job: WakeableJob) => void) {
      kick = kicks;
    },
  };
}

export function createServices(deps: ServiceDeps) {
  const { config } = deps;
  const waking = wakeOf(deps.onWake);
  const ctx: Ctx = {
    db: deps.db,
    now: deps.now ?? (() => new Date()),
    timeZone: config.TZ_DEFAULT,
    keys: deps.keyRing,
    log: deps.log,
    metrics: createMetrics(),
    publicUrl: linkBase(config),
    wake: waking.wake,
  };
  const engine = createEngine({ flows, commands, timeoutMinutes: config.CONVERSATION_TIMEOUT_MINUTES });
  const { web, lark, channels, limits } = buildChannels(ctx, deps);
  const chatMembers: ChatMembers = async (channel, chatId) =>
    (await channels.find((c) => c.name === channel)?.members?.(chatId)) ?? null;
  const motionRules = {
    cosigners: config.MOTION_COSIGNERS,
    cosignDays: config.MOTION_COSIGN_DAYS,
    answerDays: config.MOTION_ANSWER_DAYS,
  };
  // What each kind of item adds to a move beyond its lifecycle.
  const kindRules = kindRulesOf(motionRules);
  const jobs = buildJobSteps(ctx, deps, { engine, channels, motionRules, kindRules, chatMembers });
  const table = jobTable(ctx, deps, jobs);
  const running = jobLoops(table, ctx.log);
  waking.attach(running.kick);
  const intake = buildIntake(ctx, config, { limits, chatMembers });
  const app = createApp(ctx, {
    adminToken: config.ADMIN_TOKEN,
    channelRoutes: channels.flatMap((channel) => (channel.routes ? [channel.routes(intake)] : [])),
    kindRules,
    runSchedule: jobs.runSchedule,
    chartScript: deps.chartScript,
    wechatQr: deps.wechatQr ?? (() => null),
    directories: channels.flatMap((c) => (c.directory ? [c.directory.channel] : [])),
    fileMaxBytes: config.ATTACHMENT_MAX_MB * 1_048_576,
    sourceOf: clientSource(deps.peerAddress ?? (() => undefined), config.TRUST_PROXY),
  });

  return {
    app,
    ctx,
    /** The web chat's wake-ups of waiting pages. */
    hub: web.hub,
    metrics: ctx.metrics,
    /** Where every channel's messages come in. */
    intake,
    /** Wakes the jobs after work was queued for them. */
    wake: ctx.wake,
    /** Every channel this server speaks; those with `start` are started by the runtime. */
    channels,
    /** Lark, when it is configured. */
    lark,
    /** Resolves when the work channels took in and answered early is done (Lark's card votes). */
    votesSettled: () => Promise.all(channels.map((c) => c.settled?.())).then(() => undefined),
    /** Card votes not yet cast (running or waiting). */
    votesWaiting: () => channels.reduce((n, c) => n + (c.pending?.() ?? 0), 0),
    /** One step of each job, for tests and tools that drive the work by hand. */
    jobs,
    /** The jobs as both runtimes run them. */
    jobTable: table,
    /** Runs the jobs that go by the minute (the schedule tick), waking the outbox when they queued anything. */
    tickSchedules: running.minute,
    startJobs: () => {
      for (const loop of running.loops) loop.start();
    },
    stopJobs: () => Promise.all(running.loops.map((loop) => loop.stop())).then(() => undefined),
  };
}

export type Services = ReturnType<typeof createServices>;
