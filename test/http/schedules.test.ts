/**
 * Schedules on an injected clock: a fire time is claimed once however many ticks race for it,
 * in the schedule's own time zone; after a stop, only the latest fire time within the catch-up
 * window runs (older ones are recorded as missed); a disabled schedule stays quiet.
 */
import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations, scheduleRuns } from '../../db/schema/index.ts';
import { primaryKind } from '../support/databases.ts';
import { bubbleText, useStack, webVisitor } from '../support/stack.ts';

let clock = new Date('2026-11-23T00:00:00Z');
const fixture = useStack({ now: () => clock });
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
const at = (iso: string) => {
  clock = new Date(iso);
};

describe(`schedules (${primaryKind})`, () => {
  it('fires once per slot, at wall-clock time in its zone, catches up once, and stays quiet when disabled', async () => {
    const person = await webVisitor(fixture.stack);
    await person.say('菜单');
    const [chat] = await fixture.database.db
      .select({ chatId: conversations.chatId })
      .from(conversations)
      .where(eq(conversations.channel, 'web'))
      .orderBy(desc(conversations.createdAt))
      .limit(1);

    const bad = await api('/schedules', {
      method: 'POST',
      json: {
        name: 'x',
        cron: '61 8 * * *',
        kind: 'message',
        payload: { channel: 'web', chatId: chat!.chatId, text: 'x' },
      },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      '61 is outside 0-59',
    );

    const created = await api('/schedules', {
      method: 'POST',
      json: {
        name: '每日提醒',
        cron: '30 8 * * *',
        kind: 'message',
        payload: { channel: 'web', chatId: chat!.chatId, text: '今天下午三点工会例会，请准时参加。' },
      },
    });
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as { id: string; nextFireAt: string; timeZone: string };
    expect(schedule).toMatchObject({ nextFireAt: '2026-11-23T00:30:00.000Z', timeZone: 'Asia/Shanghai' });

    expect(await fixture.stack.services.jobs.tick()).toBe(0);
    at('2026-11-23T00:30:20Z');
    // Several instances' ticks at once: one claim between them.
    const claims = await Promise.all([1, 2, 3].map(() => fixture.stack.services.jobs.tick()));
    expect(claims.reduce((a, b) => a + b, 0)).toBe(1);
    await fixture.stack.drain();
    const once = bubbleText(await person.replies());
    expect(once.split('今天下午三点工会例会').length - 1).toBe(1);

    // Stopped for three days; restarted 30 minutes after the last slot: that one runs, late, once.
    at('2026-11-26T01:00:00Z');
    expect(await fixture.stack.services.jobs.tick()).toBe(1);
    expect(await fixture.stack.services.jobs.tick()).toBe(0);
    const runs = await fixture.database.db
      .select({ status: scheduleRuns.status })
      .from(scheduleRuns)
      .where(eq(scheduleRuns.scheduleId, schedule.id));
    expect(runs.map((r) => r.status).sort()).toEqual(['claimed', 'claimed', 'missed', 'missed']);
    await fixture.stack.drain();
    expect(bubbleText(await person.replies()).split('今天下午三点工会例会').length - 1).toBe(1);

    // Disabled: the next slot passes without a word.
    const off = await api(`/schedules/${schedule.id}`, { method: 'PATCH', json: { enabled: false } });
    expect(off.status).toBe(200);
    at('2026-11-27T00:31:00Z');
    expect(await fixture.stack.services.jobs.tick()).toBe(0);
    const late = await fixture.database.db
      .select()
      .from(scheduleRuns)
      .where(
        and(
          eq(scheduleRuns.scheduleId, schedule.id),
          eq(scheduleRuns.fireAt, new Date('2026-11-27T00:30:00Z')),
        ),
      );
    expect(late).toEqual([]);
    expect(
      (await api(`/schedules/${crypto.randomUUID()}`, { method: 'PATCH', json: { enabled: true } })).status,
    ).toBe(404);
  });
});
