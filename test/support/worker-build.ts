/**
 * Builds the Workers bundle as `wrangler deploy` would (a dry run, offline) and describes it for
 * Miniflare: the modules, and esbuild's metafile listing every input that went in.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WorkerBuild {
  dir: string;
  /** The modules as Miniflare takes them: the entry first. */
  modules: { type: 'ESModule' | 'Text'; path: string }[];
  /** esbuild's metafile: each input with its size and what it imports. */
  meta: { inputs: Record<string, { bytes: number; imports: { path: string; kind: string }[] }> };
  remove(): Promise<void>;
}

export async function buildWorker(): Promise<WorkerBuild> {
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-worker-'));
  await run(
    process.execPath,
    [
      'node_modules/wrangler/bin/wrangler.js',
      'deploy',
      '--dry-run',
      '--outdir',
      dir,
      '--metafile',
      join(dir, 'meta.json'),
    ],
    {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' },
      timeout: 120_000,
    },
  );
  const files = await readdir(dir);
  const modules: WorkerBuild['modules'] = [{ type: 'ESModule', path: join(dir, 'worker.js') }];
  for (const file of files)
    if (file.endsWith('.umd.min.js')) modules.push({ type: 'Text', path: join(dir, file) });
  const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as WorkerBuild['meta'];
  return { dir, modules, meta, remove: () => rm(dir, { recursive: true, force: true }) };
}
