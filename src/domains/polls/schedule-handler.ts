/**
 * What a recurring poll's schedule queues when it fires, inside the transaction that claimed the
 * fire time: a new poll from the schedule's template. The runtime hands it to the tick with every
 * other kind's.
 */
import { checkPollSpec, pollTemplate } from '../../../flows/polls/spec.ts';
import type { ScheduleHandler } from '../../pipeline/schedules/handler.ts';
import { createPoll } from './store.ts';

/** Each occurrence of a recurring poll is a new poll, open from the fire time for its duration. */
export const pollScheduleHandler: ScheduleHandler = async (tx, schedule, fireAt) => {
  const template = pollTemplate.safeParse(schedule.payload);
  if (!template.success) return;
  const { durationMinutes, ...spec } = template.data;
  if (checkPollSpec(spec, durationMinutes)) return;
  const closesAt = new Date(fireAt.getTime() + durationMinutes * 60_000);
  await createPoll(tx, { ...spec, opensAt: fireAt, closesAt }, { now: fireAt, scheduleId: schedule.id });
};
