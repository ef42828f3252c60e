/**
 * HOST decides where the server listens: every interface by default (what a container needs;
 * start-banner.test.ts reaches it so), only this machine with HOST=127.0.0.1. A bad value stops
 * start-up with a message naming it. The real server is started and reached over the loopback
 * and over another address of this machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherAddress, reach } from '../support/addresses.ts';
import { primaryKind } from '../support/databases.ts';
import { type ServerDatabase, serverDatabase } from '../support/server-database.ts';
import { startServerProcess } from '../support/server-process.ts';

describe(`where the server listens, on ${primaryKind}`, () => {
  let database: ServerDatabase;
  beforeAll(async () => {
    database = await serverDatabase();
  });
  afterAll(() => database.drop());

  it('HOST=127.0.0.1: answers on 127.0.0.1 only', async () => {
    const server = await startServerProcess({ ...database.env, RUN_JOBS: 'false', HOST: '127.0.0.1' });
    try {
      const port = new URL(server.url).port;
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      expect(server.logs.find((line) => line.includes('"server.listening"'))).toContain('"host":"127.0.0.1"');
      expect(await reach('127.0.0.1', port)).toBe(200);
      expect(await reach(otherAddress, port)).toBe('ECONNREFUSED');
    } finally {
      await server.kill('SIGTERM');
    }
  }, 240_000);

  it('a bad HOST stops start-up, naming the variable and what it expects', async () => {
    const failed = await startServerProcess({ ...database.env, HOST: '127.0.0.1:8787' }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failed).toContain('server exited (78)');
    expect(failed).toContain('配置有误 / Invalid configuration');
    expect(failed).toContain(
      'HOST: expected an address to listen on: 0.0.0.0 (every interface), 127.0.0.1 (this machine only), :: or a host name (got "127.0.0.1:8787")',
    );
  }, 240_000);
});
