/**
 * Every command the README shows works. The server is migrated and started with the README's own
 * commands (`npm run db:migrate`, `npm start`), and each curl example is run as written, by curl
 * in a shell, against it: only the port, the token and values the reader would have (an item's
 * reference code, a member number, the id an earlier example returned, a publish time ahead) are
 * put in. Each must answer 2xx. Commands that are not run here are listed with where they are.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryKind } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { shellCommands, withoutComment } from '../support/readme-commands.ts';
import { type ServerDatabase, serverDatabase } from '../support/server-database.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

const root = join(import.meta.dirname, '..', '..');
const readme = await readFile(join(root, 'README.md'), 'utf8');
const commands = shellCommands(readme);
const token = 'readme-examples-token-0123456789';

/** The README's commands that are not curl examples, and what becomes of each. */
const notCurl: Record<string, string> = {
  'npm start': 'run here: it starts the server the examples are sent to',
  'npm test': 'the command that runs this test',
  'TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm test': 'the same, on PostgreSQL (.ci/run)',
  'DATABASE_URL=postgresql://user:pass@db.example.com:5432/tongxin npm run db:migrate':
    "run here, on this test's database",
  'export T=your-admin-token': "run here, with this test's token",
  'npm install --no-save --omit=dev wechaty wechaty-puppet-service':
    'not run: it downloads packages (test/wechat runs wechaty from the development install)',
  'npx wrangler hyperdrive create tongxin-db --caching-disabled --connection-string="postgresql://user:pass@db.example.com:5432/tongxin"':
    'not run: needs a Cloudflare account (test/worker builds the bundle and runs it in workerd)',
  'for name in DATA_KEY ADMIN_TOKEN LARK_APP_ID LARK_APP_SECRET LARK_VERIFICATION_TOKEN LARK_ENCRYPT_KEY; do\nnpx wrangler secret put "$name"\ndone':
    'not run: needs a Cloudflare account',
  'npx wrangler deploy': 'not run: needs a Cloudflare account',
};

describe('reading the README', () => {
  it('finds its commands: the curl examples, and the others each accounted for', () => {
    expect(withoutComment(`curl 'a#b' "c #d" -d x   # 注释 · comment`)).toBe(`curl 'a#b' "c #d" -d x`);
    expect(commands.filter((c) => c.startsWith('curl ')).length).toBeGreaterThanOrEqual(15);
    expect(commands.filter((c) => !c.startsWith('curl ')).sort()).toEqual(Object.keys(notCurl).sort());
  });
});

/** Runs a command line in a shell to its end: its exit code and what it wrote. */
function shell(
  line: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const fingerprint = async (path: string) =>
  createHash('sha256')
    .update(await readFile(join(root, path)))
    .digest('hex');

describe(`the README's commands against a server started by npm start, on ${primaryKind}`, () => {
  let database: ServerDatabase;
  let server: ServerProcess | null = null;
  let work: string;
  let manifests: string[];

  beforeAll(async () => {
    database = await serverDatabase();
    work = await mkdtemp(join(tmpdir(), 'tongxin-readme-'));
    // curl as the reader runs it, plus a last line with the status (read from curl's own config).
    await writeFile(join(work, '.curlrc'), 'silent\nshow-error\nwrite-out = "\\n%{http_code}\\n"\n');
    manifests = await Promise.all(['package.json', 'package-lock.json'].map(fingerprint));
  });
  afterAll(async () => {
    if (server) await server.kill('SIGTERM');
    await database.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('migrates, starts, and answers every curl example with 2xx', async () => {
    // 1. The migration command, on this test's database instead of the example's.
    const migrate = commands.find((c) => c.endsWith('npm run db:migrate'))!;
    const migrated = await shell(migrate.replace(/^DATABASE_URL=\S+ /, ''), root, {
      npm_config_update_notifier: 'false',
      ...database.env,
    });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('"migrations.applied"');

    // 2. npm start, its install step included; it changes neither manifest.
    server = await startServerProcess({ ...database.env, ADMIN_TOKEN: token }, 120_000, { npmStart: true });
    const url = server.url;
    const port = new URL(url).port;
    expect(await Promise.all(['package.json', 'package-lock.json'].map(fingerprint))).toEqual(manifests);

    // 3. What a reader would have by now: a suggestion filed in the web chat, and its proposer.
    await fileSuggestion(url);
    const api = (path: string) =>
      fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    const filed = await eventually(async () => {
      const { items } = (await (await api('/submissions')).json()) as { items: { referenceCode: string }[] };
      return items[0];
    }, 'the suggestion to be filed');
    const { items: people } = (await (await api('/people')).json()) as { items: { memberNo: number }[] };
    expect(people).toHaveLength(1);

    // 4. Each curl example, in the README's order.
    const ids: Record<string, string> = {};
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const examples = commands.filter((c) => c.startsWith('curl '));
    const answered: string[] = [];
    for (const example of examples) {
      const line = example
        .replaceAll('localhost:8787', `localhost:${port}`)
        .replaceAll('JY-2026-0001', filed.referenceCode)
        .replace('/api/people/1024', `/api/people/${people[0]!.memberNo}`)
        .replace(/"publishAt":"[^"]+"/, `"publishAt":"${tomorrow}"`)
        .replaceAll('<unit id>', () => ids['org-units'] ?? '<unit id>')
        .replace(/\/api\/([a-z-]+)\/<id>/g, (whole, collection: string) =>
          ids[collection] ? `/api/${collection}/${ids[collection]}` : whole,
        );
      expect(line, 'every placeholder has a value from an earlier example').not.toMatch(/<[^>]*>/);
      if (line.includes('/close')) {
        // The poll job opens a new poll moments after it is created; a reader finds it open.
        const id = ids.polls!;
        await eventually(
          async () => ((await (await api(`/polls/${id}`)).json()) as { status: string }).status === 'open',
          'the poll to open',
        );
      }
      const run = await shell(line, work, { T: token, CURL_HOME: work });
      const lines = run.stdout.trimEnd().split('\n');
      const status = Number(lines.pop());
      const body = lines.join('\n');
      expect({ example, code: run.code, status, stderr: run.stderr }).toMatchObject({ code: 0 });
      expect(status, `${example}\n→ ${status} ${body}`).toBeGreaterThanOrEqual(200);
      expect(status, `${example}\n→ ${status} ${body}`).toBeLessThan(300);
      answered.push(`${status} ${example}`);
      // An example that created something: later ones name it by its id.
      const created = /localhost:\d+\/api\/([a-z-]+)'?$/.exec(line);
      if (created && / -d '/.test(line)) {
        const id = (JSON.parse(body) as { id?: string }).id;
        if (id) ids[created[1]!] = id;
      }
    }
    expect(answered).toHaveLength(examples.length);
    // The CSV example wrote its file where it was run, for Excel: UTF-8 with a byte-order mark.
    expect((await readFile(join(work, 'items.csv'), 'utf8')).startsWith('\ufeff')).toBe(true);
  }, 480_000);
});

/** A web chat visitor files a signed suggestion, as the crash test's visitors do. */
async function fileSuggestion(url: string): Promise<void> {
  const cookie = ((await fetch(`${url}/chat`)).headers.get('set-cookie') ?? '').split(';')[0]!;
  const script = [
    '建议',
    '车间地面防滑',
    '6',
    '雨雪天车间门口地面湿滑，建议铺设防滑垫。',
    '跳过',
    '署名',
    '王师傅',
    '提交',
  ];
  for (const [i, text] of script.entries()) {
    const res = await fetch(`${url}/chat/messages`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `readme-${i}-abcdef`, text }),
    });
    expect(res.status).toBe(202);
  }
}
