/**
 * What a poll's close does with its opened votes: counts by group and answer, keeps only verified
 * people's comments, and writes each vote again with nothing more than the results can show, in
 * an order drawn from the random source. Pure and fast.
 */
import { describe, expect, it } from 'vitest';
import { countRows, type OpenedVote, publishableComments, rewrittenVotes } from '../../flows/polls/close.ts';

const vote = (
  token: string,
  answer: number,
  segment: number | null,
  comment: string | null = null,
): OpenedVote => ({
  token,
  answer,
  segment,
  comment,
});

/** A deterministic source in [0, 1) (mulberry32), so an order can be checked. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('counting a poll’s votes at its close', () => {
  it('counts each answer per group, the private chats as their own group', () => {
    const rows = countRows([
      vote('a', 1, 1),
      vote('b', 1, 1),
      vote('c', 2, 1),
      vote('d', 1, null),
      vote('e', 1, 2),
    ]);
    expect(rows).toEqual([
      { segment: 1, answer: 1, n: 2 },
      { segment: 1, answer: 2, n: 1 },
      { segment: null, answer: 1, n: 1 },
      { segment: 2, answer: 1, n: 1 },
    ]);
    expect(countRows([])).toEqual([]);
  });

  it('keeps the written comments of verified people only', () => {
    const votes = [
      vote('a', 1, null, '好'),
      vote('b', 1, null, null),
      vote('c', 2, null, '差'),
      vote('d', 2, null, ''),
    ];
    expect(publishableComments(votes, new Set())).toEqual(['好', '差']);
    expect(publishableComments(votes, new Set(['c']))).toEqual(['好']);
    expect(publishableComments(votes, new Set(['a', 'c']))).toEqual([]);
  });
});

describe('writing the votes again at the close', () => {
  const votes = Array.from({ length: 12 }, (_, i) => vote(`t${i}`, (i % 3) + 1, (i % 2) + 1, `意见${i}`));
  let n = 0;
  const freshToken = () => `fresh-${++n}`;

  it('keeps the answer and the closing day, a fresh token each, no comment, the group only if shown', () => {
    const kept = rewrittenVotes(votes, {
      keepGroups: true,
      day: '2026-10-13',
      random: seeded(1),
      freshToken,
    });
    expect(kept).toHaveLength(12);
    for (const row of kept) {
      expect(row.comment).toBeNull();
      expect(row.votedOn).toBe('2026-10-13');
      expect(row.token).toMatch(/^fresh-\d+$/);
    }
    expect(new Set(kept.map((r) => r.token)).size).toBe(12);
    // The same answers and groups, only shuffled.
    const pairs = (rows: { answer: number; segment: number | null }[]) =>
      rows.map((r) => `${r.segment}:${r.answer}`).sort();
    expect(pairs(kept)).toEqual(pairs(votes));
    const merged = rewrittenVotes(votes, {
      keepGroups: false,
      day: '2026-10-13',
      random: seeded(1),
      freshToken,
    });
    expect(merged.every((r) => r.segment === null)).toBe(true);
    expect(merged.map((r) => r.answer).sort()).toEqual(votes.map((v) => v.answer).sort());
  });

  it('writes them in an order drawn from the random source, not the order they came in', () => {
    const order = (seed: number) =>
      rewrittenVotes(
        votes.map((v, i) => ({ ...v, answer: i })),
        { keepGroups: false, day: '2026-10-13', random: seeded(seed), freshToken },
      ).map((r) => r.answer);
    const first = order(7);
    expect(first).not.toEqual(votes.map((_, i) => i));
    expect(order(7)).toEqual(first);
    expect(order(8)).not.toEqual(first);
  });
});
