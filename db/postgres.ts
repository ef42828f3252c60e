/**
 * drizzle over a `pg` pool, with nothing else: no PGlite, no files, no migrations. The Workers
 * build opens its database through this alone; db/client.ts builds on it for Node.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Db } from './handle.ts';
import * as schema from './schema/index.ts';

export function postgresDb(pool: pg.Pool | pg.PoolClient): Db {
  return drizzle(pool, { schema }) as unknown as Db;
}
