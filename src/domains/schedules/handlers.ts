/**
 * What each kind of schedule queues when it fires, inside the transaction that claimed the fire
 * time: a message to a chat, an officer's daily digest, an admin's weekly summary, reminders.
 */
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { channelNames } from '../../../bots/core/messenger.ts';
import { people, type ScheduleKind, scheduleRuns } from '../../../db/schema/index.ts';
import { type Action, allows, itemScope } from '../../../flows/access/rules.ts';
import { digestMessage, weeklyMessage } from '../../../flows/commands/digest.ts';
import type { Engine } from '../../../flows/engine/engine.ts';
import { checkPollSpec, pollTemplate } from '../../../flows/polls/spec.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { sendReminders } from '../../pipeline/reminders.ts';
import { digestData, weeklyData } from '../digest/store.ts';
import { actorWithRole } from '../people/actors.ts';
import { privateChatOf } from '../people/officer-contacts.ts';
import { createPoll } from '../polls/store.ts';
import type { ScheduleHandler } from './tick.ts';

/** A message to one chat (a standing reminder or announcement). */
export const messagePayload = z
  .object({
    channel: z.enum(channelNames),
    chatId: z.string().min(1).max(200),
    text: z.string().trim().min(1).max(2000),
  })
  .strict();

/** Whose digest or summary it is. */
export const personPayload = z.object({ personId: z.uuid() }).strict();

export interface HandlerDeps {
  engine: Engine;
  timeZone: string;
  /** Minutes a form is kept after its last answer; its one reminder comes halfway. */
  conversationTimeoutMinutes: number;
  keyRing: KeyRing;
}

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

/** A message to one chat. */
function messageHandler(deps: HandlerDeps): ScheduleHandler {
  return async (tx, schedule) => {
    const payload = messagePayload.safeParse(schedule.payload);
    if (!payload.success) return;
    await enqueue(tx, deps.keyRing, [
      {
        channel: payload.data.channel,
        chatId: payload.data.chatId,
        message: { type: 'text', text: payload.data.text },
      },
    ]);
  };
}

/** An officer's daily digest of the items they may see, since its last run (or a day). */
function digestHandler(deps: HandlerDeps): ScheduleHandler {
  return async (tx, schedule, fireAt) => {
    const who = await reader(tx, schedule.payload, 'digest.own');
    if (!who) return;
    const since = (await previousRun(tx, schedule.id, fireAt)) ?? new Date(fireAt.getTime() - day);
    const actor = await actorWithRole(tx, who.person.id, who.person.role);
    const data = await digestData(tx, { items: itemScope(actor), since, until: fireAt });
    const message = digestMessage(data, who.person.language, schedule.timeZone);
    if (message)
      await enqueue(tx, deps.keyRing, [{ channel: who.chat.channel, chatId: who.chat.chatId, message }]);
  };
}

/** An admin's weekly summary, since its last run (or a week). */
function weeklyHandler(deps: HandlerDeps): ScheduleHandler {
  return async (tx, schedule, fireAt) => {
    const who = await reader(tx, schedule.payload, 'report.weekly');
    if (!who) return;
    const since = (await previousRun(tx, schedule.id, fireAt)) ?? new Date(fireAt.getTime() - 7 * day);
    const data = await weeklyData(tx, { since, until: fireAt });
    const message = weeklyMessage(data, who.person.language, schedule.timeZone);
    if (message)
      await enqueue(tx, deps.keyRing, [{ channel: who.chat.channel, chatId: who.chat.chatId, message }]);
  };
}

/** Each occurrence of a recurring poll is a new poll, open from the fire time for its duration. */
const pollHandler: ScheduleHandler = async (tx, schedule, fireAt) => {
  const template = pollTemplate.safeParse(schedule.payload);
  if (!template.success) return;
  const { durationMinutes, ...spec } = template.data;
  if (checkPollSpec(spec, durationMinutes)) return;
  const closesAt = new Date(fireAt.getTime() + durationMinutes * 60_000);
  await createPoll(tx, { ...spec, opensAt: fireAt, closesAt }, { now: fireAt, scheduleId: schedule.id });
};

/** The once-only reminders: of forms left half-filled, and of answered items not yet rated. */
function remindersHandler(deps: HandlerDeps): ScheduleHandler {
  return async (tx, _schedule, fireAt) => {
    await sendReminders(tx, fireAt, {
      engine: deps.engine,
      timeZone: deps.timeZone,
      idleMinutes: Math.max(1, Math.floor(deps.conversationTimeoutMinutes / 2)),
      timeoutMinutes: deps.conversationTimeoutMinutes,
      keyRing: deps.keyRing,
    });
  };
}

/** A handler for every kind: a kind without one does not compile. */
export function createScheduleHandlers(deps: HandlerDeps): ReadonlyMap<ScheduleKind, ScheduleHandler> {
  const handlers: Record<ScheduleKind, ScheduleHandler> = {
    message: messageHandler(deps),
    digest: digestHandler(deps),
    weekly_summary: weeklyHandler(deps),
    poll: pollHandler,
    reminders: remindersHandler(deps),
  };
  return new Map(Object.entries(handlers) as [ScheduleKind, ScheduleHandler][]);
}
