/**
 * Databases for tests: PGlite in memory always, and PostgreSQL when TEST_DATABASE_URL is set
 * (a fresh database per test file, created from that server and dropped afterwards).
 */
import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

export interface TestDatabase extends Database {
  /** For PostgreSQL, the URL of this file's own database (to hand to a server process). */
  url: string | null;
}

export const postgresUrl = process.env.TEST_DATABASE_URL || null;

export type DatabaseKind = 'pglite' | 'postgres';

/** Every kind available in this run: PGlite, plus PostgreSQL when TEST_DATABASE_URL is set. */
export const databaseKinds: DatabaseKind[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];

/** The kind server-level tests use: PostgreSQL when configured, else PGlite. */
export const primaryKind: DatabaseKind = postgresUrl ? 'postgres' : 'pglite';

export async function freshPostgresUrl(): Promise<ScratchDatabase> {
  if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const scratch = await createScratchDatabase(postgresUrl, 'tongxin_t');
  if (!scratch) throw new Error('TEST_DATABASE_URL is set but its server does not answer');
  return scratch;
}

/** A migrated, empty database of the given kind; `close` also drops a PostgreSQL one. */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    await database.migrate();
    return { ...database, url: null };
  }
  const fresh = await freshPostgresUrl();
  const database = await openDatabase({ kind: 'postgres', url: fresh.url });
  await database.migrate();
  return {
    ...database,
    url: fresh.url,
    close: async () => {
      await database.close();
      await fresh.drop();
    },
  };
}

/** A fresh database of this kind for the whole test file (opened before, closed after). */
export function useDatabase(kind: DatabaseKind): Pick<TestDatabase, 'db' | 'migrate' | 'url'> {
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(() => opened?.close());
  const current = () => {
    if (!opened) throw new Error('the database opens in beforeAll');
    return opened;
  };
  return {
    get db() {
      return current().db;
    },
    get url() {
      return current().url;
    },
    migrate: () => current().migrate(),
  };
}
