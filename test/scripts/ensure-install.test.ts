/**
 * `npm start` on a fresh clone installs what it needs and changes no tracked file: the install
 * step (prestart) runs `npm ci`, else `npm install --no-save`, and never a plain `npm install`,
 * which rewrites package-lock.json. The real script runs in scratch folders: a copy of this
 * repository with its dependencies in place, and small projects with local packages, so npm
 * works offline and quickly.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installedMarker, installPlan } from '../../scripts/install-plan.mjs';

const root = join(import.meta.dirname, '..', '..');
const scratches: string[] = [];
afterAll(() => Promise.all(scratches.map((dir) => rm(dir, { recursive: true, force: true }))));

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-install-'));
  scratches.push(dir);
  return dir;
}

/** Runs a command to its end; its exit code and everything it wrote. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: cwd,
        // Local packages only: npm reaches no registry, and keeps its cache in the scratch folder.
        npm_config_offline: 'true',
        npm_config_cache: join(cwd, '.npm-cache'),
        npm_config_update_notifier: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Each file's SHA-256, by path. */
async function fingerprints(dir: string, paths: readonly string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    paths.map(async (path) => [
      path,
      createHash('sha256')
        .update(await readFile(join(dir, path)))
        .digest('hex'),
    ]),
  );
  return Object.fromEntries(entries);
}

describe('the install plan', () => {
  it('installs nothing once installed; else npm ci, then npm install --no-save, never a saving install', () => {
    expect(installedMarker).toBe('node_modules/.package-lock.json');
    expect(installPlan({ installed: true })).toEqual([]);
    const plan = installPlan({ installed: false });
    expect(plan.map((argv) => argv.slice(0, 2).join(' '))).toEqual(['npm ci', 'npm install']);
    for (const argv of plan)
      expect(argv[1] === 'ci' || argv.includes('--no-save'), argv.join(' ')).toBe(true);
  });
});

describe('npm start in a copy of this repository, installed', () => {
  it('runs its install step without installing and leaves every tracked file as it was', async () => {
    const dir = await scratch();
    const listed = await run('git', ['ls-files', '-z'], root);
    expect(listed.code).toBe(0);
    const tracked = listed.output.split('\0').filter((path) => path !== '');
    expect(tracked).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'scripts/ensure-install.mjs']),
    );
    await Promise.all(tracked.map((path) => cp(join(root, path), join(dir, path))));
    await mkdir(join(dir, 'node_modules'));
    await writeFile(join(dir, installedMarker), '{}\n');
    const before = await fingerprints(dir, tracked);

    // `npm run prestart` is what `npm start` runs first.
    const { code, output } = await run('npm', ['run', 'prestart'], dir);
    expect(code, output).toBe(0);
    expect(output).toContain('node scripts/ensure-install.mjs');
    expect(output).not.toContain('installing dependencies');
    expect(await fingerprints(dir, tracked)).toEqual(before);
  });
});

describe('npm start on a fresh clone', () => {
  /** A project depending on two local packages, its lock file written when it had only the first. */
  async function project(lockHas: 'both' | 'first only'): Promise<string> {
    const dir = await scratch();
    for (const name of ['first', 'second']) {
      await mkdir(join(dir, 'packages', name), { recursive: true });
      await writeFile(
        join(dir, 'packages', name, 'package.json'),
        JSON.stringify({ name, version: '1.0.0' }),
      );
    }
    const dependencies = { first: 'file:packages/first', second: 'file:packages/second' };
    await writeFile(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies }, null, 2)}\n`,
    );
    const locked = lockHas === 'both' ? ['first', 'second'] : ['first'];
    const lock = {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': {
          name: 'app',
          version: '1.0.0',
          dependencies: Object.fromEntries(locked.map((name) => [name, `file:packages/${name}`])),
        },
        ...Object.fromEntries(
          locked.flatMap((name) => [
            [`packages/${name}`, { version: '1.0.0' }],
            [`node_modules/${name}`, { resolved: `packages/${name}`, link: true }],
          ]),
        ),
      },
    };
    await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    await mkdir(join(dir, 'scripts'));
    for (const file of ['ensure-install.mjs', 'install-plan.mjs'])
      await cp(join(root, 'scripts', file), join(dir, 'scripts', file));
    return dir;
  }
  const manifests = ['package.json', 'package-lock.json'];
  const installed = async (dir: string) =>
    (
      await run(
        'node',
        ['-e', `for (const n of ['first','second']) require.resolve(n + '/package.json')`],
        dir,
      )
    ).code === 0;

  it('installs with npm ci when the lock file agrees, changing neither manifest', async () => {
    const dir = await project('both');
    const before = await fingerprints(dir, manifests);
    const { code, output } = await run('node', ['scripts/ensure-install.mjs'], dir);
    expect(code, output).toBe(0);
    expect(output).toContain('First start: installing dependencies');
    expect(output).not.toContain('trying npm install');
    expect(await installed(dir)).toBe(true);
    expect(await fingerprints(dir, manifests)).toEqual(before);
  }, 180_000);

  it('when npm ci refuses a lock file it calls out of sync, installs with --no-save, changing neither manifest', async () => {
    const dir = await project('first only');
    const before = await fingerprints(dir, manifests);
    const { code, output } = await run('node', ['scripts/ensure-install.mjs'], dir);
    expect(code, output).toBe(0);
    expect(output).toContain('npm ci');
    expect(output).toContain('trying npm install --no-save --no-audit --no-fund');
    expect(await installed(dir)).toBe(true);
    expect(await fingerprints(dir, manifests)).toEqual(before);
    // Installed now: a second start installs nothing.
    const again = await run('node', ['scripts/ensure-install.mjs'], dir);
    expect(again).toEqual({ code: 0, output: '' });
  }, 180_000);

  it('where a plain npm install, the step this replaces, would have rewritten package-lock.json', async () => {
    const dir = await project('first only');
    const before = await fingerprints(dir, manifests);
    const { code, output } = await run('npm', ['install', '--no-audit', '--no-fund'], dir);
    expect(code, output).toBe(0);
    const after = await fingerprints(dir, manifests);
    expect(after['package.json']).toBe(before['package.json']);
    expect(after['package-lock.json']).not.toBe(before['package-lock.json']);
  }, 180_000);
});
