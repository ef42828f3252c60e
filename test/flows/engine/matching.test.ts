/**
 * Recognising a typed option: by its number (up to three digits, nothing else in the text), or by
 * its label in either language or an alias, ignoring case and width. Labels that start or end
 * with digits are words, not numbers.
 */
import { describe, expect, it } from 'vitest';
import { matchOption } from '../../../flows/engine/matching.ts';
import type { OptionDef } from '../../../flows/engine/types.ts';

const option = (value: string, zh: string, en = zh, aliases?: string[]): OptionDef => ({
  value,
  label: { zh, en },
  ...(aliases ? { aliases } : {}),
});

describe('matching a typed option', () => {
  const workshops = [
    option('w3', '3号车间', 'Workshop 3'),
    option('w5', '5号车间', 'Workshop 5'),
    option('bus', '班车2', 'Shuttle 2', ['通勤车']),
  ];

  it('picks by number, 1-based, and by nothing else in the text', () => {
    expect(matchOption('1', workshops)).toBe('w3');
    expect(matchOption('３', workshops)).toBe('bus');
    expect(matchOption(' 2 ', workshops)).toBe('w5');
    expect(matchOption('0', workshops)).toBeNull();
    expect(matchOption('4', workshops)).toBeNull();
    expect(matchOption('002', workshops)).toBe('w5');
  });

  it('reads labels that start or end with digits as words', () => {
    expect(matchOption('5号车间', workshops)).toBe('w5');
    expect(matchOption('班车2', workshops)).toBe('bus');
    expect(matchOption('workshop 3', workshops)).toBe('w3');
    expect(matchOption('通勤车', workshops)).toBe('bus');
    expect(matchOption('2号车间', workshops)).toBeNull();
  });

  it('counts to ten and beyond, but not past three digits', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      option(`o${i + 1}`, `选项${'一二三四五六七八九十'[i] ?? i + 1}`),
    );
    expect(matchOption('10', many)).toBe('o10');
    expect(matchOption('12', many)).toBe('o12');
    expect(matchOption('13', many)).toBeNull();
    const thousand = [option('big', '1000')];
    expect(matchOption('1000', thousand)).toBe('big');
  });
});
