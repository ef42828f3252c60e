/**
 * drizzle over a `pg` pool, with nothing else: no PGlite, no files, no migrations. The Workers
 * build opens its database through this alone; db/client.ts builds on it for Node.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from './handle.ts';
import * as schema from './schema/index.ts';

export function postgresDb(pool: pg.Pool | pg.PoolClient): Db {
  return drizzle(pool, { schema }) as unknown as Db;
}

/**
 * A pool whose lost connections never end the process. `pg` emits 'error' on a client whose
 * server goes away; the pool listens only while the client is idle, so a client cut off inside a
 * transaction would throw from an unheard event. Every client gets a listener: the query in
 * flight still fails to its caller, and the pool drops the broken client when it is released.
 */
export function postgresPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
