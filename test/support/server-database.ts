/**
 * A database for a server process a test starts, as environment variables: a fresh PostgreSQL
 * database when TEST_DATABASE_URL is set, else an empty PGlite data directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresUrl, primaryKind } from './databases.ts';

export interface ServerDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function serverDatabase(): Promise<ServerDatabase> {
  if (primaryKind === 'postgres') {
    const fresh = await freshPostgresUrl();
    return { env: { DATABASE_URL: fresh.url }, drop: fresh.drop };
  }
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-server-'));
  return { env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
}
