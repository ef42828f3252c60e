/** What each kind of schedule queues when it fires (more kinds come with news, polls and digests). */
import { z } from 'zod';
import { channelNames } from '../../bots/core/messenger.ts';
import { enqueue } from '../store/outbox.ts';
import type { ScheduleHandler } from './tick.ts';

/** A message to one chat (a standing reminder or announcement). */
export const messagePayload = z
  .object({
    channel: z.enum(channelNames),
    chatId: z.string().min(1).max(200),
    text: z.string().trim().min(1).max(2000),
  })
  .strict();

export const scheduleKinds = ['message'] as const;

export const scheduleHandlers: ReadonlyMap<string, ScheduleHandler> = new Map<string, ScheduleHandler>([
  [
    'message',
    async (tx, schedule) => {
      const payload = messagePayload.safeParse(schedule.payload);
      if (!payload.success) return;
      await enqueue(tx, [
        {
          channel: payload.data.channel,
          chatId: payload.data.chatId,
          message: { type: 'text', text: payload.data.text },
        },
      ]);
    },
  ],
]);
