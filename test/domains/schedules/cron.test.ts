import { describe, expect, it } from 'vitest';
import { CronError, nextFireTime, parseCron } from '../../../src/domains/schedules/cron.ts';

const next = (expression: string, after: string, timeZone = 'Asia/Shanghai') =>
  nextFireTime(parseCron(expression), new Date(after), timeZone)?.toISOString() ?? null;

describe('cron expressions', () => {
  it('fires at wall-clock times of the zone, not the server', () => {
    // 08:30 in Shanghai is 00:30 UTC.
    expect(next('30 8 * * *', '2026-11-23T00:00:00Z')).toBe('2026-11-23T00:30:00.000Z');
    expect(next('30 8 * * *', '2026-11-23T00:30:00Z')).toBe('2026-11-24T00:30:00.000Z');
    expect(next('30 8 * * *', '2026-11-23T00:00:00Z', 'UTC')).toBe('2026-11-23T08:30:00.000Z');
  });

  it('reads day names, ranges, lists and steps', () => {
    // Fridays 16:00 Shanghai; 2026-11-23 is a Monday.
    expect(next('0 16 * * FRI', '2026-11-23T00:00:00Z')).toBe('2026-11-27T08:00:00.000Z');
    expect(next('0 16 * * 5', '2026-11-23T00:00:00Z')).toBe('2026-11-27T08:00:00.000Z');
    expect(next('*/15 9-17 * * MON-FRI', '2026-11-28T00:00:00Z')).toBe('2026-11-30T01:00:00.000Z');
    expect(next('0 9 1,15 * *', '2026-11-16T00:00:00Z')).toBe('2026-12-01T01:00:00.000Z');
    expect(next('0 0 * JAN *', '2026-11-23T00:00:00Z')).toBe('2026-12-31T16:00:00.000Z');
    expect(next('0 12 * * 7', '2026-11-23T00:00:00Z')).toBe('2026-11-29T04:00:00.000Z');
  });

  it('matches either day field when both are restricted, as classic cron does', () => {
    // The 1st of the month or any Monday: the next is Monday 2026-11-30, before 12-01.
    expect(next('0 9 1 * MON', '2026-11-24T00:00:00Z')).toBe('2026-11-30T01:00:00.000Z');
  });

  it('reads a day field starting with * (also */2) as unrestricted, as classic cron does', () => {
    // Odd days that are Mondays: 2026-11-30 is an even Monday, 2026-12-07 an odd one.
    expect(next('0 9 */2 * 1', '2026-11-24T00:00:00Z')).toBe('2026-12-07T01:00:00.000Z');
    expect(next('0 9 1-31/2 * 1', '2026-11-24T00:00:00Z')).toBe('2026-11-25T01:00:00.000Z');
  });

  it('takes a time a fall-back repeats at its first, in every zone, so it fires once', () => {
    // New York, 2026-11-01: 01:30 EDT (05:30Z), then 01:30 EST (06:30Z) an hour later.
    expect(next('30 1 * * *', '2026-10-31T12:00:00Z', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(next('30 1 * * *', '2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-02T06:30:00.000Z');
    // Even asked from inside the repeated hour, the time already passed is not given again.
    expect(next('30 1 * * *', '2026-11-01T06:10:00Z', 'America/New_York')).toBe('2026-11-02T06:30:00.000Z');
    // Berlin, 2026-10-25: 02:30 CEST (00:30Z) comes first, 02:30 CET (01:30Z) is not used.
    expect(next('30 2 * * *', '2026-10-24T12:00:00Z', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('30 2 * * *', '2026-10-25T00:30:00Z', 'Europe/Berlin')).toBe('2026-10-26T01:30:00.000Z');
    // Every ten minutes through the repeated hour: each wall-clock time once, then on in CET.
    expect(next('*/10 * * * *', '2026-10-25T00:50:00Z', 'Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z');
    // Berlin's spring gap, 2026-03-29 02:00–03:00, has no 02:30.
    expect(next('30 2 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin')).toBe('2026-03-30T00:30:00.000Z');
  });

  it('skips wall-clock times a DST change removes, and finds rare dates', () => {
    // 02:30 does not exist in New York on 2026-03-08; the next 02:30 is the day after.
    expect(next('30 2 * * *', '2026-03-08T05:00:00Z', 'America/New_York')).toBe('2026-03-09T06:30:00.000Z');
    expect(next('0 0 29 2 *', '2026-11-23T00:00:00Z', 'UTC')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 0 31 2 *', '2026-11-23T00:00:00Z', 'UTC')).toBeNull();
  });

  it('refuses malformed expressions with the reason', () => {
    expect(() => parseCron('* * * *')).toThrow(CronError);
    expect(() => parseCron('60 * * * *')).toThrow('60 is outside 0-59');
    expect(() => parseCron('* * * * FUNDAY')).toThrow('not a number or a name');
    expect(() => parseCron('*/0 * * * *')).toThrow('step');
    expect(() => parseCron('5-1 * * * *')).toThrow('backwards');
  });

  it('reads lists in any order: the earliest time comes first', () => {
    // 10:00 Shanghai is 02:00 UTC.
    expect(next('45,15 * * * *', '2026-11-23T02:00:00Z')).toBe('2026-11-23T02:15:00.000Z');
    expect(next('45,15 * * * *', '2026-11-23T02:15:00Z')).toBe('2026-11-23T02:45:00.000Z');
    expect(next('0 17,9 * * *', '2026-11-23T00:00:00Z')).toBe('2026-11-23T01:00:00.000Z');
    expect(next('50,5,30 17,9,12 * * *', '2026-11-23T04:31:00Z')).toBe('2026-11-23T04:50:00.000Z');
  });

  it('reads N/step as from N to the end of the field, every step', () => {
    expect(parseCron('5/10 * * * *').minutes).toEqual(new Set([5, 15, 25, 35, 45, 55]));
    expect(next('5/10 * * * *', '2026-11-23T02:06:00Z')).toBe('2026-11-23T02:15:00.000Z');
    expect(next('5/10 * * * *', '2026-11-23T02:55:00Z')).toBe('2026-11-23T03:05:00.000Z');
    expect(parseCron('0 20/2 * * *').hours).toEqual(new Set([20, 22]));
    expect(parseCron('0 0 25/3 * *').days).toEqual(new Set([25, 28, 31]));
    expect(parseCron('0 0 * 10/1 *').months).toEqual(new Set([10, 11, 12]));
    expect(parseCron('0 0 * * 5/1').weekdays).toEqual(new Set([5, 6, 0]));
    expect(parseCron('0-10/5 * * * *').minutes).toEqual(new Set([0, 5, 10]));
    expect(parseCron('59 23 31 12 7')).toMatchObject({
      minutes: new Set([59]),
      hours: new Set([23]),
      days: new Set([31]),
      months: new Set([12]),
      weekdays: new Set([0]),
    });
  });

  it('reads every month name and every day name, in any case', () => {
    const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
    months.forEach((name, i) => {
      expect(parseCron(`0 0 1 ${name} *`).months, name).toEqual(new Set([i + 1]));
      expect(parseCron(`0 0 1 ${name.toLowerCase()} *`).months, name).toEqual(new Set([i + 1]));
    });
    const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
    days.forEach((name, i) => {
      expect(parseCron(`0 0 * * ${name}`).weekdays, name).toEqual(new Set([i]));
      expect(parseCron(`0 0 * * ${name[0]}${name.slice(1).toLowerCase()}`).weekdays, name).toEqual(
        new Set([i]),
      );
    });
    expect(parseCron('0 0 * MAR-MAY *').months).toEqual(new Set([3, 4, 5]));
    expect(parseCron('0 0 * * SAT,SUN').weekdays).toEqual(new Set([6, 0]));
    // Names belong to their own fields only.
    expect(() => parseCron('0 0 MON * *')).toThrow(new CronError('"MON" is not a number'));
    expect(() => parseCron('0 0 * * JAN')).toThrow(new CronError('"JAN" is not a number or a name'));
  });

  it('refuses values below or above each field’s range', () => {
    expect(() => parseCron('0 0 0 * *')).toThrow(new CronError('0 is outside 1-31'));
    expect(() => parseCron('0 0 32 * *')).toThrow(new CronError('32 is outside 1-31'));
    expect(() => parseCron('0 0 * 0 *')).toThrow(new CronError('0 is outside 1-12'));
    expect(() => parseCron('0 0 * 13 *')).toThrow(new CronError('13 is outside 1-12'));
    expect(() => parseCron('0 24 * * *')).toThrow(new CronError('24 is outside 0-23'));
    expect(() => parseCron('0 0 * * 8')).toThrow(new CronError('8 is outside 0-7'));
    expect(() => parseCron('0 0 1-32 * *')).toThrow('32 is outside 1-31');
    expect(() => parseCron('0 0 0-5 * *')).toThrow('0 is outside 1-31');
    expect(parseCron('0 0 1,31 1,12 0').days).toEqual(new Set([1, 31]));
  });

  it('refuses numbers with anything else in them, and malformed lists, ranges and steps', () => {
    const refused: [string, string][] = [
      ['a5 * * * *', '"a5" is not a number'],
      ['5a * * * *', '"5a" is not a number'],
      ['1-a * * * *', '"a" is not a number'],
      ['-5 * * * *', '"" is not a number'],
      ['005 * * * *', '"005" is not a number'],
      ['1,,2 * * * *', 'empty part in "1,,2"'],
      ['1, * * * *', 'empty part in "1,"'],
      ['/5 * * * *', 'empty part in "/5"'],
      ['*/ * * * *', 'step "" should be a positive number'],
      ['*/x * * * *', 'step "x" should be a positive number'],
      ['*/1e1 * * * *', 'step "1e1" should be a positive number'],
      ['*/0x10 * * * *', 'step "0x10" should be a positive number'],
      ['*/1.5 * * * *', 'step "1.5" should be a positive number'],
      ['*/-2 * * * *', 'step "-2" should be a positive number'],
      ['*/5/3 * * * *', '"*/5/3" has more than one step'],
      ['1-2-3 * * * *', 'range 1-2-3 has more than two ends'],
      ['0 0 * * * *', 'expected 5 fields (minute hour day month weekday), got 6'],
      ['', 'expected 5 fields (minute hour day month weekday), got 1'],
    ];
    for (const [expression, reason] of refused) {
      expect(() => parseCron(expression), expression).toThrow(new CronError(reason));
    }
    expect(parseCron('  0   9 * * 1-5 ').hours).toEqual(new Set([9]));
    expect(parseCron('07 * * * *').minutes).toEqual(new Set([7]));
  });

  it('reads a day field as restricted unless it starts with *', () => {
    expect(parseCron('0 0 * * *')).toMatchObject({ daysRestricted: false, weekdaysRestricted: false });
    expect(parseCron('0 0 1 * MON')).toMatchObject({ daysRestricted: true, weekdaysRestricted: true });
    expect(parseCron('0 0 */2 * 1-5')).toMatchObject({ daysRestricted: false, weekdaysRestricted: true });
  });
});
