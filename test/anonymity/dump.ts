/**
 * A copy of the whole database as an attacker holding it would read it: every row of every table
 * with its transaction id (`xmin`), and, on PostgreSQL, what pg_dump writes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/handle.ts';

const run = promisify(execFile);

export interface DumpRow {
  table: string;
  xmin: string;
  row: string;
}

/** Every row of every table, as JSON, with the transaction that wrote it. */
export async function dumpTables(db: Db): Promise<DumpRow[]> {
  const tables = (
    await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    )
  ).map((r) => r.table_name);
  const rows: DumpRow[] = [];
  for (const table of tables) {
    for (const r of await queryRows<{ xmin: string; row: string }>(
      db,
      sql`select t.xmin::text as xmin, row_to_json(t)::text as row from ${sql.identifier(table)} t`,
    ))
      rows.push({ table, ...r });
  }
  return rows;
}

/** pg_dump's data of a PostgreSQL database, one line per row. */
export async function pgDumpLines(url: string): Promise<string[]> {
  const { stdout } = await run('pg_dump', ['--data-only', '--inserts', '--no-owner', url], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout.split('\n').filter((line) => line.startsWith('INSERT INTO'));
}

/** Every string value in the rows (keys too), for trying them as keys. */
export function stringsOf(rows: readonly DumpRow[], minLength: number): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      if (value.length >= minLength) found.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.length >= minLength) found.add(k);
        walk(v);
      }
    }
  };
  for (const r of rows) walk(JSON.parse(r.row));
  return found;
}
