/**
 * The server's working parts over one database: the HTTP app, and the jobs that process the
 * inbox, dispatch the outbox and end abandoned conversations. Runtimes start and stop them.
 */
import type { Channel } from '../../bots/core/channel.ts';
import type { ChannelName, ChannelSender } from '../../bots/core/messenger.ts';
import type { SendLimiter } from '../../bots/core/rate-limiter.ts';
import type { LarkCrypto } from '../../bots/lark/crypto.ts';
import type { startLarkLongConnection } from '../../bots/lark/long-connection.ts';
import type { LarkMemo } from '../../bots/lark/sender.ts';
import type { LarkAppCredentials, LarkTransport } from '../../bots/lark/transport.ts';
import { createWebChannel } from '../../bots/web/index.ts';
import type { Db } from '../../db/handle.ts';
import { createEngine } from '../../flows/engine/engine.ts';
import { commands, flows } from '../../flows/registry.ts';
import { createHelpEscalation } from '../domains/help/escalation.ts';
import { launderAnonymousItems, sealAllLegacyAuthors } from '../domains/items/launder.ts';
import { convertUnsupportedMotions } from '../domains/motions/conversion.ts';
import { createNewsBroadcast } from '../domains/news/broadcast.ts';
import { createGroupMember } from '../domains/polls/group-member.ts';
import { createPollHook } from '../domains/polls/intake-hook.ts';
import { createPollJobs } from '../domains/polls/jobs.ts';
import type { ChatMembers } from '../domains/polls/store.ts';
import { createScheduleHandlers } from '../domains/schedules/handlers.ts';
import { ensureSystemSchedules } from '../domains/schedules/system.ts';
import { createRunNow, createScheduleTick } from '../domains/schedules/tick.ts';
import { createApp } from '../http/app.ts';
import { clientSource, type PeerAddress } from '../http/client-address.ts';
import { linkBase } from '../http/public-url.ts';
import type { Config } from '../kernel/config.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import { visitorSigner } from '../kernel/crypto/visitor-signer.ts';
import type { Logger } from '../kernel/log.ts';
import { createMetrics } from '../kernel/metrics.ts';
import { channelLog, type LarkConfig, larkChannelOf, webShortcuts } from '../pipeline/channels.ts';
import { createExpirySweep } from '../pipeline/conversation-expiry.ts';
import { FloodGuard, type PersonLimit } from '../pipeline/flood-guard.ts';
import { createInboxProcessor } from '../pipeline/inbox-processor.ts';
import { createChannelInboxWriters } from '../pipeline/inbox-writer.ts';
import { createIntake } from '../pipeline/intake.ts';
import { createIntakePressure, inboxWorkerPause } from '../pipeline/intake-pressure.ts';
import { createLoop } from '../pipeline/loop.ts';
import { createOutboxDispatcher } from '../pipeline/outbox-dispatcher.ts';
import { SharedPersonLimit, SharedRecentKeys, sweepPersonLimits } from '../pipeline/person-limits.ts';
import { RecentKeys } from '../pipeline/recent-keys.ts';
import { SharedSendBudget, sweepSendBudget } from '../pipeline/send-budget.ts';
import { createWebHistory, redactIncoming, storeIncoming } from '../pipeline/web-history.ts';
import { effectHandlers } from './effects.ts';

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

/** The jobs a request can wake. */
export type WakeableJob = 'inbox' | 'outbox' | 'news' | 'polls';

export function createServices(deps: ServiceDeps) {
  const { db, config, log } = deps;
  const now = deps.now ?? (() => new Date());
  const metrics = createMetrics();
  const engine = createEngine({ flows, commands, timeoutMinutes: config.CONVERSATION_TIMEOUT_MINUTES });
  const publicUrl = linkBase(config);
  // One count per person across every channel (of every instance, when the limits are shared).
  const personLimit = (name: string, perMinute: number): PersonLimit =>
    deps.sharedLimits
      ? new SharedPersonLimit(db, deps.keyRing, name, perMinute, now)
      : new FloodGuard(perMinute, () => now().getTime());
  const web = createWebChannel({
    history: createWebHistory(db, deps.keyRing),
    signer: visitorSigner(config.WEB_COOKIE_SECRET, deps.keyRing),
    log: channelLog(log),
    now,
    timeZone: config.TZ_DEFAULT,
    publicUrl,
    shortcuts: webShortcuts,
    addressLimit: personLimit('address', config.WEB_PER_ADDRESS_PER_MINUTE),
    sourceOf: clientSource(deps.peerAddress ?? (() => undefined), config.TRUST_PROXY),
  });
  const lark = larkChannelOf(config, {
    log,
    metrics,
    now,
    ...(deps.larkCrypto ? { crypto: deps.larkCrypto } : {}),
    ...(deps.larkTransport ? { transport: deps.larkTransport } : {}),
    ...(deps.sendLimiter || deps.sharedLimits
      ? { sendLimiter: deps.sendLimiter ?? new SharedSendBudget(db) }
      : {}),
    ...(deps.larkMemo ? { memo: deps.larkMemo } : {}),
    ...(deps.larkLongConnection ? { longConnection: deps.larkLongConnection } : {}),
    ...(deps.cardAnswerMs !== undefined ? { cardAnswerMs: deps.cardAnswerMs } : {}),
  });
  const channels: Channel[] = [web, ...(lark ? [lark] : []), ...(deps.channels ?? [])];
  const senders = new Map<ChannelName, ChannelSender>(channels.map((c) => [c.name, c.sender]));

  const motionRules = {
    cosigners: config.MOTION_COSIGNERS,
    cosignDays: config.MOTION_COSIGN_DAYS,
    answerDays: config.MOTION_ANSWER_DAYS,
  };
  const processNext = createInboxProcessor({
    effects: effectHandlers,
    db,
    engine,
    log,
    timeZone: config.TZ_DEFAULT,
    now,
    keyRing: deps.keyRing,
    helpAckHours: config.HELP_ACK_HOURS,
    motionRules,
    publicUrl,
    redactors: new Map([['web', (tx, inbound) => redactIncoming(tx, inbound.chat.id, inbound.dedupeKey)]]),
  });
  const dispatch = createOutboxDispatcher({
    db,
    senders,
    log,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
    sealer: deps.keyRing,
    metrics,
    ...(deps.handOffBroadcast ? { bulkHandoffSeconds } : {}),
  });
  const expire = createExpirySweep({
    db,
    engine,
    log,
    timeZone: config.TZ_DEFAULT,
    now,
    keyRing: deps.keyRing,
  });
  let legacyAuthorsSealed = false;
  /** Ends abandoned forms; and launders anonymous items a crash left waiting (and, once, seals older ones). */
  const sweep = async () => {
    if (!legacyAuthorsSealed) {
      await sealAllLegacyAuthors(db, deps.keyRing);
      legacyAuthorsSealed = true;
    }
    await launderAnonymousItems(db);
    return expire();
  };
  const escalate = createHelpEscalation({
    db,
    log,
    now,
    ackHours: config.HELP_ACK_HOURS,
    keyRing: deps.keyRing,
  });
  const scheduleHandlers = createScheduleHandlers({
    engine,
    timeZone: config.TZ_DEFAULT,
    conversationTimeoutMinutes: config.CONVERSATION_TIMEOUT_MINUTES,
    keyRing: deps.keyRing,
  });
  const onRun = (kind: string, outcome: 'claimed' | 'missed' | 'manual' | 'failed') =>
    metrics.count('tongxin_schedule_runs_total', { kind: kind.slice(0, 40), outcome });
  const runSchedule = createRunNow({ db, log, now, handlers: scheduleHandlers, onRun });
  const tick = createScheduleTick({
    db,
    log,
    now,
    handlers: scheduleHandlers,
    onRun,
    prepare: (at) =>
      ensureSystemSchedules(db, {
        digestCron: config.DIGEST_CRON,
        weeklyCron: config.WEEKLY_SUMMARY_CRON,
        timeZone: config.TZ_DEFAULT,
        now: at,
      }),
    catchUpMinutes: config.SCHEDULE_CATCH_UP_MINUTES,
  });
  const broadcast = createNewsBroadcast({
    db,
    log,
    now,
    publicUrl,
    timeZone: config.TZ_DEFAULT,
    keyRing: deps.keyRing,
    ...(deps.handOffBroadcast ? { handOff: deps.handOffBroadcast } : {}),
  });
  const chatMembers: ChatMembers = async (channel, chatId) =>
    (await channels.find((c) => c.name === channel)?.members?.(chatId)) ?? null;
  const groupMember = createGroupMember(chatMembers);
  const polls = createPollJobs({
    db,
    log,
    now,
    timeZone: config.TZ_DEFAULT,
    chatMembers,
    keys: deps.keyRing,
  });
  const convertMotions = () =>
    convertUnsupportedMotions(db, deps.keyRing, now(), motionRules, config.TZ_DEFAULT);

  // Two senders, so one claims the next batch while the other's sends wait on the rate limits
  // (shared in this process); a chat's messages still go one at a time, in order.
  const outboxLoops = [1, 2].map((i) => createLoop(`outbox-${i}`, dispatch, { idleMs: 1000, log }));
  const outboxLoop = {
    kick() {
      for (const loop of outboxLoops) loop.kick();
    },
  };
  // Several workers only help where the database runs statements side by side (PostgreSQL);
  // the claim keeps each conversation with one worker and in order.
  const inboxWorkers = config.INBOX_WORKERS ?? (deps.databaseKind === 'postgres' ? 4 : 1);
  const pressure = createIntakePressure();
  const inboxLoops = Array.from({ length: inboxWorkers }, (_, i) =>
    createLoop(
      `inbox-${i + 1}`,
      async () => {
        const did = await processNext();
        if (did) outboxLoop.kick();
        return did;
      },
      { idleMs: 1000, log, pause: () => inboxWorkerPause(pressure, i) },
    ),
  );
  const inboxLoop = {
    kick() {
      pressure.note();
      for (const loop of inboxLoops) loop.kick();
    },
  };
  const expiryLoop = createLoop(
    'expiry',
    async () => {
      const n = await sweep();
      if (n > 0) outboxLoop.kick();
      return n;
    },
    { idleMs: 30_000, log },
  );
  const escalationLoop = createLoop(
    'deadlines',
    async () => {
      const n = (await escalate()) + (await convertMotions());
      if (n > 0) outboxLoop.kick();
      // Counts of refused sign-ins (and shared send limits) older than an hour go, and shared
      // per-person counts and delivery memory once past their use.
      await sweepSendBudget(db);
      await sweepPersonLimits(db, now());
      // One pass a minute is on time for deadlines counted in hours.
      return 0;
    },
    { idleMs: 60_000, log },
  );
  const newsLoop = createLoop(
    'news',
    async () => {
      const n = await broadcast();
      if (n > 0) outboxLoop.kick();
      return n;
    },
    // Sent items are checked for every few seconds: a scheduled one goes out on time, and a
    // broadcast waiting for the outbox to drain continues soon after.
    { idleMs: 5000, log },
  );
  const pollLoop = createLoop(
    'polls',
    async () => {
      const n = await polls();
      if (n > 0) outboxLoop.kick();
      return n;
    },
    { idleMs: 5000, log },
  );
  const loops = [...inboxLoops, ...outboxLoops, expiryLoop, escalationLoop, newsLoop, pollLoop];
  const kicks: Record<WakeableJob, () => void> = {
    inbox: () => inboxLoop.kick(),
    outbox: () => outboxLoop.kick(),
    news: () => newsLoop.kick(),
    polls: () => pollLoop.kick(),
  };
  const wakeUp = (job: WakeableJob) => () => {
    kicks[job]();
    deps.onWake?.(job);
  };
  const wake = {
    inbox: wakeUp('inbox'),
    outbox: wakeUp('outbox'),
    news: wakeUp('news'),
    polls: wakeUp('polls'),
  };

  const intake = createIntake({
    db,
    keys: deps.keyRing,
    metrics,
    accept: createChannelInboxWriters(db, deps.keyRing),
    wake,
    polls: createPollHook({
      db,
      keys: deps.keyRing,
      now,
      timeZone: config.TZ_DEFAULT,
      publicUrl,
      // One count of poll answers per person, whichever way they answer.
      voteLimit: personLimit('votes', config.VOTES_PER_MINUTE),
      groupMember,
    }),
    floodGuard: personLimit('messages', config.INBOUND_PER_MINUTE),
    recentTextVotes: deps.sharedLimits ? new SharedRecentKeys(db, deps.keyRing, now) : new RecentKeys(),
    keepShown: {
      web: (tx, inbound, shown) =>
        storeIncoming(
          tx,
          deps.keyRing,
          inbound.chat.id,
          inbound.dedupeKey.slice(`web:${inbound.chat.id}:`.length),
          shown,
        ),
    },
  });

  const app = createApp({
    db,
    log,
    timeZone: config.TZ_DEFAULT,
    adminToken: config.ADMIN_TOKEN,
    wake,
    channelRoutes: channels.flatMap((channel) => (channel.routes ? [channel.routes(intake)] : [])),
    now,
    metrics,
    keyRing: deps.keyRing,
    motionRules,
    publicUrl,
    runSchedule,
    chartScript: deps.chartScript,
    wechatQr: deps.wechatQr ?? (() => null),
    sourceOf: clientSource(deps.peerAddress ?? (() => undefined), config.TRUST_PROXY),
  });

  return {
    app,
    /** The web chat's wake-ups of waiting pages. */
    hub: web.hub,
    metrics,
    /** Where every channel's messages come in. */
    intake,
    /** Wakes the jobs after work was queued for them. */
    wake,
    /** Every channel this server speaks; those with `start` are started by the runtime. */
    channels,
    /** Lark, when it is configured. */
    lark,
    /** Resolves when the work channels took in and answered early is done (Lark's card votes). */
    votesSettled: () => Promise.all(channels.map((c) => c.settled?.())).then(() => undefined),
    /** Card votes not yet cast (running or waiting). */
    votesWaiting: () => channels.reduce((n, c) => n + (c.pending?.() ?? 0), 0),
    /** One step of each job, for tests and tools that drive the work by hand. */
    jobs: { processNext, dispatch, sweep, escalate, convertMotions, tick, broadcast, runSchedule, polls },
    /** Runs one schedule tick and wakes the dispatcher when it queued anything (every minute, by the runtime). */
    async tickSchedules() {
      if ((await tick()) > 0) outboxLoop.kick();
    },
    startJobs: () => {
      for (const loop of loops) loop.start();
    },
    stopJobs: () => Promise.all(loops.map((loop) => loop.stop())).then(() => undefined),
  };
}

export type Services = ReturnType<typeof createServices>;
