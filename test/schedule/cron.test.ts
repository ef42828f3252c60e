import { describe, expect, it } from 'vitest';
import { CronError, nextFireTime, parseCron } from '../../src/schedule/cron.ts';

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
});
