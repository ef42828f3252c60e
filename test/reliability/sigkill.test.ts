/**
 * SIGKILL at random moments under 5,000 Lark events: the server process is killed three times
 * while the load runs and once while it works off the backlog, and restarted each time. Every
 * acknowledged event must be processed exactly once and its one reply shown exactly once.
 */
import { describe, expect, it } from 'vitest';
import { exactlyOnce, larkLoad, openPostgres, pause, seeded, settled, useFaultStage } from './load.ts';

const stage = useFaultStage(1);

describe('SIGKILL under load', () => {
  it('processes every acknowledged event once and shows every reply once', async () => {
    const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
    console.info(`sigkill: seed ${seed}`);
    const random = seeded(seed);
    await stage.cluster.start(0);
    // A steady 400 events a second for 12.5 s, with three kills at random moments within it.
    let loading = true;
    const load = larkLoad(stage.cluster, {
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
        await stage.cluster.kill(0);
        killsUnderLoad++;
        await stage.cluster.start(0);
      }
    })();
    const result = await load;
    await killer;
    let kills = killsUnderLoad;
    // And once more while it works off what it acknowledged.
    await pause(random() * 1500);
    await stage.cluster.kill(0);
    kills++;
    await stage.cluster.start(0);

    const database = await openPostgres(stage.scratch.url);
    try {
      await settled(database, 240_000);
      const check = await exactlyOnce(database, stage.standIn, result.acked, 'kill');
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
