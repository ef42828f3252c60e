import { describe, expect, it } from 'vitest';
import { CronError, nextFireTime, parseCron } from '../../src/kernel/cron.ts';

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

  it('matches either day field also when one of them steps', () => {
    // Odd days or Mondays: 2026-11-25 is odd.
    expect(next('0 9 */2 * 1', '2026-11-24T00:00:00Z')).toBe('2026-11-25T01:00:00.000Z');
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
  });

  it('keeps the pace of a job every few minutes through the repeated hour', () => {
    // Berlin, 02:50 CEST (00:50Z), then the clocks go back: 02:00 CET is 01:00Z.
    expect(next('*/10 * * * *', '2026-10-25T00:50:00Z', 'Europe/Berlin')).toBe('2026-10-25T01:00:00.000Z');
  });

  it('fires a fixed time that a spring-forward removes at the first minute after the gap, that day', () => {
    // Berlin's gap, 2026-03-29 02:00–03:00: 02:30 fires at 03:00 CEST (01:00Z).
    expect(next('30 2 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    // New York's, 2026-03-08: 02:30 fires at 03:00 EDT (07:00Z), and 02:30 EDT the day after.
    expect(next('30 2 * * *', '2026-03-08T05:00:00Z', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(next('30 2 * * *', '2026-03-08T07:00:00Z', 'America/New_York')).toBe('2026-03-09T06:30:00.000Z');
  });

  it('finds rare dates, and none for a date that never comes', () => {
    expect(next('0 0 29 2 *', '2026-11-23T00:00:00Z', 'UTC')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 0 31 2 *', '2026-11-23T00:00:00Z', 'UTC')).toBeNull();
  });

  it('refuses malformed expressions with the reason', () => {
    expect(() => parseCron('* * * *')).toThrow(
      new CronError('expected 5 fields (minute hour day month weekday), got 4'),
    );
    expect(() => parseCron('0 0 * * * *')).toThrow('got 6');
    expect(() => parseCron('')).toThrow('got 0');
    expect(() => parseCron('60 * * * *')).toThrow('minute: 60');
    expect(() => parseCron('* * * * FUNDAY')).toThrow('FUNDAY');
    expect(() => parseCron('*/0 * * * *')).toThrow('stepping');
    expect(() => parseCron('5-1 * * * *')).toThrow('larger');
  });

  it('reads lists in any order: the earliest time comes first', () => {
    // 10:00 Shanghai is 02:00 UTC.
    expect(next('45,15 * * * *', '2026-11-23T02:00:00Z')).toBe('2026-11-23T02:15:00.000Z');
    expect(next('45,15 * * * *', '2026-11-23T02:15:00Z')).toBe('2026-11-23T02:45:00.000Z');
    expect(next('0 17,9 * * *', '2026-11-23T00:00:00Z')).toBe('2026-11-23T01:00:00.000Z');
    expect(next('50,5,30 17,9,12 * * *', '2026-11-23T04:31:00Z')).toBe('2026-11-23T04:50:00.000Z');
  });

  it('reads N/step as from N to the end of the field, every step, as classic cron does', () => {
    expect(next('5/10 * * * *', '2026-11-23T02:06:00Z')).toBe('2026-11-23T02:15:00.000Z');
    expect(next('5/10 * * * *', '2026-11-23T02:55:00Z')).toBe('2026-11-23T03:05:00.000Z');
    // 22:00 Shanghai, then 20:00 the next day.
    expect(next('0 20/2 * * *', '2026-11-23T12:00:00Z')).toBe('2026-11-23T14:00:00.000Z');
    expect(next('0 20/2 * * *', '2026-11-23T14:00:00Z')).toBe('2026-11-24T12:00:00.000Z');
    expect(next('0 0 25/3 * *', '2026-11-25T00:00:00Z', 'UTC')).toBe('2026-11-28T00:00:00.000Z');
    expect(next('0 0 1 10/1 *', '2026-11-23T00:00:00Z', 'UTC')).toBe('2026-12-01T00:00:00.000Z');
    expect(next('0 0 1 10/1 *', '2026-12-01T00:00:00Z', 'UTC')).toBe('2027-10-01T00:00:00.000Z');
    // Friday, Saturday and Sunday (7): 2026-11-28 is a Saturday.
    expect(next('0 0 * * 5/1', '2026-11-28T00:00:00Z', 'UTC')).toBe('2026-11-29T00:00:00.000Z');
    expect(next('0 0 * * 5/1', '2026-11-29T00:00:00Z', 'UTC')).toBe('2026-12-04T00:00:00.000Z');
    expect(next('1,5/20 * * * *', '2026-11-23T02:06:00Z')).toBe('2026-11-23T02:25:00.000Z');
  });

  it('reads every month name and every day name, in any case', () => {
    const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
    months.forEach((name, i) => {
      const first = `2027-${String(i + 1).padStart(2, '0')}-01T00:00:00.000Z`;
      expect(next(`0 0 1 ${name} *`, '2026-12-31T12:00:00Z', 'UTC'), name).toBe(first);
      expect(next(`0 0 1 ${name.toLowerCase()} *`, '2026-12-31T12:00:00Z', 'UTC'), name).toBe(first);
    });
    // 2026-11-22 is a Sunday.
    const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
    days.forEach((name, i) => {
      const day = `2026-11-${22 + i}T00:00:00.000Z`;
      expect(next(`0 0 * * ${name}`, '2026-11-21T12:00:00Z', 'UTC'), name).toBe(day);
      expect(
        next(`0 0 * * ${name[0]}${name.slice(1).toLowerCase()}`, '2026-11-21T12:00:00Z', 'UTC'),
        name,
      ).toBe(day);
    });
    expect(next('0 0 1 MAR-MAY *', '2027-03-01T00:00:00Z', 'UTC')).toBe('2027-04-01T00:00:00.000Z');
    // Names belong to their own fields only.
    expect(() => parseCron('0 0 MON * *')).toThrow(CronError);
    expect(() => parseCron('0 0 * * JAN')).toThrow(CronError);
  });

  it('refuses values below or above each field’s range', () => {
    for (const expression of [
      '0 0 0 * *',
      '0 0 32 * *',
      '0 0 * 0 *',
      '0 0 * 13 *',
      '0 24 * * *',
      '0 0 * * 8',
      '0 0 1-32 * *',
    ]) {
      expect(() => parseCron(expression), expression).toThrow(CronError);
    }
    // The 31st of December or any Sunday (7): Sunday 2026-12-06 comes first.
    expect(next('59 23 31 12 7', '2026-11-23T00:00:00Z', 'UTC')).toBe('2026-12-06T23:59:00.000Z');
  });

  it('refuses malformed numbers, lists, ranges and steps', () => {
    const refused = [
      'a5 * * * *',
      '5a * * * *',
      '1-a * * * *',
      '-5 * * * *',
      '1,,2 * * * *',
      '1, * * * *',
      '/5 * * * *',
      '*/ * * * *',
      '*/x * * * *',
      '*/1e1 * * * *',
      '*/0x10 * * * *',
      '*/1.5 * * * *',
      '*/-2 * * * *',
      '*/5/3 * * * *',
      '1-2-3 * * * *',
    ];
    for (const expression of refused) expect(() => parseCron(expression), expression).toThrow(CronError);
    expect(next('  0   9 * * 1-5 ', '2026-11-23T00:00:00Z')).toBe('2026-11-23T01:00:00.000Z');
    expect(next('07 * * * *', '2026-11-23T00:00:00Z')).toBe('2026-11-23T00:07:00.000Z');
  });
});
