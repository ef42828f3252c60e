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
