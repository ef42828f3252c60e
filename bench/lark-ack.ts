/**
 * Acknowledged Lark events per second and acknowledgement latency for this server (which persists
 * every event before answering) on PostgreSQL and on embedded PGlite, and, in the same run, for
 * two peers: a bot built the way the official SDK's README shows (which persists nothing and
 * replies inside its handler), and a bare node:http server (the machine's limit). Also
 * end-to-end replies per second: events in, replies at the local Lark stand-in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delivery, larkApp, larkEnv, textMessage } from '../test/support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../test/support/lark-stand-in.ts';
import { createScratchDatabase } from '../test/support/scratch-database.ts';
import { peakRssMb } from './rss.ts';

const root = join(import.meta.dirname, '..');
const events = Number(process.env.BENCH_EVENTS ?? 3000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/** Offered load for the latency rounds: the platform sends when events happen, not when the last answer came. */
export const steadyRate = Number(process.env.BENCH_RATE ?? 500);

export interface AckFigure {
  label: string;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  /** Acknowledgement latency at a steady offered rate (`steadyRate` events/s). */
  steadyP50Ms: number;
  steadyP99Ms: number;
  repliesPerSecond?: number;
}

interface Target {
  url: string;
  child: ChildProcess;
}

/**
 * Starts a server and waits until it answers: ours through /healthz (at its default log level, so
 * the access log's cost is counted), the peer by the line it prints once listening.
 */
async function start(
  command: string[],
  env: Record<string, string>,
  ready: 'healthz' | 'stdout',
): Promise<Target> {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, command, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), ...env },
    stdio: ['ignore', ready === 'stdout' ? 'pipe' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await whenReady(child, url, ready, command.join(' '));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url, child };
}

async function whenReady(
  child: ChildProcess,
  url: string,
  ready: 'healthz' | 'stdout',
  name: string,
): Promise<void> {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  if (ready === 'stdout') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('server.listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } else {
    for (;;) {
      if (exited) throw new Error(`${name} exited`);
      if (Date.now() > deadline) throw new Error(`${name} did not start`);
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Distinct, encrypted, signed message events, made before the clock starts. */
async function prepare(count: number, tag: string) {
  const out: { body: string; headers: Record<string, string> }[] = [];
  for (let i = 0; i < count; i++) {
    const message = textMessage({
      openId: `ou_${tag}_${i % 500}`,
      chatId: `oc_${tag}_${i % 500}`,
      text: '菜单',
      messageId: `om_${tag}_${i}`,
    });
    out.push(await delivery(message, { encrypt: true }));
  }
  return out;
}

async function fire(
  url: string,
  path: string,
  prepared: { body: string; headers: Record<string, string> }[],
) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < prepared.length) {
        const item = prepared[next++]!;
        const t0 = performance.now();
        const res = await fetch(`${url}${path}`, { method: 'POST', headers: item.headers, body: item.body });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (failures > 0) throw new Error(`${failures} of ${prepared.length} events were not acknowledged`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { eventsPerSecond: prepared.length / seconds, p50: at(0.5), p99: at(0.99), started };
}

/**
 * Sends at a fixed rate regardless of answers (open loop) and measures each acknowledgement from
 * when it was due to be sent, so a stalled server is charged for the requests it delayed.
 */
async function fireAtRate(
  url: string,
  path: string,
  prepared: { body: string; headers: Record<string, string> }[],
  perSecond: number,
) {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const item = prepared[i]!;
    // Timed from when it was due, or from when it went if the timer fired a little early.
    const from = Math.min(due, performance.now());
    pending.push(
      fetch(`${url}${path}`, { method: 'POST', headers: item.headers, body: item.body }).then(async (res) => {
        await res.arrayBuffer();
        latencies.push(performance.now() - from);
        if (res.status !== 200) failures++;
      }),
    );
  }
  await Promise.all(pending);
  if (failures > 0) throw new Error(`${failures} of ${prepared.length} events were not acknowledged`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function waitForReplies(standIn: StandIn, tag: string, count: number, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = standIn.sent.filter((m) => m.receiveId.startsWith(`oc_${tag}_`)).length;
    if (n >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${count} replies arrived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Server {
  label: string;
  target: Target;
  path: string;
  /** Replies come to the stand-in (ours and the SDK bot); the bare server replies to nothing. */
  replies: boolean;
}

export async function benchLarkAck(): Promise<AckFigure[] | null> {
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    'tongxin_bench',
  );
  if (!scratch) return null;
  const dataDir = await mkdtemp(join(tmpdir(), 'tongxin-bench-'));
  // Generous sending limits: this measures intake and processing, not Lark's quotas.
  const standIn = await startLarkStandIn({ ...larkApp });
  const servers: Server[] = [];
  try {
    await startServers(servers, { standInUrl: standIn.url, databaseUrl: scratch.url, dataDir });
    const runs = await measure(servers, standIn);
    return servers.map((server, i) => figureOf(server, runs[i]!));
  } finally {
    for (const server of servers) server.target.child.kill('SIGTERM');
    await standIn.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await scratch.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Starts the four servers, adding each to `servers` as it comes up (so each is stopped after). */
async function startServers(
  servers: Server[],
  where: { standInUrl: string; databaseUrl: string; dataDir: string },
): Promise<void> {
  const common = {
    ...larkEnv(where.standInUrl),
    LARK_RATE_APP_PER_SECOND: '100000',
    LARK_RATE_APP_PER_MINUTE: '10000000',
    LARK_RATE_CHAT_PER_SECOND: '100000',
    // The load sends several messages a second from each simulated person.
    INBOUND_PER_MINUTE: '100000',
  };
  // BENCH_PROFILE=<dir> writes a CPU profile of this server there when it stops.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  servers.push({
    label: 'Tongxin on PostgreSQL (inbox write before the 200)',
    target: await start(
      [...profile, '--import', 'tsx', 'src/runtime/node.ts'],
      { ...common, DATABASE_URL: where.databaseUrl },
      'healthz',
    ),
    path: '/webhooks/lark',
    replies: true,
  });
  servers.push({
    label: 'Tongxin on embedded PGlite (inbox write before the 200)',
    target: await start(
      ['--import', 'tsx', 'src/runtime/node.ts'],
      { ...common, DATA_DIR: where.dataDir },
      'healthz',
    ),
    path: '/webhooks/lark',
    replies: true,
  });
  servers.push({
    label: 'Bot as the SDK README shows it (no persistence, replies in its handler)',
    target: await start(['bench/peers/sdk-bot.mjs'], common, 'stdout'),
    path: '/webhook/event',
    replies: true,
  });
  servers.push({
    label: 'Bare node:http answering 200 (the machine’s limit)',
    target: await start(['bench/peers/bare-http.mjs'], {}, 'stdout'),
    path: '/',
    replies: false,
  });
}

/** One server's measurements over the rounds. */
interface Runs {
  full: Awaited<ReturnType<typeof fire>>[];
  steady: { p50: number; p99: number }[];
  replies: number[];
}

/** Each round, each server in turn: events as fast as they are acknowledged, then at a steady rate. */
async function measure(servers: readonly Server[], standIn: StandIn): Promise<Runs[]> {
  const runs = servers.map((): Runs => ({ full: [], steady: [], replies: [] }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) {
      const tag = `r${round}s${i}`;
      const run = await fire(server.target.url, server.path, await prepare(events, tag));
      runs[i]!.full.push(run);
      if (server.replies) {
        await waitForReplies(standIn, tag, events);
        runs[i]!.replies.push(events / ((performance.now() - run.started) / 1000));
      }
      // Latency at a steady offered rate, with fresh events and no backlog left from above.
      const steadyTag = `${tag}st`;
      runs[i]!.steady.push(
        await fireAtRate(server.target.url, server.path, await prepare(events, steadyTag), steadyRate),
      );
      if (server.replies) await waitForReplies(standIn, steadyTag, events);
    }
  }
  return runs;
}

/** A server's figures: the median of its rounds. */
function figureOf(server: Server, r: Runs): AckFigure {
  return {
    label: server.label,
    eventsPerSecond: Math.round(median(r.full.map((x) => x.eventsPerSecond))),
    p50Ms: Number(median(r.full.map((x) => x.p50)).toFixed(1)),
    p99Ms: Number(median(r.full.map((x) => x.p99)).toFixed(1)),
    peakRssMb: peakRssMb(server.target.child.pid),
    steadyP50Ms: Number(median(r.steady.map((x) => x.p50)).toFixed(1)),
    steadyP99Ms: Number(median(r.steady.map((x) => x.p99)).toFixed(1)),
    ...(r.replies.length > 0 ? { repliesPerSecond: Math.round(median(r.replies)) } : {}),
  };
}
