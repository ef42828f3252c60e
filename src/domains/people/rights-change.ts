/**
 * What follows a change of someone's place in the directory, inside the transaction of the
 * change itself (src/domains/people/directory.ts assignPerson, whichever path it came by: the console, the
 * officer API or the chat's 单位/角色):
 * - A change of role, unit or handled units ends their console sessions and unused sign-in links,
 *   so an old cookie never carries rights from before, even if the same rights come back.
 * - The person is told what changed and what they can now do (tellRightsChanged).
 * - A change of unit moves their items that no officer has taken up yet (still in the first
 *   status of their lifecycle) to the new unit; items already in hand stay. Each move is on the
 *   item's timeline and in the audit log, and the new unit's officers are told. Anonymous
 *   suggestions never move: moving them as an admin moves a person would tell the admin whose
 *   they are.
 */
import { and, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import {
  consoleLinks,
  consoleSessions,
  orgUnits,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import { newItemNotice } from '../../../flows/commands/officer.ts';
import { type RightsChange, rightsChangedNotice } from '../../../flows/commands/rights-notice.ts';
import type { Role } from '../../../flows/engine/roles.ts';
import { itemKinds, lifecycles } from '../../../flows/lifecycles.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';
import { itemReaders, privateChatOf, tellContacts } from './officer-contacts.ts';

/** Ends every console session of the person and their unused sign-in links; how many sessions ended. */
export async function endConsoleAccess(tx: Db, personId: string): Promise<number> {
  const ended = await tx
    .delete(consoleSessions)
    .where(eq(consoleSessions.personId, personId))
    .returning({ tokenHash: consoleSessions.tokenHash });
  await tx.delete(consoleLinks).where(and(eq(consoleLinks.personId, personId), isNull(consoleLinks.usedAt)));
  return ended.length;
}

/** An item nobody has taken up: still in the first status of its kind's lifecycle. */
const untaken = () =>
  or(
    ...itemKinds.map((kind) =>
      and(eq(submissions.kind, kind), eq(submissions.status, lifecycles[kind].statuses[0]!)),
    ),
  )!;

export interface UnitMove {
  personId: string;
  /** Their new unit (null: none, so their untaken items become the admins'). */
  to: string | null;
  actor: Pick<AuditEntry, 'actorType' | 'actorId'>;
  now: Date;
  keyRing: KeyRing;
}

/** Moves the person's untaken, signed items to their new unit; the references of those moved. */
export async function moveUntakenItems(tx: Db, move: UnitMove): Promise<string[]> {
  // Only the author's own signed items, matched by author id: an anonymous row is never read here.
  const moving = await tx
    .select({ id: submissions.id, from: submissions.orgUnitId })
    .from(submissions)
    .where(
      and(
        eq(submissions.personId, move.personId),
        eq(submissions.anonymous, false),
        untaken(),
        move.to === null
          ? isNotNull(submissions.orgUnitId)
          : sql`${submissions.orgUnitId} is distinct from ${move.to}`,
      ),
    )
    .for('update');
  if (moving.length === 0) return [];
  const fromOf = new Map(moving.map((m) => [m.id, m.from]));
  const moved = await tx
    .update(submissions)
    .set({ orgUnitId: move.to, updatedAt: move.now })
    .where(
      inArray(
        submissions.id,
        moving.map((m) => m.id),
      ),
    )
    .returning();
  for (const row of moved) {
    await tx.insert(submissionEvents).values({
      submissionId: row.id,
      at: move.now,
      actorType: move.actor.actorType,
      actorId: move.actor.actorId,
      type: 'unit_moved',
    });
    await audit(tx, {
      at: move.now,
      ...move.actor,
      action: 'submission.unit_moved',
      subjectType: 'submission',
      subjectId: row.referenceCode,
      detail: { from: fromOf.get(row.id) ?? null, to: move.to, reason: 'author_unit_changed' },
    });
    const readers = (await itemReaders(tx, move.to)).filter((c) => c.personId !== move.personId);
    const item = {
      kind: row.kind,
      referenceCode: row.referenceCode,
      title: row.title,
      category: row.category,
      ...(row.details.urgency ? { urgency: row.details.urgency } : {}),
    };
    await tellContacts(tx, move.keyRing, readers, (language) => newItemNotice(item, language));
  }
  return moved.map((row) => row.referenceCode);
}

/**
 * Tells the person what changed and what they can now do, in their latest private chat (someone
 * the bot has never talked to in private is told nothing: a roster entry not bound yet).
 */
export async function tellRightsChanged(
  tx: Db,
  keys: KeyRing,
  personId: string,
  change: { role?: { from: Role; to: Role }; unitId?: string | null; handles?: readonly string[] },
): Promise<void> {
  const contact = await privateChatOf(tx, personId);
  if (!contact) return;
  const names = async (ids: readonly string[]) =>
    ids.length === 0
      ? []
      : (
          await tx
            .select()
            .from(orgUnits)
            .where(inArray(orgUnits.id, [...ids]))
        ).map((u) => ({ zh: u.nameZh, en: u.nameEn }));
  const notice: RightsChange = {
    ...(change.role ? { role: change.role } : {}),
    ...(change.unitId !== undefined
      ? { unit: change.unitId ? ((await names([change.unitId]))[0] ?? null) : null }
      : {}),
    ...(change.handles ? { handles: await names(change.handles) } : {}),
  };
  await tellContacts(tx, keys, [contact], (language) => rightsChangedNotice(notice, language));
}

/**
 * Everything that follows a change of role, unit or handled units (nothing when none changed):
 * the console sessions end, the person is told, and a new unit takes their untaken items.
 */
export async function followRightsChange(
  tx: Db,
  change: {
    personId: string;
    role?: { from: Role; to: Role };
    unitId?: string | null;
    handles?: readonly string[];
    actor: Pick<AuditEntry, 'actorType' | 'actorId'>;
    now: Date;
    keyRing: KeyRing;
  },
): Promise<{ sessionsEnded: number; moved: unknown[] }> {
  if (!change.role && change.unitId === undefined && !change.handles) return { sessionsEnded: 0, moved: [] };
  const sessionsEnded = await endConsoleAccess(tx, change.personId);
  await tellRightsChanged(tx, change.keyRing, change.personId, change);
  const moved =
    change.unitId !== undefined
      ? await moveUntakenItems(tx, {
          personId: change.personId,
          to: change.unitId,
          actor: change.actor,
          now: change.now,
          keyRing: change.keyRing,
        })
      : [];
  return { sessionsEnded, moved };
}
