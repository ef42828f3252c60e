/**
 * A news broadcast to 10,000 Lark users through the local stand-in, which keeps the platform's
 * frequency limits (50 sends/s per app, 5/s per user) and refuses 5% of calls (429 or 500) at
 * random. Measures the time to deliver everything against the ideal (recipients / 50 s), and
 * counts duplicates (anyone shown two messages) and losses (anyone shown none). Run four ways:
 * one server or three on the same database, with the limits each server's own (in memory) or
 * kept together in the database (SHARED_LIMITS), to measure what sharing costs and what it saves.
 */

import { openDatabase } from '../db/client.ts';
import { channelIdentities, people } from '../db/schema/index.ts';
import { type StandIn, startLarkStandIn } from '../test/support/lark-stand-in.ts';
import { createScratchDatabase } from '../test/support/scratch-database.ts';
import { type ServerProcess, startServerProcess } from '../test/support/server-process.ts';
import { peakRssMb } from './rss.ts';

export const broadcastSize = Number(process.env.BENCH_BROADCAST ?? 10_000);
export const appPerSecond = 50;

/** How the broadcast is served: how many server processes, and where they keep the limits. */
export interface BroadcastSetup {
  instances: number;
  shared: boolean;
}

export const broadcastSetups: BroadcastSetup[] = [
  { instances: 1, shared: false },
  { instances: 1, shared: true },
  { instances: 3, shared: true },
  { instances: 3, shared: false },
];

export interface BroadcastFigure extends BroadcastSetup {
  recipients: number;
  seconds: number;
  idealSeconds: number;
  ratio: number;
  duplicates: number;
  losses: number;
  calls: number;
  limited: number;
  faults: number;
  /** The server process's peak RSS over the broadcast. */
  peakRssMb: number;
}

const adminToken = 'bench-admin-token-0123456789';
const app = { appId: 'cli_benchbroadcast1', appSecret: 'bench-broadcast-secret' };

export async function benchBroadcasts(): Promise<BroadcastFigure[] | null> {
  const figures: BroadcastFigure[] = [];
  for (const setup of broadcastSetups) {
    const figure = await benchBroadcast(setup);
    if (!figure) return null;
    figures.push(figure);
  }
  return figures;
}

export async function benchBroadcast(setup: BroadcastSetup): Promise<BroadcastFigure | null> {
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    'tongxin_bench',
  );
  if (!scratch) return null;
  let standIn: StandIn | null = null;
  const servers: ServerProcess[] = [];
  try {
    await addRecipients(scratch.url);
    standIn = await startLarkStandIn(app);
    Object.assign(standIn.faults, { rate: 0.05, kind: 'mixed', appPerSecond, userPerSecond: 5 });
    for (let i = 0; i < setup.instances; i++)
      servers.push(await startServerProcess(serverEnv(setup, scratch.url, standIn.url)));
    const started = performance.now();
    await publishNews(servers[0]!);
    await waitForDeliveries(standIn, started);
    const seconds = (performance.now() - started) / 1000;
    // Anything resent late would show up now.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return figureOf(setup, standIn, servers, seconds);
  } finally {
    for (const server of servers) await server.kill('SIGTERM');
    await standIn?.close();
    await scratch.drop();
  }
}

/** Writes the recipients (people with a Lark identity each) to the scratch database. */
async function addRecipients(url: string): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url });
  await database.migrate();
  for (let from = 0; from < broadcastSize; from += 1000) {
    const count = Math.min(1000, broadcastSize - from);
    const rows = await database.db
      .insert(people)
      .values(Array.from({ length: count }, (_, i) => ({ displayName: `职工${from + i + 1}` })))
      .returning({ id: people.id });
    await database.db.insert(channelIdentities).values(
      rows.map((r, i) => ({
        personId: r.id,
        channel: 'lark' as const,
        externalId: `ou_bench_${from + i + 1}`,
      })),
    );
  }
  await database.close();
}

/** A server's environment: the scratch database, the stand-in for Lark, and the setup's limits. */
function serverEnv(setup: BroadcastSetup, databaseUrl: string, larkUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN: adminToken,
    LARK_APP_ID: app.appId,
    LARK_APP_SECRET: app.appSecret,
    LARK_VERIFICATION_TOKEN: 'bench-verification',
    LARK_API_BASE: larkUrl,
    LARK_RATE_APP_PER_SECOND: String(appPerSecond),
    LARK_RATE_APP_PER_MINUTE: String(appPerSecond * 60),
    SHARED_LIMITS: String(setup.shared),
    LOG_LEVEL: 'info',
  };
}

/** Publishes the news to everyone, through the first server's API. */
async function publishNews(server: ServerProcess): Promise<void> {
  const published = await fetch(`${server.url}/api/news`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      topic: 'notice',
      title: '关于开展冬季送温暖活动的通知',
      body: '各基层工会：为做好冬季送温暖工作，现将有关事项通知如下……',
      audience: { kind: 'everyone' },
    }),
  });
  if (published.status !== 201) throw new Error(`publishing failed: ${published.status}`);
}

/** Waits until every recipient was sent the news, or three times the ideal and a minute have passed. */
async function waitForDeliveries(standIn: StandIn, started: number): Promise<void> {
  const deadline = Date.now() + (broadcastSize / appPerSecond) * 3 * 1000 + 60_000;
  const marks: Record<string, number> = {};
  const quantiles = [0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1];
  while (standIn.sent.length < broadcastSize && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const q of quantiles)
      if (!(q in marks) && standIn.sent.length >= q * broadcastSize)
        marks[q] = Math.round(performance.now() - started) / 1000;
  }
  if (process.env.BENCH_VERBOSE) console.error('progress (share delivered: seconds)', marks);
}

/** What the stand-in saw: duplicates, losses, refusals and faults, against the ideal time. */
function figureOf(
  setup: BroadcastSetup,
  standIn: StandIn,
  servers: readonly ServerProcess[],
  seconds: number,
): BroadcastFigure {
  const perReceiver = new Map<string, number>();
  for (const message of standIn.sent)
    perReceiver.set(message.receiveId, (perReceiver.get(message.receiveId) ?? 0) + 1);
  const sends = standIn.calls.filter((c) => c.path === '/open-apis/im/v1/messages');
  if (process.env.BENCH_VERBOSE) {
    // Pauses in the stream of sends: where the pace was lost, when it was.
    const gaps = sends.slice(1).map((c, i) => c.at - sends[i]!.at);
    const long = gaps.filter((g) => g > 30);
    const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
    console.error(
      `gaps between sends: mean ${mean.toFixed(2)} ms; ${long.length} over 30 ms, ${Math.round(long.reduce((a, b) => a + b, 0))} ms in all`,
    );
  }
  const idealSeconds = broadcastSize / appPerSecond;
  return {
    ...setup,
    recipients: broadcastSize,
    seconds: Math.round(seconds * 10) / 10,
    idealSeconds,
    ratio: Math.round((seconds / idealSeconds) * 1000) / 1000,
    duplicates: [...perReceiver.values()].reduce((n, k) => n + (k - 1), 0),
    losses: broadcastSize - perReceiver.size,
    calls: sends.length,
    limited: sends.filter((c) => c.limited).length,
    faults: sends.filter((c) => (c.status === 429 || c.status === 500) && !c.limited).length,
    peakRssMb: Math.max(...servers.map((s) => peakRssMb(s.child.pid))),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchBroadcasts());
