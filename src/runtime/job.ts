/**
 * `npm run job -- <kind> [schedule number]`: runs one job by hand against the configured
 * database, then sends what it queued and exits. Kinds:
 *   tick        one schedule tick (what the server does every minute)
 *   digest      every officer's daily digest now
 *   weekly      every admin's weekly summary now
 *   reminders   the reminders sweep now
 *   schedule N  schedule number N now (see 定时 in chat or GET /api/schedules)
 *   news        queue due news broadcasts
 *   deadlines   help-request escalation and motion conversion
 *   polls       open due polls, send due poll reminders, close polls at their time
 * Everything it queues goes through the outbox as usual, so a server running at the same time
 * never sends anything twice.
 */
import { eq } from 'drizzle-orm';
import { type ScheduleKind, schedules } from '../../db/schema/index.ts';
import { ensureSystemSchedules } from '../domains/schedules/system.ts';
import { ConfigError, loadConfig } from '../kernel/config.ts';
import { createLogger, errorFields } from '../kernel/log.ts';
import { scheduleByNo } from '../pipeline/schedules/store.ts';
import { dataKeyRing, openConfiguredDatabase } from './boot.ts';
import { nodeParts } from './node-parts.ts';
import { createServices } from './services.ts';

const kinds = ['tick', 'digest', 'weekly', 'reminders', 'schedule', 'news', 'deadlines', 'polls'] as const;
type Kind = (typeof kinds)[number];
const systemKinds: Partial<Record<Kind, ScheduleKind>> = {
  digest: 'digest',
  weekly: 'weekly_summary',
  reminders: 'reminders',
};

const usage = `用法 Usage: npm run job -- <${kinds.join('|')}> [schedule number]`;

async function main(): Promise<number> {
  const [kind, arg] = process.argv.slice(2);
  if (
    !kind ||
    !(kinds as readonly string[]).includes(kind) ||
    (kind === 'schedule' && !/^\d+$/.test(arg ?? ''))
  ) {
    console.error(usage);
    return 64;
  }
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL);
  const database = await openConfiguredDatabase(config, log);
  try {
    const services = createServices({
      db: database.db,
      databaseKind: database.kind,
      config,
      log,
      keyRing: await dataKeyRing(config, log),
      ...nodeParts,
    });
    const { jobs } = services;
    let done = 0;
    switch (kind as Kind) {
      case 'tick':
        done = await jobs.tick();
        break;
      case 'news':
        for (let n = await jobs.broadcast(); n > 0; n = await jobs.broadcast()) done += n;
        break;
      case 'deadlines':
        done = (await jobs.escalate()) + (await jobs.convertMotions());
        break;
      case 'polls':
        for (let n = await jobs.polls(); n > 0; n = await jobs.polls()) done += n;
        break;
      case 'schedule': {
        const schedule = await scheduleByNo(database.db, Number(arg));
        if (!schedule) {
          console.error(`没有编号为 ${arg} 的定时任务 / No schedule number ${arg}`);
          return 1;
        }
        done = (await jobs.runSchedule(schedule.id)) ? 1 : 0;
        break;
      }
      default: {
        await ensureSystemSchedules(database.db, {
          digestCron: config.DIGEST_CRON,
          weeklyCron: config.WEEKLY_SUMMARY_CRON,
          timeZone: config.TZ_DEFAULT,
          now: new Date(),
        });
        const rows = await database.db
          .select({ id: schedules.id, enabled: schedules.enabled })
          .from(schedules)
          .where(eq(schedules.kind, systemKinds[kind as Kind]!));
        for (const row of rows) if (row.enabled && (await jobs.runSchedule(row.id))) done++;
      }
    }
    // Send what was queued (bounded: a long backlog is left to the server).
    let sent = 0;
    const until = Date.now() + 60_000;
    for (let n = await jobs.dispatch(); n > 0 && Date.now() < until; n = await jobs.dispatch()) sent += n;
    log.info('job.done', { kind, done, sent });
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : JSON.stringify(errorFields(error)));
    process.exit(1);
  },
);
