/**
 * What officers do to polls, shared by the officer API and the console: check and create a poll
 * (once, or recurring on a schedule), close one early, cancel one — each audited with who did it.
 * Refusals are results carrying a bilingual message; nothing is written when one is returned.
 */
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/handle.ts';
import { orgUnits, type PollRow, type ScheduleRow } from '../../../db/schema/index.ts';
import { checkPollSpec, maxDurationMinutes, type PollSpec, pollSpec } from '../../../flows/polls/spec.ts';
import type { L10n } from '../../../kernel/l10n.ts';
import { timeZone } from '../../kernel/config.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { createSchedule } from '../../pipeline/schedules/store.ts';
import { cancelPoll, closePoll } from './close.ts';
import { createPoll } from './store.ts';

export const pollBody = pollSpec
  .extend({
    /** ISO 8601; absent: now. */
    opensAt: z.iso.datetime({ offset: true }).optional(),
    /** ISO 8601; or give durationMinutes. */
    closesAt: z.iso.datetime({ offset: true }).optional(),
    durationMinutes: z.number().int().min(1).max(maxDurationMinutes).optional(),
    /** A recurring poll: each time the cron fires, a new poll opens for durationMinutes. */
    repeat: z
      .object({
        cron: z.string().trim().min(9).max(100),
        timeZone: timeZone.optional(),
        name: z.string().trim().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PollBody = z.infer<typeof pollBody>;

/** Who acts: an officer signed in to the console, or whoever holds ADMIN_TOKEN. */
export interface PollActor {
  type: 'officer' | 'admin_token';
  id: string | null;
}

export const pollAdminText = {
  past: { zh: '开始时间已经过去。', en: 'The opening time is in the past.' },
  when: {
    zh: '请给出截止时间或时长，二者选一。',
    en: 'Give either a closing time or a duration, not both and not neither.',
  },
  repeatDuration: {
    zh: '定期投票请给出时长，不能给开始或截止时间。',
    en: 'A recurring poll takes a duration, not an opening or closing time.',
  },
  noUnits: (missing: number): L10n => ({
    zh: `有 ${missing} 个单位不存在，请检查投票范围。`,
    en: `${missing} of the units do not exist; check the audience.`,
  }),
  notOpen: { zh: '只有进行中的投票可以提前结束。', en: 'Only an open poll can be closed early.' },
  notCancellable: {
    zh: '只有尚未结束的投票可以撤销。',
    en: 'Only a poll that has not closed can be cancelled.',
  },
  badCron: (why: string): L10n => ({
    zh: `定时表达式有误：${why}`,
    en: `The cron expression is wrong: ${why}`,
  }),
} satisfies Record<string, L10n | ((x: never) => L10n)>;

export type Refusal = { ok: false; message: L10n };
export type Started =
  | { ok: true; poll: PollRow; schedule?: never }
  | { ok: true; schedule: ScheduleRow; poll?: never };

const auditPoll = (tx: Db, actor: PollActor, at: Date, action: string, id: string, detail = {}) =>
  audit(tx, {
    at,
    actorType: actor.type,
    actorId: actor.id,
    action,
    subjectType: 'poll',
    subjectId: id,
    detail,
  });

async function missingUnits(db: Db, audience: PollSpec['audience']): Promise<number> {
  if (audience.kind !== 'units') return 0;
  const wanted = [...new Set(audience.unitIds)];
  const found = await db.select({ id: orgUnits.id }).from(orgUnits).where(inArray(orgUnits.id, wanted));
  return wanted.length - found.length;
}

/** Checks a poll against every rule and creates it (or its schedule); the caller wakes the jobs. */
export async function startPoll(
  db: Db,
  body: PollBody,
  opts: { now: Date; timeZone: string; actor: PollActor },
): Promise<Started | Refusal> {
  const { now, actor } = opts;
  const { opensAt: opensRaw, closesAt: closesRaw, durationMinutes, repeat, ...spec } = body;
  const refuse = (message: L10n): Refusal => ({ ok: false, message });
  const missing = await missingUnits(db, spec.audience);
  if (missing > 0) return refuse(pollAdminText.noUnits(missing));
  if (repeat) {
    if (opensRaw || closesRaw || !durationMinutes) return refuse(pollAdminText.repeatDuration);
    const problem = checkPollSpec(spec, durationMinutes);
    if (problem) return refuse(problem);
    return db.transaction(async (tx) => {
      const made = await createSchedule(
        tx,
        {
          name: repeat.name ?? `投票 Poll · ${spec.question.slice(0, 40)}`,
          cron: repeat.cron,
          timeZone: repeat.timeZone ?? opts.timeZone,
          kind: 'poll',
          payload: { ...spec, durationMinutes },
          enabled: true,
        },
        now,
      );
      if (!made.ok)
        return refuse(pollAdminText.badCron(made.reason === 'never' ? 'never fires' : made.detail));
      await auditPoll(tx, actor, now, 'poll.schedule', made.row.id, { kind: spec.kind, cron: repeat.cron });
      return { ok: true as const, schedule: made.row };
    });
  }
  const opensAt = opensRaw ? new Date(opensRaw) : now;
  if (opensAt.getTime() < now.getTime() - 60_000) return refuse(pollAdminText.past);
  if ((closesRaw === undefined) === (durationMinutes === undefined)) return refuse(pollAdminText.when);
  const closesAt = closesRaw
    ? new Date(closesRaw)
    : new Date(opensAt.getTime() + (durationMinutes ?? 0) * 60_000);
  const problem = checkPollSpec(spec, Math.floor((closesAt.getTime() - opensAt.getTime()) / 60_000));
  if (problem) return refuse(problem);
  const poll = await db.transaction(async (tx) => {
    const created = await createPoll(tx, { ...spec, opensAt, closesAt }, { now, createdBy: actor.id });
    await auditPoll(tx, actor, now, 'poll.create', created.id, {
      kind: spec.kind,
      audience: spec.audience.kind,
    });
    return created;
  });
  return { ok: true, poll };
}

/** Closes an open poll early (results frozen and sent out); the caller wakes the outbox. */
export async function closePollEarly(
  db: Db,
  row: PollRow,
  opts: { now: Date; timeZone: string; actor: PollActor; keys: KeyRing },
): Promise<{ ok: true; poll: PollRow } | Refusal> {
  if (row.status !== 'open') return { ok: false, message: pollAdminText.notOpen };
  const closed = await closePoll(db, row.id, { now: opts.now, timeZone: opts.timeZone, keys: opts.keys });
  if (!closed) return { ok: false, message: pollAdminText.notOpen };
  await auditPoll(db, opts.actor, opts.now, 'poll.close', row.id);
  return { ok: true, poll: closed };
}

/** Cancels a poll that has not closed: no results, its votes deleted. */
export async function cancelPollAs(
  db: Db,
  row: PollRow,
  opts: { now: Date; actor: PollActor },
): Promise<{ ok: true; poll: PollRow } | Refusal> {
  const cancelled = await cancelPoll(db, row.id, opts.now);
  if (!cancelled) return { ok: false, message: pollAdminText.notCancellable };
  await auditPoll(db, opts.actor, opts.now, 'poll.cancel', row.id);
  return { ok: true, poll: cancelled };
}
