/**
 * Three instances on one PostgreSQL under load: events spread over all three are each processed
 * once, a schedule firing every minute fires each minute once although all three tick together,
 * and a broadcast to everyone reaches each person once although all three send news.
 */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/handle.ts';
import { scheduleRuns } from '../../db/schema/index.ts';
import { exactlyOnce, larkLoad, openPostgres, pause, seeded, settled, useFaultStage } from './load.ts';

const stage = useFaultStage(3);
const admin = {
  authorization: 'Bearer reliability-admin-token-0123456789',
  'content-type': 'application/json',
};

describe('three instances on one PostgreSQL', () => {
  it('process each event once, fire each schedule slot once, and message each recipient once', async () => {
    await stage.cluster.startAll();
    const [first, second] = stage.cluster.up();
    const load = await larkLoad(stage.cluster, {
      events: 3000,
      chats: 300,
      concurrency: 24,
      random: seeded(3),
      prefix: 'three',
    });
    expect(load.acked.size).toBe(3000);
    // Everyone who wrote in is known once their events are processed; news goes to those known.
    const database = await openPostgres(stage.scratch.url);
    await settled(database, 240_000);

    // A schedule every minute, and a broadcast to everyone (the 300 people who wrote in).
    const schedule = await fetch(`${first}/api/schedules`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: '每分钟提醒',
        cron: '* * * * *',
        kind: 'message',
        payload: { channel: 'lark', chatId: 'oc_three_schedule', text: '整点提醒' },
      }),
    });
    expect(schedule.status).toBe(201);
    const { id: scheduleId } = (await schedule.json()) as { id: string };
    const news = await fetch(`${second}/api/news`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        topic: 'notice',
        title: '职代会召开通知',
        body: '请各位代表按时参会。',
        audience: { kind: 'everyone' },
      }),
    });
    expect(news.status).toBe(201);

    // Past the next minute boundary, when all three instances tick at once.
    const nextMinute = Math.ceil(Date.now() / 60_000) * 60_000;
    await pause(nextMinute - Date.now() + 8000);
    try {
      await settled(database, 240_000);
      const check = await exactlyOnce(database, stage.standIn, load.acked, 'three');
      const claimed = await database.db
        .select()
        .from(scheduleRuns)
        .where(and(eq(scheduleRuns.scheduleId, scheduleId), eq(scheduleRuns.status, 'claimed')));
      const fired = stage.standIn.sent.filter((m) => m.receiveId === 'oc_three_schedule');
      const articles = stage.standIn.sent.filter(
        (m) => m.msgType === 'interactive' && JSON.stringify(m.content).includes('职代会召开通知'),
      );
      const perRecipient = new Map<string, number>();
      for (const m of articles) perRecipient.set(m.receiveId, (perRecipient.get(m.receiveId) ?? 0) + 1);
      const [people] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from people`,
      );
      const replied = await queryRows<{ n: number }>(
        database.db,
        sql`select count(distinct inbox_id)::int as n from outbox where inbox_id is not null`,
      );
      console.info(
        `three instances: ${JSON.stringify(check)}; schedule fired ${fired.length} for ${claimed.length} claimed slots; ` +
          `news to ${perRecipient.size} of ${people!.n} people, most to one person ${Math.max(...perRecipient.values())}; ` +
          `${replied[0]!.n} events replied to`,
      );
      expect(check.lost).toBe(0);
      expect(check.repliesNotOne).toBe(0);
      expect(check.shownNever).toBe(0);
      expect(claimed.length).toBeGreaterThanOrEqual(1);
      expect(new Set(claimed.map((r) => r.fireAt.toISOString())).size).toBe(claimed.length);
      expect(fired).toHaveLength(claimed.length);
      expect(perRecipient.size).toBe(300);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await database.close();
    }
  });
});
