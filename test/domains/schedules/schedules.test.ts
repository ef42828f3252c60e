/**
 * Schedules on an injected clock, counted by their own rows in schedule_runs (the server's own
 * schedules fire too): a fire time is claimed once however many instances tick for it, at wall-clock
 * time in the schedule's own zone; after a stop only the latest slot runs; a disabled schedule stays
 * quiet; run-now runs once; bad input is refused in Chinese and changes nothing. Daylight saving
 * and downtime are in schedules-clock.test.ts.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { outbox, schedules } from '../../../db/schema/index.ts';
import { primaryKind, type TestDatabase } from '../../support/databases.ts';
import { bubbleText, createStack, useStack } from '../../support/stack.ts';
import {
  type Api,
  type Created,
  createMessage,
  firedAt,
  iso,
  minute,
  queued,
  runsOf,
  webChat,
} from './schedule-helpers.ts';

interface Failure {
  error: { code: string; message: string; message_zh: string };
}

describe(`schedules (${primaryKind})`, () => {
  describe('on one instance', () => {
    let clock = new Date('2026-11-23T00:00:00Z');
    const fixture = useStack({ now: () => clock });
    const api: Api = (path, init) => fixture.stack.api(path, init);
    const at = (when: string) => {
      clock = new Date(when);
    };

    it('fires once per slot, at wall-clock time in its zone, catches up once, and stays quiet when disabled', async () => {
      const { db } = fixture.database;
      const { person, chatId } = await webChat(fixture.stack, db);
      const text = '今天下午三点工会例会，请准时参加。';
      const schedule = await createMessage(api, chatId, '30 8 * * *', text);
      expect(schedule).toMatchObject({ nextFireAt: '2026-11-23T00:30:00.000Z', timeZone: 'Asia/Shanghai' });

      await fixture.stack.services.jobs.tick();
      expect(await runsOf(db, schedule.id)).toEqual([]);
      at('2026-11-23T00:30:20Z');
      // Several ticks at once: one claim between them.
      await Promise.all([1, 2, 3].map(() => fixture.stack.services.jobs.tick()));
      expect(await firedAt(db, schedule.id)).toEqual(['2026-11-23T00:30:00.000Z']);
      await fixture.stack.drain();
      expect(bubbleText(await person.replies()).split(text).length - 1).toBe(1);

      // Stopped for three days; restarted 30 minutes after the last slot: that one runs, late, once.
      at('2026-11-26T01:00:00Z');
      await fixture.stack.services.jobs.tick();
      await fixture.stack.services.jobs.tick();
      expect(await runsOf(db, schedule.id)).toEqual([
        { fireAt: new Date('2026-11-23T00:30:00Z'), status: 'claimed' },
        { fireAt: new Date('2026-11-24T00:30:00Z'), status: 'missed' },
        { fireAt: new Date('2026-11-25T00:30:00Z'), status: 'missed' },
        { fireAt: new Date('2026-11-26T00:30:00Z'), status: 'claimed' },
      ]);
      await fixture.stack.drain();
      expect(bubbleText(await person.replies()).split(text).length - 1).toBe(1);

      // Disabled: the next slot passes without a word.
      const off = await api(`/schedules/${schedule.id}`, { method: 'PATCH', json: { enabled: false } });
      expect(off.status).toBe(200);
      at('2026-11-27T00:31:00Z');
      await fixture.stack.services.jobs.tick();
      expect(await runsOf(db, schedule.id)).toHaveLength(4);
      expect(await queued(db, text)).toBe(2);
      expect(
        (await api(`/schedules/${crypto.randomUUID()}`, { method: 'PATCH', json: { enabled: true } })).status,
      ).toBe(404);

      // Resumed: from now on; what it would have sent while paused is not sent late.
      at('2026-11-28T00:40:00Z');
      const on = (await (
        await api(`/schedules/${schedule.id}`, { method: 'PATCH', json: { enabled: true } })
      ).json()) as Created;
      expect(on.nextFireAt).toBe('2026-11-29T00:30:00.000Z');
      await fixture.stack.services.jobs.tick();
      expect(await runsOf(db, schedule.id)).toHaveLength(4);
    });

    it('keeps a due slot when only the name changes, and moves on when the time changes', async () => {
      const { db } = fixture.database;
      at('2026-12-01T00:00:00Z');
      const { chatId } = await webChat(fixture.stack, db);
      const renamed = await createMessage(api, chatId, '0 12 * * *', '午间广播：食堂今日供应饺子。');
      const retimed = await createMessage(api, chatId, '0 12 * * *', '午间广播：澡堂今日停水。');
      // Due at 12:00 Shanghai; changed 20 seconds later, before the tick got to it.
      at('2026-12-01T04:00:20Z');
      const named = await api(`/schedules/${renamed.id}`, { method: 'PATCH', json: { name: '午间广播' } });
      expect(((await named.json()) as Created).nextFireAt).toBe('2026-12-01T04:00:00.000Z');
      const moved = await api(`/schedules/${retimed.id}`, { method: 'PATCH', json: { cron: '0 13 * * *' } });
      expect(((await moved.json()) as Created).nextFireAt).toBe('2026-12-01T05:00:00.000Z');
      await fixture.stack.services.jobs.tick();
      expect(await firedAt(db, renamed.id)).toEqual(['2026-12-01T04:00:00.000Z']);
      expect(await runsOf(db, retimed.id)).toEqual([]);
      at('2026-12-01T05:00:05Z');
      await fixture.stack.services.jobs.tick();
      expect(await firedAt(db, retimed.id)).toEqual(['2026-12-01T05:00:00.000Z']);
    });

    it('runs a schedule now through the API, once, recorded as manual', async () => {
      const { db } = fixture.database;
      at('2026-12-02T02:00:00Z');
      const { person, chatId } = await webChat(fixture.stack, db);
      const text = '紧急通知：今晚八点全厂停电检修。';
      const schedule = await createMessage(api, chatId, '0 20 * * 5', text);
      await api(`/schedules/${schedule.id}`, { method: 'PATCH', json: { enabled: false } });

      at('2026-12-02T02:03:00Z');
      const res = await api(`/schedules/${schedule.id}/run`, { method: 'POST' });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ ran: true, schedule: { id: schedule.id } });
      // Pressed again in the same instant: refused, and it still runs once.
      const again = await api(`/schedules/${schedule.id}/run`, { method: 'POST' });
      expect(again.status).toBe(409);
      expect(((await again.json()) as Failure).error.message).toBe('该定时任务此刻已在执行。');
      await fixture.stack.drain();
      expect(bubbleText(await person.replies()).split(text).length - 1).toBe(1);
      expect(await runsOf(db, schedule.id)).toEqual([
        { fireAt: new Date('2026-12-02T02:03:00.001Z'), status: 'manual' },
      ]);
      // Still paused, and a tick does not send it again.
      await fixture.stack.services.jobs.tick();
      await fixture.stack.drain();
      expect(await person.replies()).toEqual([]);
      expect(await queued(db, text)).toBe(1);
      const [row] = await db.select().from(schedules).where(eq(schedules.id, schedule.id));
      expect(row?.enabled).toBe(false);

      for (const id of [crypto.randomUUID(), 'not-a-uuid']) {
        const missing = await api(`/schedules/${id}/run`, { method: 'POST' });
        expect(missing.status).toBe(404);
        expect(((await missing.json()) as Failure).error.message).toBe('找不到该定时任务。');
      }
    });

    it('refuses a bad cron, an unknown zone, a cron that never fires and an empty change, in Chinese, storing nothing', async () => {
      const { db } = fixture.database;
      at('2026-12-03T00:00:00Z');
      const { chatId } = await webChat(fixture.stack, db);
      const total = async () => (await db.select({ n: count() }).from(schedules))[0]!.n;
      const before = await total();
      const post = async (change: Record<string, unknown>) => {
        const res = await api('/schedules', {
          method: 'POST',
          json: {
            name: '坏的',
            cron: '0 9 * * *',
            kind: 'message',
            payload: { channel: 'web', chatId, text: '不该存在' },
            ...change,
          },
        });
        expect(res.status).toBe(400);
        return ((await res.json()) as Failure).error;
      };
      expect((await post({ cron: '61 8 * * *' })).message).toBe(
        '定时表达式有误：Invalid value for minute: 61',
      );
      expect((await post({ cron: '0 9 * * MON-FUNDAY' })).message).toContain('定时表达式有误');
      expect((await post({ cron: '0 9 * * * *' })).message).toContain('定时表达式有误');
      expect((await post({ timeZone: 'Mars/Olympus_Mons' })).message).toBe('请求内容不符合要求：timeZone。');
      expect((await post({ cron: '0 0 31 2 *' })).message).toBe('这个定时表达式永远不会触发。');
      expect((await post({ kind: 'digest' })).message).toContain('kind');
      expect((await post({ payload: { channel: 'web', chatId, text: '  ' } })).message).toContain('payload');
      expect(await total()).toBe(before);

      const schedule = await createMessage(api, chatId, '0 9 * * *', '早上好');
      const stored = async () => (await db.select().from(schedules).where(eq(schedules.id, schedule.id)))[0];
      const unchanged = await stored();
      const patch = async (body: unknown) => {
        const res = await api(`/schedules/${schedule.id}`, { method: 'PATCH', json: body });
        expect(res.status).toBe(400);
        return ((await res.json()) as Failure).error;
      };
      expect((await patch({})).message).toBe('请求内容不符合要求：body。');
      expect((await patch({ cron: '0 0 31 2 *' })).message).toBe('这个定时表达式永远不会触发。');
      expect((await patch({ cron: '0 25 * * *' })).message).toBe(
        '定时表达式有误：Invalid value for hour: 25',
      );
      expect((await patch({ timeZone: 'Asia/Nowhere' })).message).toBe('请求内容不符合要求：timeZone。');
      expect((await patch({ enabled: 'yes' })).message).toBe('请求内容不符合要求：enabled。');
      expect((await patch({ kind: 'digest' })).message).toContain('请求内容不符合要求');
      // A bad cron with a good change alongside: neither is stored.
      expect((await patch({ cron: '0 0 31 2 *', enabled: false, name: '新名字' })).code).toBe(
        'validation_failed',
      );
      expect(await stored()).toEqual(unchanged);
      expect(await total()).toBe(before + 1);
    });
  });

  describe('on three instances sharing one database', () => {
    let clock = new Date('2026-12-01T00:00:00Z');
    const fixture = useStack({ now: () => clock });

    // Six hours, every minute, on each of three instances: over a thousand ticks, enough to meet
    // every kind of slot (each ten minutes, the reminders' five, once a day in two zones, every six
    // hours), while staying cheap enough for a busy machine.
    it('fires every slot of six simulated hours exactly once', async () => {
      const { db } = fixture.database;
      const { chatId } = await webChat(fixture.stack, db);
      // On PostgreSQL each instance has its own connection pool; PGlite has one connection.
      const extra: TestDatabase[] = [];
      if (fixture.database.url) {
        for (let i = 0; i < 2; i++) {
          const opened = await openDatabase({ kind: 'postgres', url: fixture.database.url });
          extra.push({ ...opened, url: fixture.database.url });
        }
      }
      const instances = [
        fixture.stack,
        ...(extra.length > 0 ? extra : [fixture.database, fixture.database]).map((database) =>
          createStack(database, { now: () => clock }),
        ),
      ];
      try {
        const start = clock.getTime();
        const api = instances[1]!.api;
        const everyTen = await createMessage(api, chatId, '*/10 * * * *', '十分钟一次');
        const morning = await createMessage(api, chatId, '30 8 * * *', '早上八点半');
        // 19:15 in New York (EST, UTC-5) is 00:15 UTC the next day.
        const newYork = await createMessage(
          api,
          chatId,
          '15 19 * * *',
          '纽约晚上七点一刻',
          'America/New_York',
        );
        const sixHours = await createMessage(api, chatId, '0 */6 * * *', '纽约每六小时', 'America/New_York');

        const hours = 6;
        for (let m = 1; m <= hours * 60; m++) {
          clock = new Date(start + m * minute);
          await Promise.all(instances.map((stack) => stack.services.jobs.tick()));
        }

        const expected = new Map<Created, string[]>([
          [everyTen, Array.from({ length: hours * 6 }, (_, k) => iso(start + (k + 1) * 10 * minute))],
          [morning, ['2026-12-01T00:30:00.000Z']],
          [newYork, ['2026-12-01T00:15:00.000Z']],
          [sixHours, ['2026-12-01T05:00:00.000Z']],
        ]);
        for (const [schedule, slots] of expected) {
          const runs = await runsOf(db, schedule.id);
          expect(runs.map((r) => r.fireAt.toISOString())).toEqual(slots);
          expect(new Set(runs.map((r) => r.status))).toEqual(new Set(['claimed']));
          const [row] = await db.select().from(schedules).where(eq(schedules.id, schedule.id));
          expect(await queued(db, row!.payload.text as string)).toBe(slots.length);
        }
        // The server's own reminders sweep, every five minutes, once each too.
        const [reminders] = await db.select().from(schedules).where(eq(schedules.systemKey, 'reminders'));
        expect(await firedAt(db, reminders!.id)).toEqual(
          Array.from({ length: hours * 12 }, (_, k) => iso(start + (k + 1) * 5 * minute)),
        );

        await fixture.stack.drain();
        const unsent = await db
          .select({ n: count() })
          .from(outbox)
          .where(and(eq(outbox.chatId, chatId), sql`${outbox.status} <> 'sent'`));
        expect(unsent[0]!.n).toBe(0);
        // Over a thousand ticks drew no short numbers: the next schedule’s is still small.
        const later = await createMessage(api, chatId, '0 9 * * *', '编号');
        const [numbered] = await db.select().from(schedules).where(eq(schedules.id, later.id));
        const total = (await db.select({ n: count() }).from(schedules))[0]!.n;
        expect(numbered!.no).toBeLessThanOrEqual(total + instances.length);
      } finally {
        for (const database of extra) await database.close();
      }
    });
  });
});
