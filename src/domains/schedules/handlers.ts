/**
 * What the schedules' own kinds queue when they fire, inside the transaction that claimed the
 * fire time: a message to a chat, and the reminders sweep. The digest's and the polls' kinds
 * have handlers of their own (src/domains/digest, src/domains/polls); the runtime composes them.
 */
import { z } from 'zod';
import { channelNames } from '../../../bots/core/messenger.ts';
import type { Engine } from '../../../flows/engine/engine.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { sendReminders } from '../../pipeline/reminders.ts';
import type { ScheduleHandler } from '../../pipeline/schedules/handler.ts';

/** A message to one chat (a standing reminder or announcement). */
export const messagePayload = z
  .object({
    channel: z.enum(channelNames),
    chatId: z.string().min(1).max(200),
    text: z.string().trim().min(1).max(2000),
  })
  .strict();

/** A message to one chat. */
export function messageScheduleHandler(ctx: Pick<Ctx, 'keys'>): ScheduleHandler {
  return async (tx, schedule) => {
    const payload = messagePayload.safeParse(schedule.payload);
    if (!payload.success) return;
    await enqueue(tx, ctx.keys, [
      {
        channel: payload.data.channel,
        chatId: payload.data.chatId,
        message: { type: 'text', text: payload.data.text },
      },
    ]);
  };
}

/** The once-only reminders: of forms left half-filled, and of answered items not yet rated. */
export function remindersScheduleHandler(
  ctx: Pick<Ctx, 'timeZone' | 'keys'>,
  options: {
    engine: Engine;
    /** Minutes a form is kept after its last answer; its one reminder comes halfway. */
    conversationTimeoutMinutes: number;
  },
): ScheduleHandler {
  const timeoutMinutes = options.conversationTimeoutMinutes;
  return async (tx, _schedule, fireAt) => {
    await sendReminders(tx, fireAt, ctx, {
      engine: options.engine,
      idleMinutes: Math.max(1, Math.floor(timeoutMinutes / 2)),
      timeoutMinutes,
    });
  };
}
