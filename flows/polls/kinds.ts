/**
 * The kinds of poll and what counts as an answer to each: single choice (option 1..n, 2–10
 * options), rating 1–5, and eNPS 0–10 (score = % answering 9–10 minus % answering 0–6).
 */
import type { L10n } from '../../kernel/l10n.ts';

export const pollKinds = ['single', 'rating', 'enps'] as const;
export type PollKind = (typeof pollKinds)[number];

export const minOptions = 2;
export const maxOptions = 10;
/** Neither threshold may be set lower: below three, a result points at people. */
export const minThreshold = 3;
export const defaultThreshold = 5;
export const defaultCommentThreshold = 10;
export const maxCommentLength = 500;

export const kindLabels: Record<PollKind, L10n> = {
  single: { zh: '单选', en: 'Single choice' },
  rating: { zh: '评分 1–5', en: 'Rating 1–5' },
  enps: { zh: '推荐度 0–10（eNPS）', en: 'eNPS 0–10' },
};

export interface PollShape {
  kind: PollKind;
  options: readonly string[];
}

/** The answers a poll accepts, in the order they are shown. */
export function answerValues(poll: PollShape): number[] {
  switch (poll.kind) {
    case 'single':
      return poll.options.map((_, i) => i + 1);
    case 'rating':
      return [1, 2, 3, 4, 5];
    case 'enps':
      return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  }
}

export function isAnswer(poll: PollShape, answer: unknown): answer is number {
  return typeof answer === 'number' && Number.isInteger(answer) && answerValues(poll).includes(answer);
}

/** How an answer is labelled on a button or in results. */
export function answerLabel(poll: PollShape, answer: number): string {
  return poll.kind === 'single' ? (poll.options[answer - 1] ?? String(answer)) : String(answer);
}

/** What the ends of a scale mean, shown under the question. */
export const scaleNotes: Record<Exclude<PollKind, 'single'>, L10n> = {
  rating: { zh: '1 = 很不满意，5 = 很满意', en: '1 = very dissatisfied, 5 = very satisfied' },
  enps: { zh: '0 = 绝不推荐，10 = 非常愿意推荐', en: '0 = not at all likely, 10 = extremely likely' },
};

/**
 * The answer a typed word stands for: its number, or (single choice) the option's own words.
 * Null when it is none of the poll's answers.
 */
export function answerFromText(poll: PollShape, said: string): number | null {
  const word = said.trim();
  if (/^\d{1,2}$/.test(word)) {
    const n = Number(word);
    return isAnswer(poll, n) ? n : null;
  }
  if (poll.kind !== 'single') return null;
  const index = poll.options.findIndex((o) => o.trim().toLowerCase() === word.toLowerCase());
  return index >= 0 ? index + 1 : null;
}
