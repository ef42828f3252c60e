/**
 * What a closed poll may publish beyond the tally's own thresholds. Two rules keep one person's
 * answer from being worked out:
 * - answers from people who are not verified members (a web chat visitor is a cookie anyone can
 *   make) never bring a poll up to its threshold, nor a group of its breakdown;
 * - no differencing across polls: a poll whose audience differs from one published in the last
 *   days by at least one and fewer than k people, either way, is not published, since
 *   subtracting the two results would tell what those few answered.
 * Pure: the facts come in, the decision goes out.
 */
import type { Results } from './tally.ts';

/** A recently published poll, by its number, threshold and audience. */
export interface PublishedAudience {
  no: number;
  threshold: number;
  members: ReadonlySet<string>;
}

/** Results as published: `withheld` says why results that reached the threshold are not shown. */
export type Disclosed = Results & { withheld?: 'overlap'; overlapsPoll?: number };

/** How many members of `a` are not in `b`. */
export function outside(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let n = 0;
  for (const member of a) if (!b.has(member)) n++;
  return n;
}

/**
 * The first published poll whose audience differs from this one by at least one and fewer than k
 * people (in either direction; k the larger of the two thresholds), or null when there is none.
 */
export function overlappingPoll(
  members: ReadonlySet<string>,
  threshold: number,
  published: readonly PublishedAudience[],
): number | null {
  for (const other of published) {
    const k = Math.max(threshold, other.threshold);
    const onlyHere = outside(members, other.members);
    const onlyThere = outside(other.members, members);
    if ((onlyHere > 0 && onlyHere < k) || (onlyThere > 0 && onlyThere < k)) return other.no;
  }
  return null;
}

/**
 * The tally as it may be published. `unverified` answers came from people who are not verified
 * members: the answers that count toward the threshold are the others. With any of them, no
 * breakdown by group is given (one of them could have brought a group up to k).
 */
export function disclose(
  results: Results,
  gate: { threshold: number; unverified: number; overlapsPoll: number | null },
): Disclosed {
  // Results below the threshold come here as `{ answers, shown: false }` and leave the same way.
  if (results.answers - gate.unverified < gate.threshold) return { answers: results.answers, shown: false };
  if (gate.overlapsPoll !== null)
    return { answers: results.answers, shown: false, withheld: 'overlap', overlapsPoll: gate.overlapsPoll };
  if (gate.unverified > 0 && results.segments) return { ...results, segments: null };
  return results;
}
