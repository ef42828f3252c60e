/**
 * What a poll's close does with its votes, once their ballots are opened: counts them by group
 * and answer, keeps the comments that may be published (never an unverified person's), and writes
 * each vote again keeping only what the results can show — its answer, the closing day, a fresh
 * token, its group only where the breakdown is shown, no comment — in an order drawn at random.
 * Pure: the votes, the source of randomness and of tokens come in.
 */
import { type CountRow, shuffle } from './tally.ts';

/** A vote as the close reads it: its token and its opened ballot. */
export interface OpenedVote {
  token: string;
  answer: number;
  comment: string | null;
  segment: number | null;
}

/** How many gave each answer, per group. */
export function countRows(votes: readonly OpenedVote[]): CountRow[] {
  const counts = new Map<string, CountRow>();
  for (const vote of votes) {
    const key = `${vote.segment}:${vote.answer}`;
    const row = counts.get(key);
    if (row) row.n++;
    else counts.set(key, { segment: vote.segment, answer: vote.answer, n: 1 });
  }
  return [...counts.values()];
}

/** The comments that may count toward the comment threshold and be shown: verified people's only. */
export function publishableComments(votes: readonly OpenedVote[], unverified: ReadonlySet<string>): string[] {
  return votes.flatMap((vote) => (vote.comment && !unverified.has(vote.token) ? [vote.comment] : []));
}

/** The votes as the close writes them again, in random order. */
export function rewrittenVotes(
  votes: readonly OpenedVote[],
  opts: { keepGroups: boolean; day: string; random: () => number; freshToken: () => string },
) {
  return shuffle(votes, opts.random).map((vote) => ({
    token: opts.freshToken(),
    answer: vote.answer,
    comment: null,
    segment: opts.keepGroups ? vote.segment : null,
    votedOn: opts.day,
  }));
}
