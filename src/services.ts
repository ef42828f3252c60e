/**
 * The server's working parts over one database: the HTTP app, and the jobs that process the
 * inbox, dispatch the outbox and end abandoned conversations. Runtimes start and stop them.
 */
import type { ChannelName, ChannelSender } from '../bots/core/messenger.ts';
import { WebChatHub } from '../bots/web/hub.ts';
import { createWebSender } from '../bots/web/sender.ts';
import type { Db } from '../db/client.ts';
import { createEngine } from '../flows/engine/engine.ts';
import { commands, flows } from '../flows/registry.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createExpirySweep } from './jobs/conversation-expiry.ts';
import { createInboxProcessor } from './jobs/inbox-processor.ts';
import { createLoop } from './jobs/loop.ts';
import { createOutboxDispatcher } from './jobs/outbox-dispatcher.ts';
import type { Logger } from './log.ts';

export type ServiceConfig = Pick<
  Config,
  | 'TZ_DEFAULT'
  | 'ADMIN_TOKEN'
  | 'CONVERSATION_TIMEOUT_MINUTES'
  | 'OUTBOX_MAX_ATTEMPTS'
  | 'OUTBOX_LEASE_SECONDS'
>;

export interface ServiceDeps {
  db: Db;
  config: ServiceConfig;
  log: Logger;
  webSecret: string;
  now?: () => Date;
  /** Extra channel senders (the web chat's is always there). */
  senders?: readonly ChannelSender[];
}

export function createServices(deps: ServiceDeps) {
  const { db, config, log } = deps;
  const now = deps.now ?? (() => new Date());
  const hub = new WebChatHub();
  const engine = createEngine({ flows, commands, timeoutMinutes: config.CONVERSATION_TIMEOUT_MINUTES });
  const senders = new Map<ChannelName, ChannelSender>([['web', createWebSender(db, hub)]]);
  for (const sender of deps.senders ?? []) senders.set(sender.channel, sender);

  const processNext = createInboxProcessor({ db, engine, log, timeZone: config.TZ_DEFAULT, now });
  const dispatch = createOutboxDispatcher({
    db,
    senders,
    log,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseSeconds: config.OUTBOX_LEASE_SECONDS,
  });
  const sweep = createExpirySweep({ db, engine, log, timeZone: config.TZ_DEFAULT, now });

  const outboxLoop = createLoop('outbox', dispatch, { idleMs: 1000, log });
  const inboxLoop = createLoop(
    'inbox',
    async () => {
      const did = await processNext();
      if (did) outboxLoop.kick();
      return did;
    },
    { idleMs: 1000, log },
  );
  const expiryLoop = createLoop(
    'expiry',
    async () => {
      const n = await sweep();
      if (n > 0) outboxLoop.kick();
      return n;
    },
    { idleMs: 30_000, log },
  );
  const loops = [inboxLoop, outboxLoop, expiryLoop];

  const app = createApp({
    db,
    log,
    timeZone: config.TZ_DEFAULT,
    adminToken: config.ADMIN_TOKEN,
    webSecret: deps.webSecret,
    hub,
    wake: { inbox: () => inboxLoop.kick(), outbox: () => outboxLoop.kick() },
    now,
  });

  return {
    app,
    hub,
    /** One step of each job, for tests and tools that drive the work by hand. */
    jobs: { processNext, dispatch, sweep },
    startJobs: () => {
      for (const loop of loops) loop.start();
    },
    stopJobs: () => Promise.all(loops.map((loop) => loop.stop())).then(() => undefined),
  };
}

export type Services = ReturnType<typeof createServices>;
