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
  const dynamic = [...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return [...specifiers, ...dynamic];
}

/** Where an import leads, relative to the project root ('zod', 'flows/engine/l10n.ts', …). */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative(root, join(file, '..', specifier));
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

  it('bots/core is types and schemas only: it imports nothing but zod', () => {
    for (const file of sourceFiles(join(root, 'bots', 'core'))) {
      expect(
        importsOf(file).filter((s) => s !== 'zod'),
        relative(root, file),
      ).toEqual([]);
    }
  });

  it('channel adapters hold no business logic: bots/ never imports src/', () => {
    const offending = sourceFiles(join(root, 'bots')).flatMap((file) =>
      importsOf(file)
        .filter((s) => target(file, s).startsWith('src/'))
        .map((s) => `${relative(root, file)} → ${s}`),
    );
    expect(offending).toEqual([]);
  });
});
