/**
 * One database type over two drivers: embedded PGlite in a directory (the default) or
 * PostgreSQL through `pg` when a URL is given. Everything above this file sees `Db`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { Db } from './handle.ts';
import { postgresDb, postgresPool } from './postgres.ts';
import * as schema from './schema/index.ts';

export type DatabaseTarget = { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };

export interface Database {
  db: Db;
  kind: DatabaseTarget['kind'];
  /** Applies the committed migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** A file path, not a URL path: an install under a folder with spaces or Chinese in its name must work. */
export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens the database named by the target. `dataDir: null` keeps PGlite in memory (tests). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url);
  return openPglite(target.dataDir);
}

async function openPglite(dataDir: string | null): Promise<Database> {
  let client: PGlite;
  if (dataDir === null) {
    client = new PGlite();
  } else {
    const dir = join(dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    client = new PGlite(dir);
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    async migrate() {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(db, { migrationsFolder });
    },
    close: () => client.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = postgresPool({ connectionString: url, max: 10 });
  return {
    db: postgresDb(pool),
    kind: 'postgres',
    async migrate() {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      // Several instances may start together: one applies the migrations, the others wait.
      const conn = await pool.connect();
      try {
        await conn.query('SELECT pg_advisory_lock(hashtext($1))', ['tongxin.migrate']);
        try {
          await migrate(drizzleNodePg(conn, { schema }), { migrationsFolder });
        } finally {
          await conn.query('SELECT pg_advisory_unlock(hashtext($1))', ['tongxin.migrate']);
        }
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
