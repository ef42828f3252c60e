/** `npm run bench`: runs every benchmark and writes BENCHMARKS.md with the machine and versions. */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchStartup } from './startup.ts';

const root = join(import.meta.dirname, '..');
const version = (pkg: string) =>
  (
    JSON.parse(execSync(`npm ls ${pkg} --json --depth=0`, { cwd: root }).toString()) as {
      dependencies?: Record<string, { version: string }>;
    }
  ).dependencies?.[pkg]?.version ?? '?';

const startup = await benchStartup();
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
];
writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'));
console.log(lines.join('\n'));
