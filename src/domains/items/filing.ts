/**
 * What every kind of item does once its row is written: the first event on its timeline, the
 * audit entry, and the notice to the officers of its unit. An anonymous item's author is named
 * in none of them.
 */
import type { Db } from '../../../db/handle.ts';
import { type SubmissionRow, submissionEvents } from '../../../db/schema/index.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { notifyNewItem } from '../people/officer-contacts.ts';

export async function recordFiling(
  tx: Db,
  row: SubmissionRow,
  keys: KeyRing,
  filing: {
    now: Date;
    /** Shown to officers as the item's kind or category (suggestion category, help kind, department). */
    category: string;
    urgency?: string;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  const actor = row.personId
    ? ({ actorType: 'person', actorId: row.personId } as const)
    : ({ actorType: 'author', actorId: null } as const);
  await tx.insert(submissionEvents).values({
    submissionId: row.id,
    at: filing.now,
    ...actor,
    type: 'submitted',
    toStatus: row.status,
  });
  await audit(tx, {
    at: filing.now,
    ...actor,
    action: 'submission.create',
    subjectType: 'submission',
    subjectId: row.referenceCode,
    detail: { kind: row.kind, ...filing.detail },
  });
  await notifyNewItem(
    tx,
    keys,
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
