/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) in a named time zone,
 * evaluated by croner on every runtime, so Node and the Worker fire at the same wall-clock times.
 *
 * Fields take `*`, numbers, ranges (1-5), lists (1,3,5), steps (*\/15, 8-18/2, and 5/10 read as
 * 5-59/10), names (MON-FRI, JAN-DEC), and croner's extras (L for the last day, MON#2 for the
 * second Monday). Day of week is 0-7 with both 0 and 7 Sunday; when both day fields are given a
 * day matches either. Around daylight-saving changes, as Vixie cron does: a fixed time that a
 * change removes fires at the first minute after the gap that day, a time the fall-back repeats
 * fires once at its first, and a job every few minutes keeps its pace through the repeated hour.
 */
import { Cron } from 'croner';

/** An expression that has been checked; what `nextFireTime` reads. */
export interface CronSchedule {
  /** The expression as croner reads it (a bare `N/step` written out as a range). */
  readonly pattern: string;
}

export class CronError extends Error {}

const fieldEnds = [59, 23, 31, 12, 7];

/** `5/10` in the minute field is `5-59/10`: classic cron reads it so, croner asks for the range. */
function withRanges(expression: string): string {
  return expression
    .trim()
    .split(/\s+/)
    .map((field, index) =>
      field
        .split(',')
        .map((part) =>
          part.replace(
            /^(\d{1,2})\/(\d+)$/,
            (_all, from: string, step: string) => `${from}-${fieldEnds[index] ?? from}/${step}`,
          ),
        )
        .join(','),
    )
    .join(' ');
}

/** Checks an expression; throws CronError with croner's reason when it is not five valid fields. */
export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/).filter(Boolean).length;
  if (fields !== 5) throw new CronError(`expected 5 fields (minute hour day month weekday), got ${fields}`);
  const pattern = withRanges(expression);
  try {
    new Cron(pattern, { mode: '5-part', paused: true });
  } catch (error) {
    throw new CronError((error as Error).message.replace(/^CronPattern:\s*/, ''));
  }
  return { pattern };
}

/** The first fire time strictly after `after`, in the zone; null when none ever comes. */
export function nextFireTime(schedule: CronSchedule, after: Date, timeZone: string): Date | null {
  const cron = new Cron(schedule.pattern, { mode: '5-part', paused: true, timezone: timeZone });
  return cron.nextRun(after);
}
