/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), evaluated by this
 * project's own code in a named time zone, so every runtime fires at the same wall-clock times.
 * Fields take `*`, numbers, ranges (1-5), lists (1,3,5), steps (*\/15, 8-18/2) and names (MON-FRI,
 * JAN-DEC). Day of week is 0-7 with both 0 and 7 Sunday. As in classic cron, when both day fields
 * are restricted (neither starts with *) a day matches either of them.
 */

export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Whether each day field was restricted (does not start with `*`). */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

export class CronError extends Error {}

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    if (named !== -1) return named + nameBase;
    if (!/^\d{1,2}$/.test(token))
      throw new CronError(`"${token}" is not a number${names.length ? ' or a name' : ''}`);
    const n = Number(token);
    if (n < min || n > max) throw new CronError(`${n} is outside ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const pieces = part.split('/');
    // Extra pieces would otherwise be dropped without a word: */5/3 is not */5.
    if (pieces.length > 2) throw new CronError(`"${part}" has more than one step`);
    const [range, stepText] = pieces;
    if (range === undefined || range === '') throw new CronError(`empty part in "${text}"`);
    // Digits only: Number() alone would also read 1e1, 0x10 and 1.0.
    const step = stepText === undefined ? 1 : /^\d{1,2}$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) throw new CronError(`step "${stepText}" should be a positive number`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const ends = range.split('-');
      if (ends.length > 2) throw new CronError(`range ${range} has more than two ends`);
      const [a, b] = ends;
      from = value(a ?? '');
      to = value(b ?? '');
      if (from > to) throw new CronError(`range ${range} runs backwards`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(`expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [minute, hour, day, month, weekday] = parts as [string, string, string, string, string];
  const weekdays = field(weekday, 0, 7, dayNames);
  if (weekdays.has(7)) {
    weekdays.delete(7);
    weekdays.add(0);
  }
  return {
    minutes: field(minute, 0, 59),
    hours: field(hour, 0, 23),
    days: field(day, 1, 31),
    months: field(month, 1, 12, monthNames, 1),
    weekdays,
    // As classic cron reads it: a field starting with * (also */2) does not restrict the day.
    daysRestricted: !day.startsWith('*'),
    weekdaysRestricted: !weekday.startsWith('*'),
  };
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(at: Date, timeZone: string): Wall {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

const wallAsUtc = (wall: Wall) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Offsets from UTC in the zone, by hour, remembered for one search. */
type Offsets = Map<number, number>;
function offsetAt(at: number, timeZone: string, offsets: Offsets): number {
  const key = Math.floor(at / hourMs);
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = wallAsUtc(wallClock(new Date(key * hourMs), timeZone)) - key * hourMs;
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The instant a wall-clock time has in the zone; null when that time does not exist there (a DST
 * gap). A time that happens twice (the hour a fall-back repeats) is taken at its first, so every
 * zone reads it alike. The offsets in force a day before and a day after are the only ones the
 * time can have: no zone changes its clocks twice within two days.
 */
function instantOf(wall: Wall, timeZone: string, offsets: Offsets): Date | null {
  const asUtc = wallAsUtc(wall);
  const before = asUtc - offsetAt(asUtc - dayMs, timeZone, offsets);
  const after = asUtc - offsetAt(asUtc + dayMs, timeZone, offsets);
  for (const at of before === after ? [before] : [Math.min(before, after), Math.max(before, after)]) {
    if (wallAsUtc(wallClock(new Date(at), timeZone)) === asUtc) return new Date(at);
  }
  return null;
}

function dayMatches(schedule: CronSchedule, year: number, month: number, day: number): boolean {
  if (!schedule.months.has(month)) return false;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const byDay = schedule.days.has(day);
  const byWeekday = schedule.weekdays.has(weekday);
  if (schedule.daysRestricted && schedule.weekdaysRestricted) return byDay || byWeekday;
  return byDay && byWeekday;
}

const skipMargin = 3 * hourMs;

/** The first fire time strictly after `after`, in the zone; null when none comes within ~5 years. */
export function nextFireTime(schedule: CronSchedule, after: Date, timeZone: string): Date | null {
  const start = wallClock(after, timeZone);
  const offsets: Offsets = new Map();
  const hours = [...schedule.hours].sort((a, b) => a - b);
  const minutes = [...schedule.minutes].sort((a, b) => a - b);
  // A wall-clock time well before `after`'s own cannot come after it, so on the first day those
  // are not converted (the slow part); the margin covers any DST change (an hour, two at most).
  const earliest = Date.UTC(start.year, start.month - 1, start.day, start.hour, start.minute) - skipMargin;
  const cursor = new Date(Date.UTC(start.year, start.month - 1, start.day));
  for (let d = 0; d < 366 * 5; d++, cursor.setUTCDate(cursor.getUTCDate() + 1)) {
    const year = cursor.getUTCFullYear();
    const month = cursor.getUTCMonth() + 1;
    const day = cursor.getUTCDate();
    if (!dayMatches(schedule, year, month, day)) continue;
    for (const hour of hours) {
      if (d === 0 && Date.UTC(year, month - 1, day, hour, 59) < earliest) continue;
      for (const minute of minutes) {
        if (d === 0 && Date.UTC(year, month - 1, day, hour, minute) < earliest) continue;
        const at = instantOf({ year, month, day, hour, minute }, timeZone, offsets);
        if (at && at.getTime() > after.getTime()) return at;
      }
    }
  }
  return null;
}
