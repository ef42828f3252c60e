/** `npm run bench`: runs every benchmark and writes BENCHMARKS.md with the machine and versions. */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { appPerSecond, benchBroadcast } from './broadcast.ts';
import { benchLarkAck, steadyRate } from './lark-ack.ts';
import { benchPolls, pollsSection } from './polls.ts';
import { benchStartup } from './startup.ts';

const root = join(import.meta.dirname, '..');
const version = (pkg: string) =>
  (
    JSON.parse(execSync(`npm ls ${pkg} --json --depth=0`, { cwd: root }).toString()) as {
      dependencies?: Record<string, { version: string }>;
    }
  ).dependencies?.[pkg]?.version ?? '?';

/** BENCH_ONLY=broadcast (or polls) runs that one benchmark and replaces its section in BENCHMARKS.md. */
const only = process.env.BENCH_ONLY;
const sectionNames = ['broadcast', 'polls'];
if (only && !sectionNames.includes(only)) {
  console.error(`BENCH_ONLY takes one of: ${sectionNames.join(', ')}`);
  process.exit(2);
}
const startup = only ? [] : await benchStartup();
const ack = only ? null : await benchLarkAck();
const broadcast = !only || only === 'broadcast' ? await benchBroadcast() : null;
const polls = !only || only === 'polls' ? pollsSection(await benchPolls()) : [];
const broadcastSection = [
  '## News broadcast to 10,000',
  '',
  broadcast
    ? `A news item to ${broadcast.recipients} Lark users (known by open_id), from the server process on PostgreSQL through the local Lark stand-in, which keeps the platform's frequency limits (${appPerSecond} sends/s per app, 5/s per user; a send over them is refused with 429) and refuses 5% of calls at random (429 or 500; those do not count against the limits). Timed from the officer's POST to the last message accepted; ideal = recipients / ${appPerSecond} s. Duplicates: messages shown to someone beyond their first; losses: people shown none.`
    : 'Skipped: no PostgreSQL reachable.',
  '',
  ...(broadcast
    ? [
        '| recipients | time | ideal | ratio | duplicates | losses | send calls | refused by the limits | refused at random |',
        '|---|---|---|---|---|---|---|---|---|',
        `| ${broadcast.recipients} | ${broadcast.seconds} s | ${broadcast.idealSeconds} s | ${broadcast.ratio} | ${broadcast.duplicates} | ${broadcast.losses} | ${broadcast.calls} | ${broadcast.limited} | ${broadcast.faults} |`,
        '',
      ]
    : []),
];
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
  const section = only === 'polls' ? polls : broadcastSection;
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
  '## Lark events acknowledged',
  '',
  ack
    ? `${process.env.BENCH_EVENTS ?? 3000} distinct encrypted, signed message events per run, from a load generator on the same machine, ${process.env.BENCH_ROUNDS ?? 3} rounds (medians). Throughput: ${process.env.BENCH_CONCURRENCY ?? 32} requests at a time, as fast as they are answered (p50 and p99 there mostly measure the queue). Latency: events sent at a steady ${steadyRate}/s whatever the answers, each timed from when it was due. Replies go to the local Lark stand-in; end-to-end replies/s counts from the first event sent to the last reply received. Both servers run on the same 2 cores as the load generator, the stand-in and PostgreSQL.`
    : 'Skipped: no PostgreSQL reachable.',
  '',
  ...(ack
    ? [
        `| server | acknowledged events/s | p50 / p99 at full load | p50 / p99 at ${steadyRate}/s | peak RSS | end-to-end replies/s |`,
        '|---|---|---|---|---|---|',
        ...ack.map(
          (f) =>
            `| ${f.label} | ${f.eventsPerSecond} | ${f.p50Ms} / ${f.p99Ms} ms | ${f.steadyP50Ms} / ${f.steadyP99Ms} ms | ${f.peakRssMb} MB | ${f.repliesPerSecond ?? '—'} |`,
        ),
        '',
        `Ratio of acknowledged events/s, Tongxin to the SDK README bot: ${(ack[0]!.eventsPerSecond / ack[1]!.eventsPerSecond).toFixed(2)}.`,
        '',
      ]
    : []),
];
lines.push(...broadcastSection, ...polls);
writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'));
console.log(lines.join('\n'));
