/**
 * What a closed poll may publish beyond its thresholds: answers from people who are not verified
 * members never bring it (or a group of its breakdown) up to k, and a poll whose audience differs
 * by at least one and fewer than k people from one published lately is withheld, so subtracting
 * the two results tells nobody's answer. Pure decisions, tested at their boundaries.
 */
import { describe, expect, it } from 'vitest';
import { disclose, outside, overlappingPoll, type PublishedAudience } from '../../flows/polls/disclosure.ts';
import type { Results } from '../../flows/polls/tally.ts';

const people = (from: number, to: number) =>
  new Set(Array.from({ length: to - from + 1 }, (_, i) => `p${from + i}`));
const published = (no: number, members: Set<string>, threshold = 5): PublishedAudience => ({
  no,
  threshold,
  members,
});

const shown: Results = {
  answers: 8,
  shown: true,
  counts: { '1': 5, '2': 3 },
  score: null,
  comments: null,
  commentCount: null,
  segments: [
    { label: 'oc_a', answers: 5, counts: { '1': 3, '2': 2 } },
    { label: 'oc_b', answers: 3, counts: { '1': 2, '2': 1 } },
  ],
};

describe('the audiences of two polls', () => {
  it('counts the members of one that are not in the other', () => {
    expect(outside(people(1, 10), people(1, 8))).toBe(2);
    expect(outside(people(1, 8), people(1, 10))).toBe(0);
    expect(outside(people(1, 5), people(6, 9))).toBe(5);
    expect(outside(new Set(), people(1, 3))).toBe(0);
  });

  it('finds a published poll whose audience differs by one to k−1 people, either way', () => {
    const parent = people(1, 12);
    // A child unit without two people: the parent minus the child would be those two.
    expect(overlappingPoll(people(1, 10), 5, [published(3, parent)])).toBe(3);
    // The parent after the child: the same subtraction the other way round.
    expect(overlappingPoll(parent, 5, [published(4, people(1, 10))])).toBe(4);
    // Exactly k−1 apart is too few, exactly k is enough.
    expect(overlappingPoll(people(1, 16), 5, [published(5, people(1, 12))])).toBe(5);
    expect(overlappingPoll(people(1, 17), 5, [published(5, people(1, 12))])).toBeNull();
    // The same audience (a weekly poll to one unit) differs by nobody: no one's answer comes out.
    expect(overlappingPoll(parent, 5, [published(6, people(1, 12))])).toBeNull();
    // Overlapping, each side with at least k others: a subtraction mixes k or more answers.
    expect(overlappingPoll(people(1, 12), 5, [published(7, people(6, 17))])).toBeNull();
    // One side few, the other many: still refused (the few are singled out).
    expect(overlappingPoll(people(1, 12), 5, [published(8, people(3, 30))])).toBe(8);
  });

  it('takes the larger threshold of the two, and the first poll that overlaps', () => {
    expect(overlappingPoll(people(1, 16), 3, [published(9, people(1, 12), 5)])).toBe(9);
    expect(overlappingPoll(people(1, 16), 5, [published(9, people(1, 12), 3)])).toBe(9);
    expect(overlappingPoll(people(1, 15), 3, [published(9, people(1, 12), 3)])).toBeNull();
    expect(
      overlappingPoll(people(1, 12), 5, [
        published(1, people(40, 60)),
        published(2, people(1, 11)),
        published(3, people(1, 10)),
      ]),
    ).toBe(2);
    expect(overlappingPoll(people(1, 12), 5, [])).toBeNull();
  });
});

describe('what a closed poll publishes', () => {
  it('passes results through when every answer is a verified member’s and nothing overlaps', () => {
    expect(disclose(shown, { threshold: 5, unverified: 0, overlapsPoll: null })).toEqual(shown);
  });

  it('counts only verified members toward k: at k it shows, one below it shows nothing', () => {
    expect(disclose(shown, { threshold: 5, unverified: 3, overlapsPoll: null }).shown).toBe(true);
    expect(disclose(shown, { threshold: 5, unverified: 4, overlapsPoll: null })).toEqual({
      answers: 8,
      shown: false,
    });
    expect(disclose(shown, { threshold: 8, unverified: 1, overlapsPoll: null })).toEqual({
      answers: 8,
      shown: false,
    });
  });

  it('gives no breakdown by group once anyone unverified answered', () => {
    expect(disclose(shown, { threshold: 5, unverified: 1, overlapsPoll: null })).toEqual({
      ...shown,
      segments: null,
    });
    const plain = { ...shown, segments: null };
    expect(disclose(plain, { threshold: 5, unverified: 1, overlapsPoll: null })).toEqual(plain);
  });

  it('withholds results that overlap a published poll, saying which, and not how many answered beyond the count kept', () => {
    expect(disclose(shown, { threshold: 5, unverified: 0, overlapsPoll: 12 })).toEqual({
      answers: 8,
      shown: false,
      withheld: 'overlap',
      overlapsPoll: 12,
    });
  });

  it('leaves results already below the threshold as they are', () => {
    const few: Results = { answers: 2, shown: false };
    expect(disclose(few, { threshold: 5, unverified: 2, overlapsPoll: 3 })).toEqual(few);
  });
});
