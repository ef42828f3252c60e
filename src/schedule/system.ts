/**
 * Schedules the server keeps for itself, created when missing: a daily digest for every officer
 * and admin, a weekly summary for every admin, and the reminders sweep. Each has a system key, so
 * however many instances run this at once, each schedule exists once. Officers change their own
 * digest's time afterwards; that is never overwritten here.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { schedules } from '../../db/schema/index.ts';
import { nextFireTime, parseCron } from './cron.ts';

export interface SystemScheduleSettings {
  digestCron: string;
  weeklyCron: string;
  timeZone: string;
  now: Date;
}

/** How often reminders are looked for. */
export const remindersCron = '*/5 * * * *';

export async function ensureSystemSchedules(db: Db, settings: SystemScheduleSettings): Promise<void> {
  const { timeZone, now } = settings;
  const next = (cron: string) => nextFireTime(parseCron(cron), now, timeZone);
  await db
    .insert(schedules)
    .values({
      name: '提醒 Reminders',
      systemKey: 'reminders',
      cron: remindersCron,
      timeZone,
      kind: 'reminders',
      payload: {},
      nextFireAt: next(remindersCron),
      createdAt: now,
    })
    .onConflictDoNothing();
  const personal = (kind: string, prefix: string, label: string, cron: string, roles: string[]) =>
    db.execute(sql`
      insert into schedules (name, system_key, cron, time_zone, kind, payload, next_fire_at, created_at)
      select ${label} || ' · ' || p.display_name, ${prefix} || p.id, ${cron}, ${timeZone}, ${kind},
             jsonb_build_object('personId', p.id), ${next(cron)}, ${now}
      from people p
      where p.role in (${sql.join(
        roles.map((r) => sql`${r}`),
        sql`, `,
      )})
        and not exists (select 1 from schedules s where s.system_key = ${prefix} || p.id)
      on conflict (system_key) do nothing`);
  await personal('digest', 'digest:', '每日摘要 Daily digest', settings.digestCron, ['officer', 'admin']);
  await personal('weekly_summary', 'weekly:', '每周汇总 Weekly summary', settings.weeklyCron, ['admin']);
}
