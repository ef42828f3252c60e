/**
 * The database goes away for 10 seconds under load: every connection is cut and new ones are
 * refused. Requests meanwhile are refused cleanly with 503 (the platform sends them again), nothing
 * acknowledged is lost or done twice, and the server recovers by itself.
 */
import { describe, expect, it } from 'vitest';
import { exactlyOnce, larkLoad, openPostgres, pause, seeded, settled, useFaultStage } from './load.ts';

const stage = useFaultStage(1, { proxy: true });

describe('the database away for 10 seconds', () => {
  it('refuses with 503 meanwhile, loses nothing acknowledged, and recovers by itself', async () => {
    const random = seeded(Number(process.env.RELIABILITY_SEED ?? 7));
    await stage.cluster.start(0);
    const url = stage.cluster.up()[0]!;
    // 200 events a second for 15 s, the outage in the middle of it.
    const load = larkLoad(stage.cluster, {
      events: 3000,
      chats: 300,
      concurrency: 16,
      perSecond: 200,
      random,
      prefix: 'outage',
    });
    await pause(1500);
    const outage = stage.proxy!.cut(10_000);
    await pause(2000);
    const during = await fetch(`${url}/healthz`);
    expect(during.status).toBe(503);
    await outage;
    const result = await load;
    // Recovered without a restart: healthy again, and the backlog worked off.
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${url}/healthz`)).status !== 200 && Date.now() < deadline) await pause(250);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const database = await openPostgres(stage.scratch.url);
    try {
      await settled(database, 180_000);
      const check = await exactlyOnce(database, stage.standIn, result.acked, 'outage');
      const refusals = Object.fromEntries(result.refusals);
      console.info(`outage: refused while down ${JSON.stringify(refusals)}, ${JSON.stringify(check)}`);
      expect(result.acked.size).toBe(3000);
      // Refused cleanly: 503 only, never a 500 or a dropped connection.
      expect(Object.keys(refusals).filter((status) => status !== '503')).toEqual([]);
      expect(refusals['503'] ?? 0).toBeGreaterThan(0);
      expect(check.lost).toBe(0);
      expect(check.repliesNotOne).toBe(0);
      expect(check.shownNever).toBe(0);
      expect(stage.cluster.up()).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});
