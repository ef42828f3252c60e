/**
 * What the digest's schedules queue when they fire, inside the transaction that claimed the fire
 * time: an officer's daily digest and an admin's weekly summary, each of what came since its last
 * run, to the reader's private chat. The runtime hands them to the tick with every other kind's.
 */
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { people, scheduleRuns } from '../../../db/schema/index.ts';
import { type Action, allows, itemScope } from '../../../flows/access/rules.ts';
import { digestMessage, weeklyMessage } from '../../../flows/commands/digest.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import type { ScheduleHandler } from '../../pipeline/schedules/handler.ts';
import { actorWithRole } from '../people/actors.ts';
import { privateChatOf } from '../people/officer-contacts.ts';
import { digestData, weeklyData } from './store.ts';

/** Whose digest or summary it is. */
export const personPayload = z.object({ personId: z.uuid() }).strict();

const day = 86_400_000;

type Tx = Parameters<ScheduleHandler>[0];

/** When this schedule last ran before `fireAt` (a digest covers what came since). */
async function previousRun(tx: Tx, scheduleId: string, fireAt: Date) {
  const [row] = await tx
    .select({ fireAt: scheduleRuns.fireAt })
    .from(scheduleRuns)
    .where(
      and(
        eq(scheduleRuns.scheduleId, scheduleId),
        lt(scheduleRuns.fireAt, fireAt),
        // A missed slot sent nothing.
        inArray(scheduleRuns.status, ['claimed', 'manual']),
      ),
    )
    .orderBy(desc(scheduleRuns.fireAt))
    .limit(1);
  return row?.fireAt ?? null;
}

/** The officer or admin a digest is for, with their private chat; null when neither applies any more. */
async function reader(tx: Tx, payload: unknown, action: Action) {
  const parsed = personPayload.safeParse(payload);
  if (!parsed.success) return null;
  const [person] = await tx.select().from(people).where(eq(people.id, parsed.data.personId));
  if (!person || !allows(person.role, action)) return null;
  const chat = await privateChatOf(tx, person.id);
  return chat ? { person, chat } : null;
}

/** An officer's daily digest of the items they may see, since its last run (or a day). */
export function digestScheduleHandler(ctx: Pick<Ctx, 'keys'>): ScheduleHandler {
  return async (tx, schedule, fireAt) => {
    const who = await reader(tx, schedule.payload, 'digest.own');
    if (!who) return;
    const since = (await previousRun(tx, schedule.id, fireAt)) ?? new Date(fireAt.getTime() - day);
    const actor = await actorWithRole(tx, who.person.id, who.person.role);
    const data = await digestData(tx, { items: itemScope(actor), since, until: fireAt });
    const message = digestMessage(data, who.person.language, schedule.timeZone);
    if (message)
      await enqueue(tx, ctx.keys, [{ channel: who.chat.channel, chatId: who.chat.chatId, message }]);
  };
}

/** An admin's weekly summary, since its last run (or a week). */
export function weeklyScheduleHandler(ctx: Pick<Ctx, 'keys'>): ScheduleHandler {
  return async (tx, schedule, fireAt) => {
    const who = await reader(tx, schedule.payload, 'report.weekly');
    if (!who) return;
    const since = (await previousRun(tx, schedule.id, fireAt)) ?? new Date(fireAt.getTime() - 7 * day);
    const data = await weeklyData(tx, { since, until: fireAt });
    const message = weeklyMessage(data, who.person.language, schedule.timeZone);
    if (message)
      await enqueue(tx, ctx.keys, [{ channel: who.chat.channel, chatId: who.chat.chatId, message }]);
  };
}
