/**
 * The Workers bundle: built offline as `wrangler deploy` builds it, it holds nothing that runs only
 * on Node, and it stays well under the platform's size limit.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorker, type WorkerBuild } from '../support/worker-build.ts';

let build: WorkerBuild;

beforeAll(async () => {
  build = await buildWorker();
}, 120_000);

afterAll(() => build?.remove());

/** Node-only packages and files: the embedded database, WeChat, node-cron, the Lark SDK, and this app's Node side. */
const nodeOnly = [
  /node_modules\/@electric-sql\/pglite\//,
  /node_modules\/wechaty/,
  /node_modules\/node-cron\//,
  /node_modules\/@larksuiteoapi\//,
  /node_modules\/@hono\/node-server\//,
  /^db\/client\.ts$/,
  /^src\/runtime\/(node|boot|job|migrate|node-parts|lark-long-connection)\.ts$/,
  /^bots\/wechat\//,
  /^bots\/lark\/(crypto-node|sdk-transport)\.ts$/,
  /^src\/console\/chart-asset-node\.ts$/,
];

/** The platform's limit on a Worker's compressed size, on the free plan (paid plans allow 10 MB). */
const freePlanLimit = 3 * 1024 * 1024;

describe('the Workers bundle', () => {
  it('holds nothing Node-only, and no app module imports a node: builtin', () => {
    const inputs = Object.keys(build.meta.inputs);
    expect(inputs).toContain('src/runtime/worker.ts');
    expect(inputs.some((input) => input.includes('node_modules/pg/'))).toBe(true);
    for (const pattern of nodeOnly) expect(inputs.filter((input) => pattern.test(input))).toEqual([]);
    const ownFiles = inputs.filter((input) => /^(src|bots|flows|db)\//.test(input));
    expect(ownFiles.length).toBeGreaterThan(100);
    const builtins = ownFiles.flatMap((input) =>
      build.meta.inputs[input]!.imports.filter((i) => /^(node:|node-built-in-modules:)/.test(i.path)).map(
        (i) => `${input} → ${i.path}`,
      ),
    );
    expect(builtins).toEqual([]);
  });

  it('stays under the free plan’s 3 MB compressed, Chart.js included', async () => {
    let raw = 0;
    let compressed = 0;
    for (const module of build.modules) {
      const bytes = await readFile(module.path);
      raw += bytes.length;
      compressed += gzipSync(bytes, { level: 9 }).length;
    }
    expect(build.modules.map((m) => m.type)).toEqual(['ESModule', 'Text']);
    expect(raw).toBeGreaterThan(500_000);
    expect(compressed).toBeLessThan(freePlanLimit);
    console.info(
      `worker bundle: ${(raw / 1024).toFixed(0)} KiB, ${(compressed / 1024).toFixed(0)} KiB gzipped`,
    );
  });
});
