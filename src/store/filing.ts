/**
 * What every kind of item does once its row is written: the first event on its timeline, the
 * audit entry, and the notice to the officers of its unit.
 */
import type { Db } from '../../db/handle.ts';
import { type SubmissionRow, submissionEvents } from '../../db/schema/index.ts';
import { audit } from './audit.ts';
import { notifyNewItem } from './officer-contacts.ts';

export async function recordFiling(
  tx: Db,
  row: SubmissionRow,
  filing: {
    now: Date;
    /** Shown to officers as the item's kind or category (suggestion category, help kind, department). */
    category: string;
    urgency?: string;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await tx.insert(submissionEvents).values({
    submissionId: row.id,
    at: filing.now,
    actorType: 'person',
    actorId: row.personId,
    type: 'submitted',
    toStatus: row.status,
  });
  await audit(tx, {
    at: filing.now,
    actorType: 'person',
    actorId: row.personId,
    action: 'submission.create',
    subjectType: 'submission',
    subjectId: row.referenceCode,
    detail: { kind: row.kind, ...filing.detail },
  });
  await notifyNewItem(
    tx,
    {
      kind: row.kind,
      referenceCode: row.referenceCode,
      title: row.title,
      category: filing.category,
      ...(filing.urgency ? { urgency: filing.urgency } : {}),
    },
    row.orgUnitId,
    row.personId,
  );
}
