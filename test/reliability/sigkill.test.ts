/**
 * SIGKILL at random moments under 5,000 Lark events: the server process is killed three times
 * while the load runs and once while it works off the backlog, and restarted each time. Every
 * acknowledged event must be processed exactly once and its one reply shown exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/databases.ts';
import { larkApp } from '../support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../support/lark-stand-in.ts';
import type { ScratchDatabase } from '../support/scratch-database.ts';
import { Cluster, exactlyOnce, larkLoad, openPostgres, pause, seeded, serverEnv, settled } from './load.ts';

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

describe('SIGKILL under load', () => {
  it('processes every acknowledged event once and shows every reply once', async () => {
    const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
    console.info(`sigkill: seed ${seed}`);
    const random = seeded(seed);
    await cluster.start(0);
    // A steady 400 events a second for 12.5 s, with three kills at random moments within it.
    let loading = true;
    const load = larkLoad(cluster, {
      events: 5000,
      chats: 500,
      concurrency: 32,
      perSecond: 400,
      random,
      prefix: 'kill',
    }).finally(() => {
      loading = false;
    });
    let killsUnderLoad = 0;
    const killer = (async () => {
      for (let k = 0; k < 3; k++) {
        await pause(500 + random() * 2000);
        if (!loading) return;
        await cluster.kill(0);
        killsUnderLoad++;
        await cluster.start(0);
      }
    })();
    const result = await load;
    await killer;
    let kills = killsUnderLoad;
    // And once more while it works off what it acknowledged.
    await pause(random() * 1500);
    await cluster.kill(0);
    kills++;
    await cluster.start(0);

    const database = await openPostgres(scratch.url);
    try {
      await settled(database, 240_000);
      const check = await exactlyOnce(database, standIn, result.acked, 'kill');
      console.info(
        `sigkill: ${killsUnderLoad} kills under load and ${kills - killsUnderLoad} after, ${result.acked.size} acknowledged in ${result.seconds.toFixed(1)} s, ` +
          `refused before taken: ${JSON.stringify(Object.fromEntries(result.refusals))}, ${JSON.stringify(check)}`,
      );
      expect(result.acked.size).toBe(5000);
      expect(killsUnderLoad).toBe(3);
      expect(kills).toBe(4);
      expect(check.lost).toBe(0);
      expect(check.repliesNotOne).toBe(0);
      expect(check.shownNever).toBe(0);
      expect(check.processed).toBe(check.stored);
    } finally {
      await database.close();
    }
  }, 600_000);
});
