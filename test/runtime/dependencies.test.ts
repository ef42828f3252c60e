/**
 * What a deployment ships. WeChat is an optional install: the server's own dependencies (what
 * `npm ci --omit=dev` installs) hold no wechaty, and so none of the deprecated packages it pulls
 * in (`request`, `tough-cookie` 2, `form-data` before 2.5.4). Read from the committed lock file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean }>;
};
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Every package a production install brings, by name and version. */
const shipped = Object.entries(lock.packages)
  .filter(([path, entry]) => path !== '' && !entry.dev && !entry.devOptional)
  .map(([path, entry]) => ({
    name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
    version: entry.version ?? '',
  }));

const older = (version: string, than: [number, number, number]) => {
  const [a = 0, b = 0, c = 0] = version.split('.').map(Number);
  return a !== than[0] ? a < than[0] : b !== than[1] ? b < than[1] : c < than[2];
};

describe('what a production install ships', () => {
  it('holds no wechaty and none of the deprecated packages it brings', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('wechaty');
    expect(shipped.length).toBeGreaterThan(20);
    const names = shipped.map((p) => p.name);
    for (const name of ['wechaty', 'open-graph', 'request', 'wechat4u'])
      expect(names, name).not.toContain(name);
    for (const p of shipped) {
      if (p.name === 'tough-cookie')
        expect(older(p.version, [4, 1, 3]), `tough-cookie ${p.version}`).toBe(false);
      if (p.name === 'form-data') expect(older(p.version, [4, 0, 4]), `form-data ${p.version}`).toBe(false);
    }
  });
});
