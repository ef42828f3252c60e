/**
 * Start-up time to healthy: from spawning the server (as `npm start` runs it, without npm) to the
 * first 200 from /healthz, with the server's peak memory. Cold PGlite (a new data directory, so
 * initdb runs), warm PGlite (the same directory again), and PostgreSQL when one is reachable.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../test/support/scratch-database.ts';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);

export interface StartupFigure {
  label: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  peakRssMb: number;
}

async function startOnce(env: Record<string, string>): Promise<{ ms: number; rssMb: number }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/runtime/node.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (performance.now() - started > 60_000) throw new Error('server did not become healthy in 60 s');
    }
    const ms = performance.now() - started;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { ms, rssMb: hwm / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function summarise(label: string, samples: { ms: number; rssMb: number }[]): StartupFigure {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    label,
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
    minMs: Math.round(sorted[0]!),
    maxMs: Math.round(sorted.at(-1)!),
    peakRssMb: Math.round(Math.max(...samples.map((s) => s.rssMb))),
  };
}

export async function benchStartup(): Promise<StartupFigure[]> {
  const figures: StartupFigure[] = [];
  const cold: { ms: number; rssMb: number }[] = [];
  const warm: { ms: number; rssMb: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'tongxin-bench-'));
    try {
      cold.push(await startOnce({ DATA_DIR: dir }));
      warm.push(await startOnce({ DATA_DIR: dir }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  figures.push(summarise('PGlite, new data directory (initdb)', cold));
  figures.push(summarise('PGlite, existing data directory', warm));

  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    'tongxin_bench',
  );
  if (scratch) {
    try {
      await startOnce({ DATABASE_URL: scratch.url }); // applies the migrations
      const samples: { ms: number; rssMb: number }[] = [];
      for (let i = 0; i < runs; i++) samples.push(await startOnce({ DATABASE_URL: scratch.url }));
      figures.push(summarise('PostgreSQL (migrations already applied)', samples));
    } finally {
      await scratch.drop();
    }
  }
  return figures;
}
