/**
 * The Lark stand-in refuses 30% of sends (429 or 500) and answers every send 200 ms late: every
 * reply is still shown exactly once.
 */
import { describe, expect, it } from 'vitest';
import { exactlyOnce, larkLoad, openPostgres, seeded, settled, useFaultStage } from './load.ts';

const stage = useFaultStage(1);

describe('a faulty, slow Lark', () => {
  it('still shows every reply exactly once', async () => {
    stage.standIn.faults.rate = 0.3;
    stage.standIn.faults.kind = 'mixed';
    stage.standIn.faults.delayMs = 200;
    await stage.cluster.start(0);
    const result = await larkLoad(stage.cluster, {
      events: 2000,
      chats: 400,
      concurrency: 16,
      random: seeded(11),
      prefix: 'faults',
    });
    const database = await openPostgres(stage.scratch.url);
    try {
      await settled(database, 300_000);
      const check = await exactlyOnce(database, stage.standIn, result.acked, 'faults');
      const refused = stage.standIn.calls.filter(
        (c) => c.path === '/open-apis/im/v1/messages' && c.status !== 200,
      );
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
