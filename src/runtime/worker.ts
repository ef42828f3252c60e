/**
 * The Cloudflare Workers entry point. `fetch` serves the same Hono app as Node and, once the
 * answer is sent, runs the jobs the request woke (`waitUntil`); `scheduled` (a Cron Trigger
 * every minute) runs the schedule tick and every job; `queue` sends broadcast batches handed to
 * the BROADCAST_QUEUE. Each invocation opens its own small pool to PostgreSQL (Hyperdrive when
 * bound) and closes it when done: Workers share no sockets between requests, and nothing here
 * needs a session to outlive one (no advisory locks, no LISTEN/NOTIFY, no session settings).
 * Migrations are applied before deploying (`npm run db:migrate`), not here.
 */
import { fetchTransport, type TokenStore } from '../../bots/lark/fetch-transport.ts';
import type { LarkMemo } from '../../bots/lark/sender.ts';
import { postgresDb, postgresPool } from '../../db/postgres.ts';
// Chart.js's browser build, bundled as text (wrangler.toml's Text rule).
import chartJs from '../../node_modules/chart.js/dist/chart.umd.min.js';
import { type Config, ConfigError, loadConfig } from '../kernel/config.ts';
import { createKeyRing, type KeyRing } from '../kernel/crypto/sealed.ts';
import { createLogger, errorFields, type Logger } from '../kernel/log.ts';
import { createServices, type WakeableJob } from './services.ts';
import type {
  ExecutionContext,
  HandOffMessage,
  MessageBatch,
  ScheduledController,
  WorkerEnv,
} from './worker-env.ts';
import { type JobRun, runMinute, runWoken, sendHandedOff } from './worker-jobs.ts';

/**
 * waitUntil work is cut off 30 s after the answer. No new step starts after this; one already
 * started ends within the Lark call's 10 s timeout, leaving room to close the pool.
 */
const afterRequestMs = 15_000;
/** A minute's run stops starting new steps here, before the next minute's begins. */
const minuteMs = 50_000;
const queueBatchMs = 60_000;
/** Rows per queue message, and messages per send (the platform takes up to 100). */
const rowsPerMessage = 50;

/** Plain data kept between requests in one isolate; never a socket, promise, key or stream. */
const kept: { config?: Config; tokens: TokenStore; lark: LarkMemo } = {
  tokens: {},
  lark: {},
};

interface Settled {
  config: Config;
  log: Logger;
  keyRing: KeyRing;
}

class SetupError extends Error {}

/** The configuration (parsed once per isolate) and this invocation's logger and key ring. */
function settle(env: WorkerEnv): Settled {
  let config = kept.config;
  if (!config) {
    const vars: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value;
    config = loadConfig(vars);
    const missing = [
      ...(config.DATA_KEY ? [] : ['DATA_KEY']),
      ...(config.PUBLIC_URL ? [] : ['PUBLIC_URL']),
      ...(env.HYPERDRIVE || config.DATABASE_URL ? [] : ['HYPERDRIVE or DATABASE_URL']),
    ];
    if (missing.length > 0) throw new SetupError(`not set: ${missing.join(', ')}`);
    if (config.LARK_MODE === 'ws') throw new SetupError('LARK_MODE=ws: Workers take Lark events by webhook');
    kept.config = config;
  }
  return { config, log: createLogger(config.LOG_LEVEL), keyRing: createKeyRing(config.DATA_KEY ?? '') };
}

/** One invocation's database and services; `close` ends its pool. */
async function open(env: WorkerEnv, onWake?: (job: WakeableJob) => void) {
  const { config, log, keyRing } = settle(env);
  const pool = postgresPool({
    connectionString: env.HYPERDRIVE?.connectionString ?? config.DATABASE_URL,
    max: 4,
    connectionTimeoutMillis: 10_000,
  });
  const db = postgresDb(pool);
  const close = () => pool.end().catch(() => undefined);
  try {
    const queue = env.BROADCAST_QUEUE;
    const services = createServices({
      db,
      databaseKind: 'postgres',
      // CF-Connecting-IP is the client, whatever X-Forwarded-For says: TRUST_PROXY is not read here.
      config: { ...config, TRUST_PROXY: 0 },
      log,
      keyRing,
      chartScript: async () => chartJs,
      larkTransport: (credentials) => fetchTransport(credentials, kept.tokens),
      larkMemo: kept.lark,
      // Every invocation is a new instance: the limits are kept in the database, for all.
      sharedLimits: true,
      // Cloudflare sets it to the client's address; a client cannot.
      peerAddress: (c) => c.req.header('cf-connecting-ip'),
      ...(onWake ? { onWake } : {}),
      ...(queue ? { handOffBroadcast: (uuids: string[]) => handOff(queue, uuids) } : {}),
    });
    const run = (deadline: number): JobRun => ({ services, db, log, deadline, handedOff: Boolean(queue) });
    return { services, log, run, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function handOff(queue: NonNullable<WorkerEnv['BROADCAST_QUEUE']>, uuids: string[]) {
  const messages: { body: HandOffMessage }[] = [];
  for (let i = 0; i < uuids.length; i += rowsPerMessage)
    messages.push({ body: { outbox: uuids.slice(i, i + rowsPerMessage) } });
  for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
}

/**
 * The answer when the Worker cannot serve at all: which settings are wrong or missing, in both
 * languages; what is wrong with them goes to the log only, and no value anywhere.
 */
function setupFailure(error: unknown): Response {
  console.error(JSON.stringify({ level: 'error', event: 'worker.setup_failed', ...errorFields(error) }));
  const detail =
    error instanceof ConfigError
      ? `invalid: ${error.problems.map((problem) => problem.split(':')[0]).join(', ')}`
      : error instanceof SetupError
        ? error.message
        : null;
  const message = detail
    ? {
        code: 'not_configured',
        message_zh: `服务尚未配置好（${detail}），请联系管理员。`,
        message_en: `The service is not configured yet (${detail}); please tell the administrator.`,
      }
    : {
        code: 'unavailable',
        message_zh: '暂时无法连接数据库，请稍后再试。',
        message_en: 'The database cannot be reached right now; please try again shortly.',
      };
  return Response.json({ error: message }, { status: 503 });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const woken = new Set<WakeableJob>();
    let invocation: Awaited<ReturnType<typeof open>>;
    try {
      invocation = await open(env, (job) => woken.add(job));
    } catch (error) {
      return setupFailure(error);
    }
    const { services, run, close } = invocation;
    try {
      const response = await services.app.fetch(request, env, ctx);
      // The answer goes now; the work it queued runs after, within waitUntil's time.
      // Card votes answered "still being processed" are cast before the connection closes.
      ctx.waitUntil(
        runWoken(run(Date.now() + afterRequestMs), woken)
          .finally(() => services.votesSettled())
          .finally(close),
      );
      return response;
    } catch (error) {
      ctx.waitUntil(close());
      throw error;
    }
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv): Promise<void> {
    const { run, close } = await open(env);
    try {
      await runMinute(run(Date.now() + minuteMs));
    } finally {
      await close();
    }
  },

  async queue(batch: MessageBatch<HandOffMessage>, env: WorkerEnv): Promise<void> {
    const { run, log, close } = await open(env);
    try {
      const deadline = Date.now() + queueBatchMs;
      let sent = 0;
      for (const message of batch.messages) {
        try {
          const uuids = Array.isArray(message.body?.outbox)
            ? message.body.outbox.filter((u): u is string => typeof u === 'string').slice(0, 500)
            : [];
          const done = await sendHandedOff(run(deadline), uuids);
          sent += done.sent;
          // Out of time before its rows were all looked at: delivered again, not dropped.
          if (done.finished) message.ack();
          else message.retry();
        } catch (error) {
          log.error('queue.batch_failed', { attempts: message.attempts, ...errorFields(error) });
          message.retry({ delaySeconds: 10 });
        }
      }
      log.info('queue.batch', { messages: batch.messages.length, sent });
    } finally {
      await close();
    }
  },
};
