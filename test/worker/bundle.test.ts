/**
 * The Workers bundle: built offline as `wrangler deploy` builds it, it holds nothing that runs only
 * on Node, it stays well under the platform's size limit, and in workerd, before it is configured,
 * it says what is missing.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import { buildWorker, type WorkerBuild } from '../support/worker-build.ts';

let build: WorkerBuild;

beforeAll(async () => {
  build = await buildWorker();
});

afterAll(() => build?.remove());

/** Node-only packages and files: the embedded database, WeChat, node-cron, the Lark SDK, and this app's Node side. */
const nodeOnly = [
  /node_modules\/@electric-sql\/pglite\//,
  /node_modules\/wechaty/,
  /node_modules\/node-cron\//,
  /node_modules\/@larksuiteoapi\//,
  /node_modules\/@hono\/node-server\//,
  /^db\/client\.ts$/,
  /^src\/runtime\/(node|boot|job|migrate|node-parts)\.ts$/,
  /^bots\/wechat\//,
  /^bots\/lark\/(crypto-node|sdk-transport|long-connection)\.ts$/,
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

describe('the Worker before it is configured', () => {
  it('answers 503, naming what is missing in both languages, and changes nothing', async () => {
    /** The bundle's options with these bindings (each change starts a fresh isolate). */
    const withBindings = (bindings: Record<string, string>) => ({
      modulesRoot: build.dir,
      modules: build.modules,
      compatibilityDate: '2025-09-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings,
    });
    const bare = new Miniflare(
      withBindings({ ADMIN_TOKEN: 'test-admin-token-0123456789', DATA_KEY: 'not a key' }),
    );
    try {
      const bad = await bare.dispatchFetch('http://localhost/healthz');
      expect(bad.status).toBe(503);
      const { error } = (await bad.json()) as { error: { message_zh: string; message_en: string } };
      expect(error.message_zh).toContain('服务尚未配置好');
      // A malformed key is named, never shown.
      expect(error.message_en).toContain('(invalid: DATA_KEY)');
      expect(error.message_en).not.toContain('not a key');
      await bare.setOptions(withBindings({ ADMIN_TOKEN: 'test-admin-token-0123456789' }));
      const missing = await bare.dispatchFetch('http://localhost/chat');
      expect(missing.status).toBe(503);
      const body = (await missing.json()) as { error: { message_en: string } };
      expect(body.error.message_en).toContain('not set: DATA_KEY, PUBLIC_URL, HYPERDRIVE or DATABASE_URL');
      // Configured, but the database does not answer: unavailable, try again later.
      const unreachable = {
        DATA_KEY: generateDataKey(),
        PUBLIC_URL: 'https://tongxin.example.workers.dev',
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/none',
      };
      await bare.setOptions(withBindings(unreachable));
      const down = await bare.dispatchFetch('http://localhost/healthz');
      expect(down.status).toBe(503);
      // The chat page needs no database: its cookie is signed with a key derived from DATA_KEY.
      expect((await bare.dispatchFetch('http://localhost/chat')).status).toBe(200);
      // With the cookie key set, the app answers 503 itself where it needs the database.
      await bare.setOptions(
        withBindings({
          ...unreachable,
          WEB_COOKIE_SECRET: 'a-web-cookie-secret-of-32-characters-or-more',
          ADMIN_TOKEN: 'test-admin-token-0123456789',
        }),
      );
      expect((await bare.dispatchFetch('http://localhost/healthz')).status).toBe(503);
      const api = await bare.dispatchFetch('http://localhost/api/news', {
        headers: { authorization: 'Bearer test-admin-token-0123456789' },
      });
      expect(api.status).toBe(503);
      const apiError = ((await api.json()) as { error: { code: string; message_zh: string } }).error;
      expect(apiError.code).toBe('unavailable');
      expect(apiError.message_zh).toContain('暂时');
    } finally {
      await bare.dispose();
    }
  });
});
