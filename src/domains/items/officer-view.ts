/** One item as officers see it, in lists and in the officer API: no sealed text, no anonymous author. */
import type { SubmissionRow } from '../../../db/schema/index.ts';
import { nextStatuses } from '../../../flows/lifecycles.ts';

/** What officers see of a submission: an anonymous one has no proposer to show. */
export function officerView(row: SubmissionRow, proposer: string | null, verified: boolean | null) {
  return {
    referenceCode: row.referenceCode,
    kind: row.kind,
    status: row.status,
    title: row.title,
    category: row.category,
    // A help request's sealed parts appear only in the audited read of that one case.
    details: row.kind === 'help_request' ? { urgency: row.details.urgency ?? '' } : row.details,
    anonymous: row.anonymous,
    // 未核实 (verified false): a web visitor nobody vouched for, who may not be who they say.
    proposer: row.anonymous || proposer === null ? null : { name: proposer, verified: verified === true },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    nextStatuses: [...nextStatuses(row.kind, row.status)],
    rating: row.rating,
    ratingComment: row.ratingComment,
    ratedAt: row.ratedAt?.toISOString() ?? null,
    /** Motions: the co-signing and answer deadlines and the answer's grade. */
    cosignDueAt: row.cosignDueAt?.toISOString() ?? null,
    answerDueAt: row.answerDueAt?.toISOString() ?? null,
    grade: row.grade,
  };
}
