/**
 * The Node entry point (`npm start`): reads the environment, opens the database (embedded
 * PGlite by default), applies migrations, serves HTTP on HOST:PORT and runs the background jobs.
 * Once listening it says where to open the web chat and the console, in one line.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import cron from 'node-cron';
import type { Channel } from '../../bots/core/channel.ts';
import { createWechatChannel } from '../../bots/wechat/index.ts';
import { missingWechatPackages, missingWechatText } from '../../bots/wechat/installed.ts';
import type { Db } from '../../db/handle.ts';
import { sealAllLegacyAuthors } from '../domains/items/launder.ts';
import { ConfigError, loadConfig } from '../kernel/config.ts';
import { createLogger, errorFields, type Logger } from '../kernel/log.ts';
import { dataKeyRing, openConfiguredDatabase } from './boot.ts';
import { nodeParts } from './node-parts.ts';
import { createServices, type Services } from './services.ts';
import { opening, phoneLinkWarning } from './start-banner.ts';
import { keepWechatLease, type WechatLease } from './wechat-lease.ts';

type Config = ReturnType<typeof loadConfig>;

/** The WeChat channel of this server, and the lease that decides whether this instance runs it. */
interface Wechat {
  channel: Channel;
  /** The login QR code while one is waiting to be scanned. */
  qr: () => string | null;
  lease: WechatLease | null;
}

/** What runs once the port is open, for `stop` to end. */
interface Running {
  scheduleTask: { stop(): unknown } | null;
}

async function main() {
  const startedAt = performance.now();
  const config = await readConfig();
  const log = createLogger(config.LOG_LEVEL);
  const database = await openConfiguredDatabase(config, log);
  const keyRing = await dataKeyRing(config, log);
  // Anonymous items an earlier release stored with their author in clear are sealed before serving.
  await sealAllLegacyAuthors(database.db, keyRing);
  if (!config.ADMIN_TOKEN) log.warn('officer_api.disabled', { hint: 'set ADMIN_TOKEN to enable /api' });

  const wechat = await openWechat(config, log, () => services.wake.outbox());
  const services = createServices({
    db: database.db,
    databaseKind: database.kind,
    // On PostgreSQL more than one server may run: they keep the limits together, in the database.
    sharedLimits: config.SHARED_LIMITS ?? database.kind === 'postgres',
    config,
    log,
    keyRing,
    ...nodeParts,
    ...(wechat ? { channels: [wechat.channel], wechatQr: wechat.qr } : {}),
  });

  const running: Running = { scheduleTask: null };
  const server = createAdaptorServer({ fetch: services.app.fetch, hostname: config.HOST });
  const started: Started = { config, log, services, database, wechat, running };
  // A thousand people pressing a poll card in one second open as many connections at once: the
  // queue of connections not yet taken is long enough that the kernel keeps them (Node's 511 would not).
  server.listen({ host: config.HOST, port: config.PORT, backlog: 4096 }, () =>
    onListening(started, server.address() as AddressInfo, startedAt),
  );
  const stop = stopper(started, server as Server);
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The configuration, or the reason it is wrong (and exit 78, as sysexits says for configuration). */
async function readConfig(): Promise<Config> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  if (config.WECHATY_PUPPET) {
    const missing = await missingWechatPackages(config.WECHATY_PUPPET);
    if (missing.length > 0) {
      console.error(missingWechatText(missing));
      process.exit(78);
    }
  }
  return config;
}

/** WeChat only when a puppet is named: otherwise nothing of wechaty is loaded. */
async function openWechat(config: Config, log: Logger, onLogin: () => void): Promise<Wechat | null> {
  if (!config.WECHATY_PUPPET) return null;
  let qr: string | null = null;
  const link = (await import('../../bots/wechat/wechaty.ts')).createWechatLink({
    puppet: config.WECHATY_PUPPET,
    ...(config.WECHATY_PUPPET_SERVICE_TOKEN ? { token: config.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
    log,
    limits: {
      perChatPerSecond: config.WECHAT_RATE_CHAT_PER_SECOND,
      perMinute: config.WECHAT_RATE_PER_MINUTE,
    },
    onQr: (code) => {
      qr = code;
    },
    onLogin,
  });
  // Only the instance holding the WeChat lease runs the puppet and sends WeChat messages.
  const wechat: Wechat = {
    channel: createWechatChannel(link, { sending: () => wechat.lease?.holding() ?? false }),
    qr: () => qr,
    lease: null,
  };
  return wechat;
}

interface Started {
  config: Config;
  log: Logger;
  services: Services;
  database: { kind: string; db: Db; close(): Promise<void> };
  wechat: Wechat | null;
  running: Running;
}

function onListening(started: Started, info: AddressInfo, startedAt: number) {
  const { config, log, services, database, wechat, running } = started;
  // Jobs start once the port is open, so health checks answer even while a backlog is worked off.
  if (config.RUN_JOBS) {
    services.startJobs();
    // The schedule tick: every minute, on every instance; each fire time is claimed once.
    running.scheduleTask = cron.schedule('* * * * *', () =>
      services.tickSchedules().catch((error) => log.error('schedule.tick_failed', errorFields(error))),
    );
  }
  // Channels that take messages by a connection of their own (Lark in ws mode); WeChat's login
  // goes with its lease, below.
  for (const channel of services.channels)
    if (channel !== wechat?.channel)
      logFailure(log, 'channel.start_failed', channel.name, () => channel.start?.(services.intake));
  // Only an instance that runs the jobs may hold the login: it is the one that sends WeChat rows.
  if (wechat && !config.RUN_JOBS)
    log.warn('wechat.needs_jobs', { hint: 'WECHATY_PUPPET is ignored with RUN_JOBS=false' });
  if (wechat && config.RUN_JOBS)
    wechat.lease = keepWechatLease({
      db: database.db,
      log,
      ttlSeconds: config.WECHAT_LEASE_SECONDS,
      link: {
        start: async () => wechat.channel.start?.(services.intake),
        stop: async () => wechat.channel.stop?.(),
      },
    });
  // Links sent to phones that lead to this machine: said before the line that says where to open.
  const warning = phoneLinkWarning(config);
  if (warning) log.warn('public_url.unreachable', { ...warning });
  log.info('server.listening', {
    host: info.address,
    port: info.port,
    database: database.kind,
    jobs: config.RUN_JOBS,
    startupMs: Math.round(performance.now() - startedAt),
    ...opening(config.PUBLIC_URL, info),
  });
}

/** Stops once, whatever signal comes first or how often. */
function stopper(started: Started, server: Server) {
  let stopping = false;
  return async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await stop(started, server, signal);
    process.exit(0);
  };
}

async function stop(started: Started, server: Server, signal: string) {
  const { log, services, database, wechat, running } = started;
  log.info('server.stopping', { signal });
  // Requests already being read finish (a card press among them joins the votes waiting), then
  // the votes answered "still being processed" are cast, all before the database closes; within
  // 8 s, as a container is usually killed 10 s after it is asked to stop.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Kept-alive links are cut as soon as their last answer is sent, not when the client lets go.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  // A press being read is answered within its budget; a web chat's long poll need not be.
  const read = Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  running.scheduleTask?.stop();
  for (const channel of services.channels)
    if (channel !== wechat?.channel)
      logFailure(log, 'channel.stop_failed', channel.name, () => channel.stop?.());
  const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 8_000).unref());
  const votes = read.then(() => services.votesSettled());
  if ((await Promise.race([votes, deadline])) === 'late' && services.votesWaiting() > 0)
    log.error('server.votes_abandoned', { waitingVotes: services.votesWaiting() });
  clearInterval(sweep);
  server.closeAllConnections();
  // The dispatcher first, so no WeChat send is cut off; then the login goes to another instance.
  await services.stopJobs();
  await wechat?.lease?.stop().catch(() => undefined);
  await database.close();
}

main().catch((error) => {
  console.error(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'error',
      event: 'server.crashed',
      ...errorFields(error),
    }),
  );
  process.exit(1);
});

/** Runs a channel's start or stop without waiting for it; a throw or a rejection is logged, never unhandled. */
function logFailure(log: Logger, event: string, channel: string, run: () => unknown) {
  Promise.resolve()
    .then(run)
    .catch((error) => log.error(event, { channel, ...errorFields(error) }));
}
