/**
 * PostgreSQL cut off in the middle of a transaction: the transaction fails with an error its caller
 * sees, nothing else is thrown (a checked-out `pg` client with no listener for its 'error' event
 * would end the process), and the next query, once the server is back, succeeds.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { queryRows } from '../../db/handle.ts';
import { type CuttableProxy, startProxy } from '../reliability/tcp-proxy.ts';
import { freshPostgresUrl, postgresUrl } from '../support/databases.ts';
import type { ScratchDatabase } from '../support/scratch-database.ts';

describe.skipIf(!postgresUrl)('a connection cut during a transaction', () => {
  let scratch: ScratchDatabase;
  let proxy: CuttableProxy;
  let database: Database;
  const stray: unknown[] = [];
  const onStray = (error: unknown) => stray.push(error);

  beforeAll(async () => {
    scratch = await freshPostgresUrl();
    const target = new URL(scratch.url);
    proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
    database = await openDatabase({ kind: 'postgres', url: proxy.url(scratch.url) });
    process.on('uncaughtException', onStray);
  });
  afterAll(async () => {
    process.off('uncaughtException', onStray);
    await database?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  it('fails that transaction only, and the pool works again afterwards', async () => {
    let outage: Promise<void> | null = null;
    const held = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      outage = proxy.cut(500);
      await tx.execute(sql`SELECT pg_sleep(5)`);
    });
    await expect(held).rejects.toThrow();
    await outage;
    // The idle connections were cut too; the pool replaces them.
    let answer: unknown = null;
    for (let tries = 0; tries < 40 && answer === null; tries++) {
      answer = await queryRows<{ two: number }>(database.db, sql`SELECT 2 AS two`)
        .then((rows) => rows[0])
        .catch(() => null);
      if (answer === null) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(answer).toEqual({ two: 2 });
    expect(stray).toEqual([]);
  });
});
