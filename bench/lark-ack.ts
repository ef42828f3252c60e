/**
 * Acknowledged Lark events per second and acknowledgement latency, on PostgreSQL, for this
 * server (which persists every event before answering) and, in the same run, for a bot built the
 * way the official SDK's README shows (which persists nothing and answers after its handler).
 * Also end-to-end replies per second: events in, replies at the local Lark stand-in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { delivery, larkApp, larkEnv, textMessage } from '../test/support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../test/support/lark-stand-in.ts';
import { createScratchDatabase } from '../test/support/scratch-database.ts';

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

function peakRssMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
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
    pending.push(
      fetch(`${url}${path}`, { method: 'POST', headers: item.headers, body: item.body }).then(async (res) => {
        await res.arrayBuffer();
        latencies.push(performance.now() - due);
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

export async function benchLarkAck(): Promise<AckFigure[] | null> {
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    'tongxin_bench',
  );
  if (!scratch) return null;
  // Generous sending limits: this measures intake and processing, not Lark's quotas.
  const standIn = await startLarkStandIn({ ...larkApp });
  const env = {
    ...larkEnv(standIn.url),
    DATABASE_URL: scratch.url,
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
  const ours = await start([...profile, '--import', 'tsx', 'src/runtime/node.ts'], env, 'healthz');
  const peer = await start(['bench/peers/sdk-bot.mjs'], env, 'stdout');
  try {
    const results = {
      ours: [] as Awaited<ReturnType<typeof fire>>[],
      peer: [] as Awaited<ReturnType<typeof fire>>[],
    };
    const steady = { ours: [] as { p50: number; p99: number }[], peer: [] as { p50: number; p99: number }[] };
    const replies: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const tag = `r${round}`;
      const forUs = await prepare(events, `${tag}us`);
      const forPeer = await prepare(events, `${tag}peer`);
      const run = await fire(ours.url, '/webhooks/lark', forUs);
      results.ours.push(run);
      await waitForReplies(standIn, `${tag}us`, events);
      replies.push(events / ((performance.now() - run.started) / 1000));
      results.peer.push(await fire(peer.url, '/webhook/event', forPeer));
      // Latency at a steady offered rate, with fresh events; ours starts with no backlog (every
      // reply of the saturation run above has arrived).
      const steadyUs = await prepare(events, `${tag}sus`);
      const steadyPeer = await prepare(events, `${tag}speer`);
      steady.ours.push(await fireAtRate(ours.url, '/webhooks/lark', steadyUs, steadyRate));
      await waitForReplies(standIn, `${tag}sus`, events);
      steady.peer.push(await fireAtRate(peer.url, '/webhook/event', steadyPeer, steadyRate));
    }
    const figure = (
      label: string,
      runs: Awaited<ReturnType<typeof fire>>[],
      steadyRuns: { p50: number; p99: number }[],
      child: ChildProcess,
    ): AckFigure => ({
      label,
      eventsPerSecond: Math.round(median(runs.map((r) => r.eventsPerSecond))),
      p50Ms: Number(median(runs.map((r) => r.p50)).toFixed(1)),
      p99Ms: Number(median(runs.map((r) => r.p99)).toFixed(1)),
      peakRssMb: peakRssMb(child),
      steadyP50Ms: Number(median(steadyRuns.map((r) => r.p50)).toFixed(1)),
      steadyP99Ms: Number(median(steadyRuns.map((r) => r.p99)).toFixed(1)),
    });
    return [
      {
        ...figure(
          'Tongxin on PostgreSQL (inbox write before the 200)',
          results.ours,
          steady.ours,
          ours.child,
        ),
        repliesPerSecond: Math.round(median(replies)),
      },
      figure('Bot as the SDK README shows it (no persistence)', results.peer, steady.peer, peer.child),
    ];
  } finally {
    ours.child.kill('SIGTERM');
    peer.child.kill('SIGTERM');
    await standIn.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await scratch.drop();
  }
}
