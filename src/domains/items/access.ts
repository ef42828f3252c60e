/**
 * Whether an actor may read or act on one item (suggestion, motion or help case): the item's
 * unit is looked up here and the decision taken by the access rules. Every surface (console, API,
 * chat) asks through this, so an item of no unit is the admins' everywhere.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { type SubmissionRow, submissions } from '../../../db/schema/index.ts';
import { type Actor, decide, type ItemAction, type Refusal } from '../../../flows/access/rules.ts';

export interface ItemFound {
  id: string;
  kind: SubmissionRow['kind'];
  referenceCode: string;
  unitId: string | null;
}

export type ItemAccess =
  | { ok: true; item: ItemFound }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: Refusal; item: ItemFound };

/** The item by its reference (and kind, when the surface is for one kind), if the actor may take the action on it. */
export async function itemAccess(
  db: Db,
  actor: Actor,
  action: ItemAction,
  referenceCode: string,
  kind?: SubmissionRow['kind'],
): Promise<ItemAccess> {
  const [row] = await db
    .select({
      id: submissions.id,
      kind: submissions.kind,
      referenceCode: submissions.referenceCode,
      unitId: submissions.orgUnitId,
    })
    .from(submissions)
    .where(eq(submissions.referenceCode, referenceCode));
  if (!row || (kind && row.kind !== kind)) return { ok: false, reason: 'not_found' };
  const decision = decide(actor, action, { unitId: row.unitId });
  return decision.ok ? { ok: true, item: row } : { ok: false, reason: decision.reason, item: row };
}
