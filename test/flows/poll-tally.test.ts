/** The pure side of polls: the tally's thresholds and breakdown rule, scores, codes typed in chat, messages. */
import { describe, expect, it } from 'vitest';
import { digestMessage } from '../../flows/commands/digest.ts';
import { answerFromText } from '../../flows/polls/kinds.ts';
import { bar, pollMessage, resultsMessage } from '../../flows/polls/messages.ts';
import {
  type CountRow,
  enpsScore,
  meanScore,
  shuffle,
  smallSegments,
  tally,
} from '../../flows/polls/tally.ts';
import { parseTextVote } from '../../flows/polls/text-vote.ts';

const single = {
  kind: 'single' as const,
  options: ['合适', '太早', '太晚'],
  threshold: 5,
  commentThreshold: 3,
};
const fixed = () => 0.5;
const rows = (...spec: [number | null, number, number][]): CountRow[] =>
  spec.map(([segment, answer, n]) => ({ segment, answer, n }));

describe('the tally', () => {
  it('shows nothing but the count at k-1, and everything at k', () => {
    const below = tally(single, rows([null, 1, 2], [null, 2, 2]), [], new Map(), fixed);
    expect(below).toEqual({ answers: 4, shown: false });
    const at = tally(single, rows([null, 1, 3], [null, 2, 2]), [], new Map(), fixed);
    expect(at).toMatchObject({ answers: 5, shown: true, counts: { '1': 3, '2': 2, '3': 0 } });
  });

  it('shows comments only from their own threshold, all of them, in an order not their own', () => {
    const written = ['一', '二', '三', '四', '五', '六'];
    const withheld = tally(single, rows([null, 1, 6]), written.slice(0, 2), new Map(), fixed);
    expect(withheld.comments).toBeNull();
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const shown = tally(single, rows([null, 1, 6]), written, new Map(), random);
    expect([...(shown.comments ?? [])].sort()).toEqual([...written].sort());
    expect(shown.comments).not.toEqual(written);
  });

  it('breaks down by group only when every part reached k, so no part follows by subtraction', () => {
    const labels = new Map([
      [1, 'oc_a'],
      [2, 'oc_b'],
    ]);
    const both = tally(single, rows([1, 1, 5], [2, 2, 6]), [], labels, fixed);
    expect(both.segments?.map((s) => [s.label, s.answers])).toEqual([
      ['oc_a', 5],
      ['oc_b', 6],
    ]);
    // Group b has 4: showing a (and the total) would give b away, so nothing is broken down.
    expect(tally(single, rows([1, 1, 5], [2, 2, 4]), [], labels, fixed).segments).toBeNull();
    // Votes from no group count as a part too.
    expect(tally(single, rows([1, 1, 5], [2, 2, 5], [null, 3, 1]), [], labels, fixed).segments).toBeNull();
    expect(smallSegments(rows([1, 1, 5], [2, 2, 2], [2, 1, 2], [null, 3, 1]), 5)).toEqual([2]);
  });

  it('scores eNPS as promoters minus detractors, and ratings by their mean', () => {
    expect(enpsScore({ '10': 2, '9': 1, '8': 3, '6': 1, '0': 3 }, 10)).toBe(-10);
    expect(meanScore({ '1': 1, '5': 3 }, 4)).toBe(4);
    const enps = tally(
      { ...single, kind: 'enps', options: [] },
      rows([null, 10, 4], [null, 5, 1]),
      [],
      new Map(),
      fixed,
    );
    expect(enps.score).toBe(60);
  });
});

/** A seeded source in [0, 1) (mulberry32), so a test over many shuffles gives the same answer every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the tally’s privacy edges', () => {
  const withComments = (comments: string[]) => tally(single, rows([null, 1, 6]), comments, new Map(), fixed);

  it('shows comments at exactly their threshold, and not one below it', () => {
    const at = withComments(['一', '二', '三']);
    expect([...(at.comments ?? [])].sort()).toEqual(['一', '三', '二']);
    expect(at.commentCount).toBe(3);
    const below = withComments(['一', '二']);
    expect(below.comments).toBeNull();
    expect(below.commentCount).toBeNull();
  });

  it('counts only comments with words in them toward the threshold, and shows them trimmed', () => {
    // One real comment and two blank ones must not release the real one.
    const blanks = withComments(['食堂太吵', '', '   ', '\n\t　']);
    expect(blanks).toMatchObject({ shown: true, comments: null, commentCount: null });
    const trimmed = withComments([' 一 ', '二\n', '\t三', ' ']);
    expect([...(trimmed.comments ?? [])].sort()).toEqual(['一', '三', '二']);
    expect(trimmed.commentCount).toBe(3);
  });

  it('gives each kind its own score through the tally: a mean for ratings, eNPS for eNPS, none for a choice', () => {
    const rating = { kind: 'rating' as const, options: [], threshold: 5, commentThreshold: 3 };
    const rated = tally(rating, rows([null, 5, 2], [null, 4, 2], [null, 1, 2]), [], new Map(), fixed);
    expect(rated).toMatchObject({
      shown: true,
      score: 3.33,
      counts: { '1': 2, '2': 0, '3': 0, '4': 2, '5': 2 },
    });
    const enps = { kind: 'enps' as const, options: [], threshold: 5, commentThreshold: 3 };
    expect(tally(enps, rows([null, 9, 3], [null, 7, 1], [null, 6, 1]), [], new Map(), fixed).score).toBe(40);
    expect(tally(single, rows([null, 1, 3], [null, 2, 2]), [], new Map(), fixed).score).toBeNull();
  });

  it('loses no vote from the counts, even one for an answer the poll does not list', () => {
    const result = tally(single, rows([null, 1, 4], [null, 7, 1]), [], new Map(), fixed);
    expect(result.counts).toEqual({ '1': 4, '2': 0, '3': 0, '7': 1 });
    expect(Object.values(result.counts ?? {}).reduce((a, b) => a + b)).toBe(result.answers);
  });

  it('scores nothing from no answers, and rounds means to two places', () => {
    expect(enpsScore({}, 0)).toBeNull();
    expect(meanScore({}, 0)).toBeNull();
    expect(meanScore({ '1': 1, '2': 2 }, 3)).toBe(1.67);
    expect(enpsScore({ '9': 1, '8': 1, '7': 1 }, 3)).toBe(33);
    expect(enpsScore({ '6': 2, '10': 1 }, 3)).toBe(-33);
  });

  it('orders the breakdown by group, votes from no group last, and names a group without a label by number', () => {
    const labels = new Map([[1, 'oc_a']]);
    const result = tally(single, rows([null, 1, 5], [3, 2, 5], [1, 3, 2], [1, 1, 3]), [], labels, fixed);
    expect(result.segments).toEqual([
      { label: 'oc_a', answers: 5, counts: { '1': 3, '2': 0, '3': 2 } },
      { label: '#3', answers: 5, counts: { '1': 0, '2': 5, '3': 0 } },
      { label: '', answers: 5, counts: { '1': 5, '2': 0, '3': 0 } },
    ]);
    // All votes from one group: a breakdown would only repeat the total.
    expect(tally(single, rows([1, 1, 5], [1, 2, 5]), [], labels, fixed).segments).toBeNull();
    expect(smallSegments(rows([1, 1, 4], [1, 2, 1], [2, 1, 4], [null, 1, 1]), 5)).toEqual([2]);
  });
});

describe('shuffling comments', () => {
  it('gives every order equally often over many seeds, so the order says nothing of when each was written', () => {
    const items = ['a', 'b', 'c', 'd'];
    const runs = 24_000;
    const seen = new Map<string, number>();
    for (let s = 1; s <= runs; s++) {
      const order = shuffle(items, seeded(s)).join('');
      seen.set(order, (seen.get(order) ?? 0) + 1);
    }
    // All 24 orders, each about 1000 times (a spread of about 31): a biased shuffle misses some
    // orders altogether (one that never leaves an item in place) or favours a few.
    expect(seen.size).toBe(24);
    for (const [order, n] of seen) {
      expect(n, order).toBeGreaterThan(850);
      expect(n, order).toBeLessThan(1150);
    }
    expect(items).toEqual(['a', 'b', 'c', 'd']);
  });

  it('puts each comment first about equally often through the tally, all of them every time', () => {
    const written = ['一', '二', '三', '四', '五'];
    const first = new Map<string, number>();
    const lengths = new Set<number>();
    for (let s = 1; s <= 5000; s++) {
      const shown = tally(single, rows([null, 1, 6]), written, new Map(), seeded(s)).comments ?? [];
      lengths.add(new Set(shown).size);
      first.set(shown[0]!, (first.get(shown[0]!) ?? 0) + 1);
    }
    expect([...lengths]).toEqual([5]);
    for (const comment of written) {
      expect(first.get(comment), comment).toBeGreaterThan(850);
      expect(first.get(comment), comment).toBeLessThan(1150);
    }
  });

  it('keeps one item and no items as they are', () => {
    expect(shuffle([], seeded(1))).toEqual([]);
    expect(shuffle(['x'], seeded(1))).toEqual(['x']);
  });
});

describe('answering by code', () => {
  it('reads the code, the answer and a comment, in either language and in full-width forms', () => {
    expect(parseTextVote('k7q3 2')).toEqual({ prefixed: false, code: 'K7Q3', answer: '2' });
    expect(parseTextVote('投票 K7Q3 太早 晚饭 5 点太早了')).toEqual({
      prefixed: true,
      code: 'K7Q3',
      answer: '太早',
      comment: '晚饭 5 点太早了',
    });
    expect(parseTextVote('vote K7Q3：3')).toEqual({ prefixed: true, code: 'K7Q3', answer: '3' });
    expect(parseTextVote('K7Q3')).toEqual({ prefixed: false, code: 'K7Q3' });
    // Typed on a Chinese keyboard: full-width letters, digits and space.
    expect(parseTextVote('Ｋ７Ｑ３　２')).toEqual({ prefixed: false, code: 'K7Q3', answer: '2' });
    // Letters that are easy to mistake are never in a code: these are ordinary words.
    expect(parseTextVote('HOLD 2')).toBeNull();
    expect(parseTextVote('我想提个建议')).toBeNull();
  });

  it('takes a number or an option’s own words, and nothing else', () => {
    expect(answerFromText(single, '2')).toBe(2);
    expect(answerFromText(single, '太晚')).toBe(3);
    expect(answerFromText(single, '4')).toBeNull();
    expect(answerFromText({ kind: 'enps', options: [] }, '0')).toBe(0);
    expect(answerFromText({ kind: 'rating', options: [] }, '0')).toBeNull();
  });
});

describe('poll messages', () => {
  const view = {
    id: 'p1',
    no: 3,
    code: 'K7Q3',
    question: '食堂晚餐时间合适吗？',
    kind: 'single' as const,
    options: single.options,
    allowComment: true,
    closesAt: '2026-05-09T10:00:00Z',
    threshold: 5,
    commentThreshold: 3,
  };

  it('posts the same poll to everyone, in both languages, with the code for private answers', () => {
    const message = pollMessage(view, 'Asia/Shanghai');
    expect(message).toEqual(pollMessage(view, 'Asia/Shanghai'));
    expect(JSON.stringify(message)).toContain('匿名投票 / Anonymous poll');
    expect(JSON.stringify(message)).toContain('K7Q3 序号');
    expect(JSON.stringify(message)).toContain('2026-05-09 18:00');
  });

  it('says only that too few answered below k, and draws bars above it', () => {
    const few = resultsMessage(view, { answers: 4, shown: false }, 'both', { forOfficers: true });
    expect(JSON.stringify(few)).toContain('作答人数不足 5 人');
    expect(JSON.stringify(few)).not.toContain('4');
    const shown = resultsMessage(
      view,
      { answers: 5, shown: true, counts: { '1': 1, '2': 4, '3': 0 }, comments: null, segments: null },
      'zh',
      { forOfficers: true },
    );
    expect(JSON.stringify(shown)).toContain(`${bar(0.8)} 4 · 80%`);
    expect(JSON.stringify(shown)).toContain('写意见的人不足 3 人');
    expect(bar(0.8)).toBe('████████░░');
  });
});

describe('the daily digest', () => {
  it('lists the polls closed since the last one, with the count only where the threshold was reached', () => {
    const message = digestMessage(
      {
        since: '2026-05-08T00:30:00.000Z',
        until: '2026-05-09T00:30:00.000Z',
        newItems: [],
        deadlines: [],
        openHelp: { underOneDay: 0, oneToThreeDays: 0, threeToSevenDays: 0, overSevenDays: 0, urgent: 0 },
        satisfaction: { rated: 0, satisfied: 0, mostly: 0, dissatisfied: 0 },
        polls: [
          { code: 'K7Q3', question: '班车', kind: 'enps', shown: true, threshold: 5, answers: 12, score: 25 },
          { code: 'M4TX', question: '食堂', kind: 'rating', shown: false, threshold: 5 },
        ],
      },
      'zh',
      'Asia/Shanghai',
    );
    const said = JSON.stringify(message);
    expect(said).toContain('K7Q3 班车：12 人作答，eNPS +25');
    expect(said).toContain('M4TX 食堂：作答不足 5 人，不公布结果');
  });
});
