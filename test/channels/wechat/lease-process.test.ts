/**
 * The WeChat login lease between two real server processes on one PostgreSQL database, with
 * WeChat through wechaty-puppet-mock: one process alone takes the lease and starts its puppet;
 * SIGKILL it, and the other takes the lease once it has lapsed and starts its own. (PostgreSQL
 * only: two processes cannot share the embedded database.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl, postgresUrl } from '../../support/databases.ts';
import { eventually } from '../../support/eventually.ts';
import type { ScratchDatabase } from '../../support/scratch-database.ts';
import { type ServerProcess, startServerProcess } from '../../support/server-process.ts';

const servers: ServerProcess[] = [];
let scratch: ScratchDatabase | null = null;

afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) await server.kill('SIGTERM');
  await scratch?.drop();
});

const acquired = (server: ServerProcess) => server.logs.some((l) => l.includes('"wechat.lease_acquired"'));
const waiting = (server: ServerProcess) => server.logs.some((l) => l.includes('"wechat.lease_waiting"'));

describe.skipIf(!postgresUrl)('the WeChat lease between two server processes (postgres)', () => {
  it('lets one process log in, and the other after a SIGKILL of the holder', async () => {
    scratch = await freshPostgresUrl();
    const env = {
      DATABASE_URL: scratch.url,
      WECHATY_PUPPET: 'wechaty-puppet-mock',
      WECHAT_LEASE_SECONDS: '10',
      ADMIN_TOKEN: 'test-admin-token-0123456789',
    };
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess(env));
    await eventually(
      () => servers.filter(acquired).length === 1 && servers.filter(waiting).length === 1,
      'one process holding the lease and the other waiting',
    );
    const holder = servers.find(acquired)!;
    const other = servers.find((s) => s !== holder)!;
    expect(acquired(other)).toBe(false);
    expect(holder.logs.some((l) => l.includes('"wechat.start_failed"'))).toBe(false);

    expect(await holder.kill('SIGKILL')).toBe('SIGKILL');
    await eventually(() => acquired(other), 'the other process to take the lapsed lease');
    expect(other.logs.some((l) => l.includes('"wechat.start_failed"'))).toBe(false);
  });
});
