/**
 * Sealed means never in clear at rest: what a person types into a help request reaches the
 * database only sealed, at intake, before any flow has looked at it — so it is in no data file and
 * no write-ahead log, not even as a row version a later write replaced. Read byte for byte: every
 * file of an embedded database's directory; on PostgreSQL, every table's file and the write-ahead
 * log written meanwhile (as the superuser the tests run as). Midway through the form, before the
 * processor has run at all, and after it is filed and answered.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { type Db, queryRows } from '../../db/handle.ts';
import { freshPostgresUrl, postgresUrl } from '../support/databases.ts';
import { bubbleText, createStack, type Stack, webVisitor } from '../support/stack.ts';

const situation = 'SEALCHECK家里老人重病住院急需医疗费用ZXQ42';
const phone = '13987654321';
const reply = 'SEALREPLY下午三点到您家了解情况';
const needles = [situation, phone, reply].map((s) => Buffer.from(s, 'utf8'));

/** Fills in a help request up to the confirmation, or files it too, in the web chat. */
async function askForHelp(stack: Stack, opts: { file: boolean; process: boolean }) {
  const visitor = await webVisitor(stack);
  const step = async (text: string) => {
    const res = await visitor.post({ id: `m-${crypto.randomUUID()}`, text });
    expect(res.status).toBe(202);
    if (opts.process) await stack.drain();
  };
  for (const said of ['求助', '日常', situation, '紧急', '电话', phone]) await step(said);
  if (!opts.file) return null;
  await step('提交');
  const code = /BF-\d{4}-\d{4}/.exec(bubbleText(await visitor.replies()))?.[0];
  expect(code).toBeDefined();
  const answered = await stack.api(`/submissions/${code}/status`, {
    method: 'POST',
    json: { status: 'acknowledged', reply },
  });
  expect(answered.status).toBe(200);
  await stack.drain();
  return code!;
}

function found(bytes: Buffer): string[] {
  return needles.filter((n) => bytes.includes(n)).map((n) => n.toString('utf8').slice(0, 12));
}

async function everyFile(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await everyFile(path)));
    else out.push(path);
  }
  return out;
}

describe('sealed at rest', () => {
  it('on the embedded database: in no file of its directory, mid-form unprocessed or after', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tongxin-at-rest-'));
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await database.migrate();
      const stack = createStack({ ...database, url: null });
      // Typed, acknowledged, and not yet handled by anything (as with RUN_JOBS=false, or a slow processor).
      await askForHelp(stack, { file: false, process: false });
      await expectNotOnDisk(database.db, dataDir);
      // Handled, filed and answered.
      await stack.drain();
      await askForHelp(stack, { file: true, process: true });
      await expectNotOnDisk(database.db, dataDir);
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!postgresUrl)(
    'on PostgreSQL: in no table file and no write-ahead log, mid-form unprocessed or after',
    async () => {
      const scratch = await freshPostgresUrl();
      const database = await openDatabase({ kind: 'postgres', url: scratch.url });
      try {
        await database.migrate();
        const db = database.db;
        const [start] = await queryRows<{ lsn: string }>(db, sql`select pg_current_wal_lsn()::text as lsn`);
        const stack = createStack({ ...database, url: scratch.url });
        await askForHelp(stack, { file: false, process: false });
        await expectNotInPostgres(db, start!.lsn);
        await stack.drain();
        await askForHelp(stack, { file: true, process: true });
        await expectNotInPostgres(db, start!.lsn);
      } finally {
        await database.close();
        await scratch.drop();
      }
    },
  );
});

async function expectNotOnDisk(db: Db, dataDir: string) {
  await db.execute(sql`checkpoint`);
  const files = await everyFile(dataDir);
  expect(files.length).toBeGreaterThan(50);
  for (const file of files) expect(found(await readFile(file)), file).toEqual([]);
}

async function expectNotInPostgres(db: Db, fromLsn: string) {
  await db.execute(sql`checkpoint`);
  const relations = await queryRows<{ path: string }>(
    db,
    sql`select pg_relation_filepath(c.oid) as path from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 't', 'i') and pg_relation_filepath(c.oid) is not null`,
  );
  expect(relations.length).toBeGreaterThan(20);
  for (const { path } of relations) {
    const [file] = await queryRows<{ bytes: Buffer }>(
      db,
      sql`select pg_read_binary_file(${path}::text) as bytes`,
    );
    if (file?.bytes) expect(found(Buffer.from(file.bytes)), path).toEqual([]);
  }
  // Every WAL segment written since the test began.
  const segments = await queryRows<{ name: string }>(
    db,
    sql`select name from pg_ls_waldir() where name >= pg_walfile_name(${fromLsn}::pg_lsn)
          and name <= pg_walfile_name(pg_current_wal_lsn()) order by name`,
  );
  expect(segments.length).toBeGreaterThan(0);
  for (const { name } of segments) {
    const [file] = await queryRows<{ bytes: Buffer }>(
      db,
      sql`select pg_read_binary_file(${`pg_wal/${name}`}::text) as bytes`,
    );
    if (file?.bytes) expect(found(Buffer.from(file.bytes)), name).toEqual([]);
  }
}
