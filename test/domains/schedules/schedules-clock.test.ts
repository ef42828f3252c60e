/**
 * Schedules against the calendar, on an injected clock: across the daylight saving changes of
 * their own time zone (a slot spring-forward removes fires just after the gap, a repeated one once)
 * and after downtime (the latest slot within the catch-up window runs once, older ones are recorded
 * as missed, even with two instances coming back at once).
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack } from '../../support/stack.ts';
import {
  type Api,
  createMessage,
  firedAt,
  iso,
  minute,
  queued,
  runsOf,
  webChat,
} from './schedule-helpers.ts';

describe(`schedules (${primaryKind})`, () => {
  describe('across daylight saving changes', () => {
    let clock = new Date('2026-03-07T00:00:00Z');
    const fixture = useStack({ now: () => clock });

    /** Creates the schedules now, ticks every 15 minutes until `until`, and reads what each fired. */
    async function simulate(until: string) {
      const { db } = fixture.database;
      const { chatId } = await webChat(fixture.stack, db);
      const api = fixture.stack.api;
      const made = {
        twoThirty: await createMessage(
          api,
          chatId,
          '30 2 * * *',
          `两点半 ${clock.toISOString()}`,
          'America/New_York',
        ),
        oneThirty: await createMessage(
          api,
          chatId,
          '30 1 * * *',
          `一点半 ${clock.toISOString()}`,
          'America/New_York',
        ),
        nine: await createMessage(
          api,
          chatId,
          '0 9 * * *',
          `九点 ${clock.toISOString()}`,
          'America/New_York',
        ),
        shanghai: await createMessage(api, chatId, '30 8 * * *', `上海八点半 ${clock.toISOString()}`),
      };
      for (let at = clock.getTime() + 15 * minute; at <= Date.parse(until); at += 15 * minute) {
        clock = new Date(at);
        await fixture.stack.services.jobs.tick();
      }
      const fired: Record<string, string[]> = {};
      for (const [key, schedule] of Object.entries(made)) {
        expect(await firedAt(db, schedule.id, 'missed')).toEqual([]);
        fired[key] = await firedAt(db, schedule.id);
        // Paused, so the next part of the test starts clean.
        await api(`/schedules/${schedule.id}`, { method: 'PATCH', json: { enabled: false } });
      }
      return fired;
    }

    it('fires a time spring-forward removes just after the gap, and a repeated time once', async () => {
      // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so there is no 02:30 that day; the
      // reminder goes at 03:00 EDT (07:00Z) rather than not at all.
      expect(await simulate('2026-03-10T00:00:00Z')).toEqual({
        twoThirty: ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'],
        oneThirty: ['2026-03-07T06:30:00.000Z', '2026-03-08T06:30:00.000Z', '2026-03-09T05:30:00.000Z'],
        nine: ['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z'],
        // Shanghai keeps no DST: 08:30 is 00:30Z every day.
        shanghai: ['2026-03-07T00:30:00.000Z', '2026-03-08T00:30:00.000Z', '2026-03-09T00:30:00.000Z'],
      });

      // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice (05:30Z
      // and 06:30Z). The evaluator takes the first, daylight-time one, and fires once.
      clock = new Date('2026-10-31T00:00:00Z');
      expect(await simulate('2026-11-03T00:00:00Z')).toEqual({
        twoThirty: ['2026-10-31T06:30:00.000Z', '2026-11-01T07:30:00.000Z', '2026-11-02T07:30:00.000Z'],
        oneThirty: ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
        nine: ['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z'],
        shanghai: ['2026-10-31T00:30:00.000Z', '2026-11-01T00:30:00.000Z', '2026-11-02T00:30:00.000Z'],
      });
    });
  });

  describe('after downtime', () => {
    let clock = new Date('2026-12-05T00:00:00Z');
    const fixture = useStack({ now: () => clock, env: { SCHEDULE_CATCH_UP_MINUTES: '60' } });
    const at = (when: string) => {
      clock = new Date(when);
    };
    const tick = () => fixture.stack.services.jobs.tick();

    it('runs the latest slot within the catch-up window once and records older ones as missed', async () => {
      const { db } = fixture.database;
      const { person, chatId } = await webChat(fixture.stack, db);
      const hourly = await createMessage(api(), chatId, '0 * * * *', '整点报时');
      const daily = await createMessage(api(), chatId, '30 8 * * *', '早班交接提醒');
      at('2026-12-05T00:30:05Z');
      await tick();
      at('2026-12-05T01:00:05Z');
      await tick();
      expect(await firedAt(db, hourly.id)).toEqual(['2026-12-05T01:00:00.000Z']);
      expect(await firedAt(db, daily.id)).toEqual(['2026-12-05T00:30:00.000Z']);
      await fixture.stack.drain();
      await person.replies();

      // Down for three and a half hours: 02:00 and 03:00 are missed, 04:00 (30 minutes ago) runs once,
      // even with two instances coming back at the same moment.
      at('2026-12-05T04:30:00Z');
      await Promise.all([tick(), tick()]);
      await tick();
      expect(await runsOf(db, hourly.id)).toEqual([
        { fireAt: new Date('2026-12-05T01:00:00Z'), status: 'claimed' },
        { fireAt: new Date('2026-12-05T02:00:00Z'), status: 'missed' },
        { fireAt: new Date('2026-12-05T03:00:00Z'), status: 'missed' },
        { fireAt: new Date('2026-12-05T04:00:00Z'), status: 'claimed' },
      ]);
      await fixture.stack.drain();
      expect(bubbleText(await person.replies()).split('整点报时').length - 1).toBe(1);

      // Down for 40 minutes, within the window: the 05:00 slot runs once, late.
      at('2026-12-05T04:59:30Z');
      await tick();
      at('2026-12-05T05:40:00Z');
      await tick();
      await tick();
      expect((await runsOf(db, hourly.id)).at(-1)).toEqual({
        fireAt: new Date('2026-12-05T05:00:00Z'),
        status: 'claimed',
      });
      await fixture.stack.drain();
      expect(bubbleText(await person.replies()).split('整点报时').length - 1).toBe(1);
      expect(await queued(db, '整点报时')).toBe(3);

      // Back the next morning at 10:00 Shanghai: today's 08:30 is 90 minutes old, so it is missed;
      // the hourly one's 02:00Z is this very minute and runs.
      at('2026-12-06T02:00:00Z');
      await tick();
      expect((await runsOf(db, daily.id)).at(-1)).toEqual({
        fireAt: new Date('2026-12-06T00:30:00Z'),
        status: 'missed',
      });
      expect(await queued(db, '早班交接提醒')).toBe(1);
      const [row] = await db.select().from(schedules).where(eq(schedules.id, daily.id));
      expect(row?.nextFireAt).toEqual(new Date('2026-12-07T00:30:00Z'));
      const hourlyRuns = await runsOf(db, hourly.id);
      expect(hourlyRuns.filter((r) => r.status === 'claimed').map((r) => iso(r.fireAt.getTime()))).toEqual([
        '2026-12-05T01:00:00.000Z',
        '2026-12-05T04:00:00.000Z',
        '2026-12-05T05:00:00.000Z',
        '2026-12-06T02:00:00.000Z',
      ]);
      // Every hour from 06:00 to 01:00 the next day was missed, each recorded once.
      expect(hourlyRuns.filter((r) => r.status === 'missed')).toHaveLength(2 + 20);
    });

    function api(): Api {
      return fixture.stack.api;
    }
  });
});
