/** The chat side of schedules: 定时 for admins and 摘要 for officers, over the schedules store. */
import { eq } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { type ScheduleRow, schedules } from '../../../db/schema/index.ts';
import type { ScheduleBrief } from '../../../flows/commands/schedule-effects.ts';
import type { EffectResults } from '../../../flows/effects.ts';
import { clipText } from '../../../kernel/text.ts';
import { createSchedule, listSchedules, scheduleByNo } from '../../pipeline/schedules/store.ts';
import { changeSchedule, digestScheduleOf } from './store.ts';

export const briefOfSchedule = (row: ScheduleRow): ScheduleBrief => ({
  no: row.no,
  name: row.name,
  cron: row.cron,
  timeZone: row.timeZone,
  kind: row.kind,
  enabled: row.enabled,
  nextFireAt: row.nextFireAt?.toISOString() ?? null,
});

export async function listForChat(db: Db): Promise<EffectResults['schedules.list']> {
  return { items: (await listSchedules(db)).map(briefOfSchedule) };
}

export async function actFromChat(
  db: Db,
  no: number,
  action: 'pause' | 'resume' | 'run',
  now: Date,
): Promise<EffectResults['schedules.act']> {
  const current = await scheduleByNo(db, no);
  if (!current) return { ok: false, reason: 'not_found' };
  if (action === 'run') {
    // Due now (and on, if it was paused): the next tick claims this instant as a slot, runs it
    // once, and moves on to the cron's next time.
    const [row] = await db
      .update(schedules)
      .set({ nextFireAt: now, enabled: true })
      .where(eq(schedules.id, current.id))
      .returning();
    return { ok: true, item: briefOfSchedule(row!) };
  }
  const changed = await changeSchedule(db, current, { enabled: action === 'resume' }, now);
  return changed.ok ? { ok: true, item: briefOfSchedule(changed.row) } : { ok: false, reason: 'not_found' };
}

export async function createFromChat(
  db: Db,
  request: { cron: string; text: string; channel: ChannelName; chatId: string; timeZone: string },
  now: Date,
): Promise<EffectResults['schedules.create']> {
  const created = await createSchedule(
    db,
    {
      // The first line, cut by characters (never half an emoji).
      name: clipText(request.text.split('\n')[0]!.trim(), 40),
      cron: request.cron,
      timeZone: request.timeZone,
      kind: 'message',
      payload: { channel: request.channel, chatId: request.chatId, text: request.text },
      enabled: true,
    },
    now,
  );
  return created.ok ? { ok: true, item: briefOfSchedule(created.row) } : created;
}

/** HH:MM when the cron fires once a day at a fixed time ("m h * * *"), else null. */
export function dailyTime(cron: string): string | null {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron.trim());
  return match ? `${match[2]!.padStart(2, '0')}:${match[1]!.padStart(2, '0')}` : null;
}

export async function digestSettings(
  db: Db,
  personId: string,
  change: { hour: number; minute: number } | { enabled: boolean } | null,
  now: Date,
): Promise<EffectResults['digest.settings']> {
  const current = await digestScheduleOf(db, personId);
  if (!current) return { ok: false };
  let row = current;
  if (change) {
    const changed = await changeSchedule(
      db,
      current,
      'enabled' in change
        ? { enabled: change.enabled }
        : { cron: `${change.minute} ${change.hour} * * *`, enabled: true },
      now,
    );
    if (!changed.ok) return { ok: false };
    row = changed.row;
  }
  return { ok: true, item: briefOfSchedule(row), time: dailyTime(row.cron) };
}
