import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  const dynamic = [...text.matchAll(/(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  const bare = [...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return [...specifiers, ...dynamic, ...bare];
}

/** Where an import leads, relative to the project root ('zod', 'kernel/l10n.ts', …). */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative(root, join(file, '..', specifier));
}

/** Whether every import of `to` in `file` is of types only (erased: no code runs across it). */
function isTypeOnly(file: string, to: string): boolean {
  const text = readFileSync(file, 'utf8');
  const lines = [...text.matchAll(/(?:^|\n)\s*(import|export)([^'"]*?)from\s*['"]([^'"]+)['"]/g)].filter(
    (m) => target(file, m[3]!) === to,
  );
  return lines.length > 0 && lines.every((m) => /^\s*type\b/.test(m[2]!));
}

/** What any code may import: zod and the shared kernel's pure part (words, text, errors). */
function pureKernel(to: string): boolean {
  return to === 'zod' || (to.startsWith('kernel/') && !to.startsWith('kernel/http/'));
}

describe('dependency direction', () => {
  it('kernel/ imports zod and itself; only kernel/http reaches for hono', () => {
    const offending = sourceFiles(join(root, 'kernel')).flatMap((file) =>
      importsOf(file)
        .filter((s) => {
          const to = target(file, s);
          const http = relative(root, file).startsWith('kernel/http/');
          return !(pureKernel(to) || (http && (to.startsWith('kernel/http/') || /^hono(\/|$)/.test(to))));
        })
        .map((s) => `${relative(root, file)} → ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('flows/ imports no channel, SDK, database driver, server code or node:* module', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(join(root, 'flows'))) {
      for (const specifier of importsOf(file)) {
        const to = target(file, specifier);
        const allowed = pureKernel(to) || to.startsWith('flows/') || to.startsWith('bots/core/');
        if (!allowed) offending.push(`${relative(root, file)} → ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the check above would notice a forbidden import', () => {
    const file = join(root, 'flows', 'x.ts');
    for (const bad of [
      'node:fs',
      'pg',
      '@electric-sql/pglite',
      'drizzle-orm',
      'hono',
      '../db/client.ts',
      '../src/app.ts',
      '../bots/web/page.ts',
      '../kernel/http/json-body.ts',
    ]) {
      const to = target(file, bad);
      expect(pureKernel(to) || to.startsWith('flows/') || to.startsWith('bots/core/'), bad).toBe(false);
    }
    expect(importsOf(join(root, 'flows', 'engine', 'engine.ts'))).toContain('../../bots/core/messenger.ts');
  });

  it('bots/core is ports, types and schemas: it imports zod, the pure kernel and the types of hono only', () => {
    for (const file of sourceFiles(join(root, 'bots', 'core'))) {
      const text = readFileSync(file, 'utf8');
      expect(
        importsOf(file).filter((s) => {
          const to = target(file, s);
          if (pureKernel(to) || to.startsWith('bots/core/')) return false;
          return !(to === 'hono' && new RegExp(`import type [^;]*from '${s}'`).test(text));
        }),
        relative(root, file),
      ).toEqual([]);
    }
  });

  it('a channel is its folder: bots/ imports no database and nothing from src/ or flows/', () => {
    const offending = sourceFiles(join(root, 'bots')).flatMap((file) => {
      const own = relative(root, file).split('/').slice(0, 2).join('/');
      return importsOf(file)
        .filter((s) => !channelMayImport(own, target(file, s)))
        .map((s) => `${relative(root, file)} → ${s}`);
    });
    expect(offending).toEqual([]);
  });

  it('the check above would notice a channel reaching for the database, the server or another channel', () => {
    for (const bad of [
      'db/handle.ts',
      'drizzle-orm',
      'pg',
      '@electric-sql/pglite',
      'src/pipeline/inbox.ts',
      'src/http/app.ts',
      'flows/polls/messages.ts',
      'bots/web/render.ts',
    ]) {
      expect(channelMayImport('bots/lark', bad), bad).toBe(false);
    }
    for (const good of [
      'bots/core/intake.ts',
      'bots/lark/verify.ts',
      'kernel/l10n.ts',
      'hono',
      'zod',
      '@larksuiteoapi/node-sdk',
    ]) {
      expect(channelMayImport('bots/lark', good), good).toBe(true);
    }
    // Another platform's SDK, in a channel that is not that platform's.
    expect(channelMayImport('bots/web', 'wechaty')).toBe(false);
    expect(channelMayImport('bots/web', '@larksuiteoapi/node-sdk')).toBe(false);
    expect(channelMayImport('bots/wechat', 'wechaty-puppet-service')).toBe(true);
  });
});

/** The packages each channel may use besides hono and zod: its platform's SDK and what that needs. */
const channelPackages: Record<string, RegExp> = {
  'bots/lark': /^(@larksuiteoapi\/node-sdk|node:crypto)$/,
  'bots/wechat': /^(wechaty(-[a-z-]+)?|qrcode)(\/|$)/,
  'bots/web': /^$/,
  'bots/core': /^$/,
};

/** What a file of the channel folder `own` (bots/lark, …) may import. */
function channelMayImport(own: string, to: string): boolean {
  if (to.startsWith('bots/core/') || to.startsWith(`${own}/`) || to.startsWith('kernel/')) return true;
  if (to.startsWith('.') || /^(bots|src|flows|db|test|bench|scripts)\//.test(to)) return false;
  // Packages: the web framework, schemas and the channel's own platform SDK; nothing else.
  return /^(hono|zod)(\/|$)/.test(to) || (channelPackages[own]?.test(to) ?? false);
}

describe('capabilities', () => {
  it('a capability imports no other, but the shared items and people', () => {
    const crossings = sourceFiles(join(root, 'src', 'domains')).flatMap((file) => {
      const own = relative(root, file).split('/')[2];
      return importsOf(file)
        .map((s) => target(file, s))
        .filter((to) => {
          const other = /^src\/domains\/([^/]+)\//.exec(to)?.[1];
          return other !== undefined && other !== own && other !== 'items' && other !== 'people';
        })
        .map((to) => `${relative(root, file)} → ${to}`);
    });
    // Each kind of item hands its own move rule to the items' lifecycle, each capability its own
    // schedule handlers to the tick, and the scheduler is the pipeline's.
    expect([...new Set(crossings)].sort()).toEqual([]);
  });

  it('the pipeline imports no capability but the shared items and people (the rest is handed to it)', () => {
    const reaching = sourceFiles(join(root, 'src', 'pipeline')).flatMap((file) =>
      importsOf(file)
        .map((s) => target(file, s))
        .filter((to) => {
          const other = /^src\/domains\/([^/]+)\//.exec(to)?.[1];
          return other !== undefined && other !== 'items' && other !== 'people';
        })
        .map((to) => `${relative(root, file)} → ${to}`),
    );
    expect(reaching).toEqual([]);
  });

  it('the server kernel imports the shared kernel, its own files and its few libraries; of the rest, types only', () => {
    const libraries = ['zod', 'croner', 'markdown-it', 'markdown-it-cjk-friendly', 'node:crypto'];
    const upward = sourceFiles(join(root, 'src', 'kernel')).flatMap((file) =>
      importsOf(file)
        .map((s) => target(file, s))
        .filter(
          (to) =>
            !libraries.includes(to) &&
            !pureKernel(to) &&
            !to.startsWith('src/kernel/') &&
            !isTypeOnly(file, to),
        )
        .map((to) => `${relative(root, file)} → ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('no capability reaches up into the runtime', () => {
    const upward = sourceFiles(join(root, 'src', 'domains')).flatMap((file) =>
      importsOf(file)
        .filter((s) => target(file, s).startsWith('src/runtime/'))
        .map((s) => `${relative(root, file)} → ${s}`),
    );
    expect(upward).toEqual([]);
  });
});
