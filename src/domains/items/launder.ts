/**
 * Anonymous items written in their author's own transaction (filing, rating) share that
 * transaction's id (`xmin`) with what it wrote about the author: their conversation, the inbox
 * row. Each such item's rows are written again here, in a transaction that touches nothing else,
 * so no row of the item shares a transaction id with anything that names its author. Run right
 * after the author's transaction commits, and by the sweep for any left by a crash.
 *
 * Items an earlier release stored with their author in clear are sealed here too, once.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import {
  attachments,
  auditLog,
  referenceCounters,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { authorColumns, authorOf, authorTime } from './authors.ts';

/** Rewrites the rows of up to `batch` items waiting for it; resolves to how many. */
export async function launderAnonymousItems(db: Db, batch = 50): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: submissions.id, referenceCode: submissions.referenceCode })
      .from(submissions)
      .where(eq(submissions.launderDue, true))
      .limit(batch)
      .for('update', { skipLocked: true });
    if (due.length === 0) return 0;
    const ids = due.map((d) => d.id);
    const codes = due.map((d) => d.referenceCode);
    await tx.update(submissions).set({ launderDue: false }).where(inArray(submissions.id, ids));
    await tx
      .update(submissionEvents)
      .set({ note: sql`${submissionEvents.note}` })
      .where(inArray(submissionEvents.submissionId, ids));
    // Files the author's transaction put on the item.
    await tx
      .update(attachments)
      .set({ submissionId: sql`${attachments.submissionId}` })
      .where(inArray(attachments.submissionId, ids));
    await tx
      .update(auditLog)
      .set({ detail: sql`${auditLog.detail}` })
      .where(and(eq(auditLog.subjectType, 'submission'), inArray(auditLog.subjectId, codes)));
    // The sequence behind the codes was last moved by the author's transaction, perhaps.
    for (const code of new Set(codes.map((c) => c.split('-').slice(0, 2).join('-')))) {
      const [prefix, year] = code.split('-');
      await tx
        .update(referenceCounters)
        .set({ last: sql`${referenceCounters.last}` })
        .where(and(eq(referenceCounters.prefix, prefix!), eq(referenceCounters.year, Number(year))));
    }
    return due.length;
  });
}

/**
 * Seals the author of anonymous items filed before authors were sealed, and takes their name off
 * those items' timelines and audit rows (their times kept to the minute). Resolves to how many it sealed.
 */
export async function sealLegacyAuthors(db: Db, keys: KeyRing, batch = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(submissions)
      .where(and(eq(submissions.anonymous, true), isNull(submissions.authorSeal)))
      .limit(batch)
      .for('update', { skipLocked: true });
    let sealed = 0;
    for (const row of rows) {
      const author = await authorOf(keys, row);
      if (!author) continue;
      sealed++;
      await tx
        .update(submissions)
        .set({
          ...(await authorColumns(keys, author, true)),
          launderDue: true,
          createdAt: authorTime(row.createdAt, true),
        })
        .where(eq(submissions.id, row.id));
      await tx
        .update(submissionEvents)
        .set({ actorType: 'author', actorId: null, at: sql`date_trunc('minute', ${submissionEvents.at})` })
        .where(and(eq(submissionEvents.submissionId, row.id), eq(submissionEvents.actorType, 'person')));
      await tx
        .update(auditLog)
        .set({ actorType: 'author', actorId: null, at: sql`date_trunc('minute', ${auditLog.at})` })
        .where(
          and(
            eq(auditLog.subjectType, 'submission'),
            eq(auditLog.subjectId, row.referenceCode),
            eq(auditLog.actorType, 'person'),
          ),
        );
    }
    return sealed;
  });
}

/** Seals every anonymous item an earlier release stored with its author in clear (at start-up and in the sweep). */
export async function sealAllLegacyAuthors(db: Db, keys: KeyRing): Promise<void> {
  // Bounded: a row whose author cannot be read is passed over, not tried forever.
  for (let round = 0; round < 1000; round++) {
    if ((await sealLegacyAuthors(db, keys)) === 0) return;
  }
}
