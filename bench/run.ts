/** `npm run bench`: runs every benchmark and writes BENCHMARKS.md with the machine and versions. */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchLarkAck, steadyRate } from './lark-ack.ts';
import { benchStartup } from './startup.ts';

const root = join(import.meta.dirname, '..');
const version = (pkg: string) =>
  (
    JSON.parse(execSync(`npm ls ${pkg} --json --depth=0`, { cwd: root }).toString()) as {
      dependencies?: Record<string, { version: string }>;
    }
  ).dependencies?.[pkg]?.version ?? '?';

const startup = await benchStartup();
const ack = await benchLarkAck();
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
writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'));
console.log(lines.join('\n'));
