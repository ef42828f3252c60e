/**
 * Schedules the server keeps for itself, created when missing: a daily digest for every officer
 * and admin, a weekly summary for every admin, the reminders sweep, and (with an enterprise
 * directory configured) its daily sync. Each has a system key, so
 * however many instances run this at once, each schedule exists once. Officers change their own
 * digest's time afterwards; that is never overwritten here.
 *
 * This runs on every tick of every instance, so it is one statement, and it inserts only keys
 * that are missing: an insert that ends in a conflict still draws a number from the `no`
 * sequence, and the short numbers admins type (定时 暂停 3) would otherwise climb every minute.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { type Action, rolesFor } from '../../../flows/access/rules.ts';
import { nextFireTime, parseCron } from '../../kernel/cron.ts';

export interface SystemScheduleSettings {
  digestCron: string;
  weeklyCron: string;
  /** When an enterprise directory is configured: when it is read into the roster each day. */
  directoryCron?: string;
  timeZone: string;
  now: Date;
}

/** How often reminders are looked for. */
export const remindersCron = '*/5 * * * *';

export async function ensureSystemSchedules(db: Db, settings: SystemScheduleSettings): Promise<void> {
  const { timeZone, now } = settings;
  const next = (cron: string) => nextFireTime(parseCron(cron), now, timeZone);
  const personal = (kind: string, prefix: string, label: string, cron: string, action: Action): SQL => sql`
    select ${label}::text || ' · ' || p.display_name, ${prefix}::text || p.id::text, ${cron}::text,
           ${kind}::text, jsonb_build_object('personId', p.id), ${next(cron)}::timestamptz
    from people p
    where p.role in (${sql.join(
      rolesFor(action).map((r) => sql`${r}`),
      sql`, `,
    )})`;
  await db.execute(sql`
    insert into schedules (name, system_key, cron, time_zone, kind, payload, next_fire_at, created_at)
    select wanted.name, wanted.system_key, wanted.cron, ${timeZone}::text, wanted.kind, wanted.payload,
           wanted.next_fire_at, ${now}::timestamptz
    from (
      select ${'提醒 Reminders'}::text, ${'reminders'}::text, ${remindersCron}::text, ${'reminders'}::text,
             '{}'::jsonb, ${next(remindersCron)}::timestamptz
      union all ${personal('digest', 'digest:', '每日摘要 Daily digest', settings.digestCron, 'digest.own')}
      union all ${personal('weekly_summary', 'weekly:', '每周汇总 Weekly summary', settings.weeklyCron, 'report.weekly')}
      ${
        settings.directoryCron
          ? sql`union all select ${'通讯录同步 Directory sync'}::text, ${'directory_sync'}::text, ${settings.directoryCron}::text,
                ${'directory_sync'}::text, '{}'::jsonb, ${next(settings.directoryCron)}::timestamptz`
          : sql``
      }
    ) as wanted (name, system_key, cron, kind, payload, next_fire_at)
    where not exists (select 1 from schedules s where s.system_key = wanted.system_key)
    on conflict (system_key) do nothing`);
}
