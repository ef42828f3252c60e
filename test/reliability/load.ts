/**
 * The reliability suite's tools: server processes on one PostgreSQL, a Lark load that behaves as
 * the platform does (it sends each event until it is acknowledged with a 200, to any instance
 * that answers), and the exactly-once checks over the database and the Lark stand-in.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { queryRows } from '../../db/handle.ts';
import { freshPostgresUrl } from '../support/databases.ts';
import { delivery, larkApp, larkEnv, textMessage } from '../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../support/lark-stand-in.ts';
import type { ScratchDatabase } from '../support/scratch-database.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { type CuttableProxy, startProxy } from './tcp-proxy.ts';

/** A small seeded generator, so a failing run can be replayed (the seed is printed). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function serverEnv(databaseUrl: string, standIn: StandIn, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: databaseUrl,
    ...larkEnv(standIn.url),
    ADMIN_TOKEN: 'reliability-admin-token-0123456789',
    // The stand-in keeps no limits unless told: let replies go as fast as the server sends them.
    LARK_RATE_APP_PER_SECOND: '1000',
    LARK_RATE_APP_PER_MINUTE: '60000',
    LARK_RATE_CHAT_PER_SECOND: '50',
    OUTBOX_MAX_ATTEMPTS: '50',
    // Each simulated person sends ten messages within seconds.
    INBOUND_PER_MINUTE: '1000',
    ...extra,
  };
}

export interface FaultStage {
  scratch: ScratchDatabase;
  standIn: StandIn;
  cluster: Cluster;
  /** Between the servers and PostgreSQL, when asked for. */
  proxy?: CuttableProxy;
}

/**
 * A fresh PostgreSQL database, the Lark stand-in and `instances` servers (not yet started) for the
 * test file, torn down after it; with `proxy`, the servers reach the database through a cuttable proxy.
 */
export function useFaultStage(instances: number, opts: { proxy?: boolean } = {}): FaultStage {
  const stage = {} as FaultStage;
  beforeAll(async () => {
    stage.scratch = await freshPostgresUrl();
    stage.standIn = await startLarkStandIn({ ...larkApp });
    let url = stage.scratch.url;
    if (opts.proxy) {
      const target = new URL(url);
      stage.proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
      url = stage.proxy.url(url);
    }
    stage.cluster = new Cluster(serverEnv(url, stage.standIn), instances);
  });
  afterAll(async () => {
    await stage.cluster?.stopAll();
    await stage.proxy?.close();
    await stage.standIn?.close();
    await stage.scratch?.drop();
  });
  return stage;
}

/** Instances that can be killed and restarted; the load goes to whichever are up. */
export class Cluster {
  readonly servers: (ServerProcess | null)[];
  constructor(
    private readonly env: Record<string, string>,
    count: number,
  ) {
    this.servers = Array.from({ length: count }, () => null);
  }
  async start(i: number) {
    this.servers[i] = await startServerProcess(this.env, 120_000);
  }
  async startAll() {
    await Promise.all(this.servers.map((_, i) => this.start(i)));
  }
  async kill(i: number, signal: NodeJS.Signals = 'SIGKILL') {
    const server = this.servers[i];
    this.servers[i] = null;
    await server?.kill(signal);
  }
  async stopAll() {
    await Promise.all(this.servers.map((_, i) => this.kill(i, 'SIGTERM')));
  }
  up(): string[] {
    return this.servers.filter((s): s is ServerProcess => s !== null).map((s) => s.url);
  }
}

export interface LoadResult {
  /** message_id → chat, for every event acknowledged with a 200. */
  acked: Map<string, string>;
  /** Answers other than 200 (or no answer) before each event was taken: status → count. */
  refusals: Map<string, number>;
  /** How many events each instance (by URL) acknowledged. */
  ackedBy: Map<string, number>;
  seconds: number;
}

/**
 * Sends `events` Lark messages ('我的', which gets exactly one reply each) from `chats` private
 * chats, `concurrency` at a time (and `perSecond` at most), each until some instance answers 200,
 * as the platform retries.
 */
export async function larkLoad(
  cluster: { up(): string[] },
  opts: {
    events: number;
    chats: number;
    concurrency: number;
    random: () => number;
    prefix: string;
    /** Events started per second at most (a steady load), or as fast as they are answered. */
    perSecond?: number;
  },
): Promise<LoadResult> {
  const acked = new Map<string, string>();
  const refusals = new Map<string, number>();
  const ackedBy = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const refuse = (why: string) => refusals.set(why, (refusals.get(why) ?? 0) + 1);
  async function worker() {
    for (;;) {
      const n = next++;
      if (n >= opts.events) return;
      if (opts.perSecond) {
        const due = started + (n * 1000) / opts.perSecond;
        if (due > performance.now()) await pause(due - performance.now());
      }
      const chat = `oc_${opts.prefix}_${n % opts.chats}`;
      const messageId = `om_${opts.prefix}_${n}`;
      const event = textMessage({
        openId: `ou_${opts.prefix}_${n % opts.chats}`,
        chatId: chat,
        text: '我的',
        messageId,
      });
      for (let attempt = 0; ; attempt++) {
        const urls = cluster.up();
        if (urls.length === 0) {
          await pause(50);
          continue;
        }
        const url = urls[Math.floor(opts.random() * urls.length)]!;
        try {
          // Signed afresh each try, as the platform does, so the timestamp stays in its window.
          const { body, headers } = await delivery(event, { encrypt: true });
          const res = await fetch(`${url}/webhooks/lark`, { method: 'POST', headers, body });
          await res.arrayBuffer();
          if (res.status === 200) {
            acked.set(messageId, chat);
            ackedBy.set(url, (ackedBy.get(url) ?? 0) + 1);
            break;
          }
          refuse(String(res.status));
        } catch {
          refuse('no answer');
        }
        await pause(Math.min(1000, 20 * 2 ** Math.min(attempt, 6)));
      }
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { acked, refusals, ackedBy, seconds: (performance.now() - started) / 1000 };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function openPostgres(url: string): Promise<Database> {
  return openDatabase({ kind: 'postgres', url });
}

/** Waits until no inbox event and no outbox row is left to do. */
export async function settled(database: Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await queryRows<{ inbox: number; outbox: number }>(
      database.db,
      sql`select (select count(*)::int from inbox where status = 'pending') as inbox,
                 (select count(*)::int from outbox where status in ('pending', 'sending')) as outbox`,
    );
    if (row!.inbox === 0 && row!.outbox === 0) return;
    if (Date.now() > deadline)
      throw new Error(`not settled: ${row!.inbox} events, ${row!.outbox} sends left`);
    await pause(250);
  }
}

export interface ExactlyOnce {
  acknowledged: number;
  stored: number;
  processed: number;
  /** Events stored but never acknowledged (taken, then the instance died before answering). */
  storedUnacknowledged: number;
  /** Acknowledged events missing from the inbox, or not processed. */
  lost: number;
  /** Events whose replies number other than one, in the outbox. */
  repliesNotOne: number;
  /** Replies the stand-in never showed. */
  shownNever: number;
  /** Send calls beyond the first for the same reply (the platform shows them once, by uuid). */
  resends: number;
}

/** Checks every acknowledged event was processed once and its one reply shown once. */
export async function exactlyOnce(
  database: Database,
  standIn: StandIn,
  acked: Map<string, string>,
  prefix: string,
): Promise<ExactlyOnce> {
  const rows = await queryRows<{ dedupe_key: string; status: string; replies: number; uuids: string[] }>(
    database.db,
    sql`select i.dedupe_key, i.status, count(o.id)::int as replies,
               coalesce(array_agg(o.uuid::text) filter (where o.id is not null), '{}') as uuids
        from inbox i left join outbox o on o.inbox_id = i.id
        where i.dedupe_key like ${`lark:msg:om_${prefix}_%`}
        group by i.id`,
  );
  const byMessage = new Map(rows.map((r) => [r.dedupe_key.slice('lark:msg:'.length), r]));
  const shown = new Set(standIn.sent.map((m) => m.uuid));
  const calls = new Map<string, number>();
  for (const call of standIn.calls) {
    const uuid = call.body?.uuid;
    if (call.path === '/open-apis/im/v1/messages' && typeof uuid === 'string')
      calls.set(uuid, (calls.get(uuid) ?? 0) + 1);
  }
  let lost = 0;
  let repliesNotOne = 0;
  let shownNever = 0;
  let resends = 0;
  for (const id of acked.keys()) {
    const row = byMessage.get(id);
    if (row?.status !== 'done') {
      lost++;
      continue;
    }
    if (row.replies !== 1) repliesNotOne++;
    for (const uuid of row.uuids) {
      if (!shown.has(uuid)) shownNever++;
      resends += Math.max(0, (calls.get(uuid) ?? 0) - 1);
    }
  }
  return {
    acknowledged: acked.size,
    stored: rows.length,
    processed: rows.filter((r) => r.status === 'done').length,
    storedUnacknowledged: rows.filter((r) => !acked.has(r.dedupe_key.slice('lark:msg:'.length))).length,
    lost,
    repliesNotOne,
    shownNever,
    resends,
  };
}
