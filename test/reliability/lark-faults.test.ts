/**
 * The Lark stand-in refuses 30% of sends (429 or 500) and answers every send 200 ms late: every
 * reply is still shown exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/databases.ts';
import { larkApp } from '../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../support/lark-stand-in.ts';
import type { ScratchDatabase } from '../support/scratch-database.ts';
import { Cluster, exactlyOnce, larkLoad, openPostgres, seeded, serverEnv, settled } from './load.ts';

let scratch: ScratchDatabase;
let standIn: StandIn;
let cluster: Cluster;

beforeAll(async () => {
  scratch = await freshPostgresUrl();
  standIn = await startLarkStandIn({ ...larkApp });
  cluster = new Cluster(serverEnv(scratch.url, standIn), 1);
});

afterAll(async () => {
  await cluster?.stopAll();
  await standIn?.close();
  await scratch?.drop();
});

describe('a faulty, slow Lark', () => {
  it('still shows every reply exactly once', async () => {
    standIn.faults.rate = 0.3;
    standIn.faults.kind = 'mixed';
    standIn.faults.delayMs = 200;
    await cluster.start(0);
    const result = await larkLoad(cluster, {
      events: 2000,
      chats: 400,
      concurrency: 16,
      random: seeded(11),
      prefix: 'faults',
    });
    const database = await openPostgres(scratch.url);
    try {
      await settled(database, 300_000);
      const check = await exactlyOnce(database, standIn, result.acked, 'faults');
      const refused = standIn.calls.filter((c) => c.path === '/open-apis/im/v1/messages' && c.status !== 200);
      console.info(`faults: ${refused.length} sends refused by the stand-in, ${JSON.stringify(check)}`);
      expect(refused.length).toBeGreaterThan(300);
      expect(result.acked.size).toBe(2000);
      expect(check.lost).toBe(0);
      expect(check.repliesNotOne).toBe(0);
      expect(check.shownNever).toBe(0);
    } finally {
      await database.close();
    }
  });
});
