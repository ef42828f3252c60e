/** `npm run bench`: runs every benchmark and writes BENCHMARKS.md with the machine and versions. */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { appPerSecond, type BroadcastFigure, benchBroadcasts } from './broadcast.ts';
import { type AckFigure, benchLarkAck, steadyRate } from './lark-ack.ts';
import { benchPolls, pollsSection } from './polls.ts';
import { benchRoster, rosterSection } from './roster.ts';
import { benchStartup } from './startup.ts';

const root = join(import.meta.dirname, '..');
const version = (pkg: string) =>
  (
    JSON.parse(execSync(`npm ls ${pkg} --json --depth=0`, { cwd: root }).toString()) as {
      dependencies?: Record<string, { version: string }>;
    }
  ).dependencies?.[pkg]?.version ?? '?';

/** BENCH_ONLY=ack (or broadcast, polls, roster) runs that one benchmark and replaces its section in BENCHMARKS.md. */
const only = process.env.BENCH_ONLY;
const sectionNames = ['ack', 'broadcast', 'polls', 'roster'];
if (only && !sectionNames.includes(only)) {
  console.error(`BENCH_ONLY takes one of: ${sectionNames.join(', ')}`);
  process.exit(2);
}
const startup = only ? [] : await benchStartup();
const ack = !only || only === 'ack' ? await benchLarkAck() : null;
const broadcasts = !only || only === 'broadcast' ? await benchBroadcasts() : null;
const ackSection = ackLines(ack);
const polls = !only || only === 'polls' ? pollsSection(await benchPolls()) : [];
const roster = !only || only === 'roster' ? rosterSection(await benchRoster()) : [];
const broadcastSection = [
  '## News broadcast to 10,000',
  '',
  broadcasts
    ? `A news item to ${broadcasts[0]!.recipients} Lark users (known by open_id), from server processes on one PostgreSQL database through the local Lark stand-in, which keeps the platform's frequency limits (${appPerSecond} sends/s per app, 5/s per user; a send over them is refused with 429) and refuses 5% of calls at random (429 or 500; those do not count against the limits). Run with one server and with three, the limits kept by each server in its memory or together in the database (\`SHARED_LIMITS\`, the default on PostgreSQL). Timed from the officer's POST to the last message accepted; ideal = recipients / ${appPerSecond} s. Duplicates: messages shown to someone beyond their first; losses: people shown none.`
    : 'Skipped: no PostgreSQL reachable.',
  '',
  ...(broadcasts
    ? [
        '| servers | limits | recipients | time | ideal | ratio | duplicates | losses | send calls | refused by the limits | refused at random | peak RSS of a server |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|',
        ...broadcasts.map(
          (b) =>
            `| ${b.instances} | ${b.shared ? 'in the database' : 'in memory'} | ${b.recipients} | ${b.seconds} s | ${b.idealSeconds} s | ${b.ratio} | ${b.duplicates} | ${b.losses} | ${b.calls} | ${b.limited} | ${b.faults} | ${b.peakRssMb} MB |`,
        ),
        '',
        ...broadcastCost(broadcasts),
      ]
    : []),
];

/** What keeping the limits in the database costs one server, and what it saves three. */
function broadcastCost(figures: readonly BroadcastFigure[]): string[] {
  const find = (instances: number, shared: boolean) =>
    figures.find((f) => f.instances === instances && f.shared === shared);
  const alone = find(1, false);
  const sharedOne = find(1, true);
  const sharedThree = find(3, true);
  const apartThree = find(3, false);
  if (!alone || !sharedOne || !sharedThree || !apartThree) return [];
  return [
    `- One server, limits in the database against in memory: ${Math.round((sharedOne.seconds / alone.seconds) * 100) / 100}× the time (${sharedOne.seconds} s against ${alone.seconds} s); sends refused by the platform's limits ${sharedOne.limited} against ${alone.limited}.`,
    `- Three servers: with the limits in the database ${sharedThree.limited} sends refused by the platform's limits, ${sharedThree.seconds} s; each with its own, ${apartThree.limited} refused, ${apartThree.seconds} s.`,
    '',
  ];
}
/** The file with the section under `heading` replaced by `section` (appended when absent). */
function replaceSection(current: string, heading: string, section: string): string {
  const start = current.indexOf(`\n${heading}`);
  if (start < 0) return `${current.trimEnd()}\n\n${section.trimEnd()}\n`;
  const next = current.indexOf('\n## ', start + 1);
  const rest = next < 0 ? '' : `\n${current.slice(next + 1)}`;
  return `${current.slice(0, start).trimEnd()}\n\n${section.trimEnd()}\n${rest}`;
}
if (only) {
  const file = join(root, 'BENCHMARKS.md');
  const section =
    only === 'polls' ? polls : only === 'roster' ? roster : only === 'ack' ? ackSection : broadcastSection;
  writeFileSync(file, replaceSection(readFileSync(file, 'utf8'), section[0]!, section.join('\n')));
  console.log(section.join('\n'));
  process.exit(0);
}
const postgresVersion = (() => {
  try {
    return execSync('psql --version').toString().trim();
  } catch {
    return 'not found';
  }
})();

const lines = [
  '# Benchmarks',
  '',
  `Run with \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ` +
    `PGlite ${version('@electric-sql/pglite')}; ${postgresVersion}; Hono ${version('hono')}; drizzle-orm ${version('drizzle-orm')}.`,
  '',
  '## Start-up time to healthy',
  '',
  `From spawning the server to the first 200 from \`/healthz\`, ${process.env.BENCH_RUNS ?? 5} runs each; peak RSS of the server process.`,
  '',
  '| database | median | min | max | peak RSS |',
  '|---|---|---|---|---|',
  ...startup.map(
    (f) => `| ${f.label} | ${f.medianMs} ms | ${f.minMs} ms | ${f.maxMs} ms | ${f.peakRssMb} MB |`,
  ),
  '',
  ...ackSection,
];
lines.push(...broadcastSection, ...polls, ...roster);
writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'));
console.log(lines.join('\n'));

/** The acknowledgement section: the table, the ratios to the peers, and the targets. */
function ackLines(figures: Awaited<ReturnType<typeof benchLarkAck>>): string[] {
  const head = [
    '## Lark events acknowledged',
    '',
    figures
      ? `${process.env.BENCH_EVENTS ?? 3000} distinct encrypted, signed message events per run, from a load generator on the same machine, ${process.env.BENCH_ROUNDS ?? 3} rounds (medians). Throughput: ${process.env.BENCH_CONCURRENCY ?? 32} requests at a time, as fast as they are answered (p50 and p99 there mostly measure the queue). Latency: events sent at a steady ${steadyRate}/s whatever the answers, each timed from when it was due. Replies go to the local Lark stand-in; end-to-end replies/s counts from the first event sent to the last reply received. Every server runs on the same 2 cores as the load generator, the stand-in and PostgreSQL, one at a time; peak RSS is each server process's over the whole run.`
      : 'Skipped: no PostgreSQL reachable.',
    '',
  ];
  if (!figures) return head;
  const [pg, pglite, sdk, bare] = figures as [AckFigure, AckFigure, AckFigure, AckFigure];
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const replyRatio =
    pg.repliesPerSecond && sdk.repliesPerSecond ? pg.repliesPerSecond / sdk.repliesPerSecond : 0;
  return [
    ...head,
    `| server | acknowledged events/s | p50 / p99 at full load | p50 / p99 at ${steadyRate}/s | peak RSS | end-to-end replies/s |`,
    '|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.label} | ${f.eventsPerSecond} | ${f.p50Ms} / ${f.p99Ms} ms | ${f.steadyP50Ms} / ${f.steadyP99Ms} ms | ${f.peakRssMb} MB | ${f.repliesPerSecond ?? '—'} |`,
    ),
    '',
    'Ratios, in the same run:',
    '',
    `- Acknowledged events/s, Tongxin on PostgreSQL to the SDK README bot: ${ratio(pg.eventsPerSecond, sdk.eventsPerSecond)}; on PGlite: ${ratio(pglite.eventsPerSecond, sdk.eventsPerSecond)}.`,
    `- Share of the machine's limit (bare node:http): PostgreSQL ${ratio(pg.eventsPerSecond, bare.eventsPerSecond)}, PGlite ${ratio(pglite.eventsPerSecond, bare.eventsPerSecond)}, SDK README bot ${ratio(sdk.eventsPerSecond, bare.eventsPerSecond)}.`,
    `- End-to-end replies/s, Tongxin on PostgreSQL to the SDK README bot replying in its handler: ${replyRatio.toFixed(2)}.`,
    '',
    'Targets:',
    '',
    `- Acknowledged events/s on PostgreSQL at least the SDK bot's: ${pg.eventsPerSecond >= sdk.eventsPerSecond ? 'met' : 'missed'} (${pg.eventsPerSecond} against ${sdk.eventsPerSecond}).`,
    `- p99 under 25 ms: ${pg.steadyP99Ms < 25 ? 'met' : 'missed'} at a steady ${steadyRate}/s (${pg.steadyP99Ms} ms); at full load, with ${process.env.BENCH_CONCURRENCY ?? 32} requests always waiting, ${pg.p99Ms} ms, which is queueing on 2 shared cores (the bare server's own p99 there: ${bare.p99Ms} ms).`,
    `- End-to-end replies/s at least twice the SDK bot's: ${replyRatio >= 2 ? 'met' : 'missed'} (${replyRatio.toFixed(2)}×).`,
    '',
  ];
}
