/**
 * A closed poll's results from its votes: counts, percentages, the mean or eNPS score, comments
 * and a breakdown by group — each shown only where the thresholds allow. Pure: the votes and a
 * source of randomness (for the comments' order) come in.
 */
import { answerValues, type PollShape } from './kinds.ts';

export interface TallyInput extends PollShape {
  threshold: number;
  commentThreshold: number;
}

/** How many gave one answer from one posted group (null: a private chat, or a group merged away). */
export interface CountRow {
  segment: number | null;
  answer: number;
  n: number;
}

export interface Segment {
  label: string;
  answers: number;
  counts: Record<string, number>;
}

export interface Results {
  answers: number;
  shown: boolean;
  counts?: Record<string, number>;
  score?: number | null;
  comments?: string[] | null;
  commentCount?: number | null;
  segments?: Segment[] | null;
}

/** eNPS: the share answering 9–10 minus the share answering 0–6, in whole percent. */
export function enpsScore(counts: Record<string, number>, total: number): number | null {
  if (total === 0) return null;
  let promoters = 0;
  let detractors = 0;
  for (const [answer, n] of Object.entries(counts)) {
    if (Number(answer) >= 9) promoters += n;
    else if (Number(answer) <= 6) detractors += n;
  }
  return Math.round(((promoters - detractors) / total) * 100);
}

export function meanScore(counts: Record<string, number>, total: number): number | null {
  if (total === 0) return null;
  let sum = 0;
  for (const [answer, n] of Object.entries(counts)) sum += Number(answer) * n;
  return Math.round((sum / total) * 100) / 100;
}

function countsOf(poll: PollShape, rows: readonly CountRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of answerValues(poll)) counts[String(value)] = 0;
  for (const row of rows) counts[String(row.answer)] = (counts[String(row.answer)] ?? 0) + row.n;
  return counts;
}

const sum = (rows: readonly CountRow[]) => rows.reduce((total, row) => total + row.n, 0);

/** Fisher–Yates with the given source of randomness in [0, 1). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Groups smaller than the threshold, which are merged away at close (their votes lose their
 * group), so no stored group is small enough to point at people.
 */
export function smallSegments(rows: readonly CountRow[], threshold: number): number[] {
  const sizes = new Map<number, number>();
  for (const row of rows)
    if (row.segment !== null) sizes.set(row.segment, (sizes.get(row.segment) ?? 0) + row.n);
  return [...sizes].filter(([, n]) => n < threshold).map(([segment]) => segment);
}

/**
 * The results. Below the threshold only the fact that too few answered. The breakdown is given
 * only when every part of it (each group, and the votes that came from no group) reached the
 * threshold, so no part can be had by subtracting the others from the total.
 */
export function tally(
  poll: TallyInput,
  rows: readonly CountRow[],
  comments: readonly string[],
  segmentLabels: ReadonlyMap<number, string>,
  random: () => number,
): Results {
  const answers = sum(rows);
  if (answers < poll.threshold) return { answers, shown: false };
  const counts = countsOf(poll, rows);
  const score =
    poll.kind === 'enps'
      ? enpsScore(counts, answers)
      : poll.kind === 'rating'
        ? meanScore(counts, answers)
        : null;
  const written = comments.map((c) => c.trim()).filter((c) => c.length > 0);
  const shownComments = written.length >= poll.commentThreshold ? shuffle(written, random) : null;

  const bySegment = new Map<number | null, CountRow[]>();
  for (const row of rows) {
    const part = bySegment.get(row.segment);
    if (part) part.push(row);
    else bySegment.set(row.segment, [row]);
  }
  const parts = [...bySegment.entries()];
  const breakdown =
    parts.length >= 2 && parts.every(([, part]) => sum(part) >= poll.threshold)
      ? parts
          .sort(([a], [b]) => (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER))
          .map(([segment, part]) => ({
            label: segment === null ? '' : (segmentLabels.get(segment) ?? `#${segment}`),
            answers: sum(part),
            counts: countsOf(poll, part),
          }))
      : null;
  return {
    answers,
    shown: true,
    counts,
    score,
    comments: shownComments,
    commentCount: shownComments ? written.length : null,
    segments: breakdown,
  };
}
