/**
 * The directory: org units (a tree), people's roles and units, and which units each officer
 * handles. Items are routed to the unit of the person who raised them.
 */
import { and, asc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/handle.ts';
import {
  channelIdentities,
  officerUnits,
  orgUnits,
  type PersonRow,
  people,
} from '../../../db/schema/index.ts';
import { allows } from '../../../flows/access/rules.ts';
import type { PersonProfile } from '../../../flows/commands/people-effects.ts';
import type { Role } from '../../../flows/engine/roles.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';
import { containsPattern } from '../items/like.ts';
import { followRightsChange } from './rights-change.ts';

const sameSet = (a: readonly string[], b: readonly string[]) =>
  new Set(a).size === new Set(b).size && a.every((id) => b.includes(id));

export interface OrgUnit {
  id: string;
  parentId: string | null;
  nameZh: string;
  nameEn: string;
  /** Names from the root down to this unit, joined with " / ". */
  pathZh: string;
  pathEn: string;
}

/** Every unit with its path, roots first, each subtree in name order. */
export async function listUnits(db: Db): Promise<OrgUnit[]> {
  const rows = await db.select().from(orgUnits).orderBy(asc(orgUnits.nameZh));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const path = (id: string, lang: 'nameZh' | 'nameEn'): string[] => {
    const seen = new Set<string>();
    const names: string[] = [];
    for (
      let at = byId.get(id);
      at && !seen.has(at.id);
      at = at.parentId ? byId.get(at.parentId) : undefined
    ) {
      seen.add(at.id);
      names.unshift(at[lang]);
    }
    return names;
  };
  return rows
    .map((r) => ({
      id: r.id,
      parentId: r.parentId,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      pathZh: path(r.id, 'nameZh').join(' / '),
      pathEn: path(r.id, 'nameEn').join(' / '),
    }))
    .sort((a, b) => a.pathZh.localeCompare(b.pathZh, 'zh'));
}

/** The units `roots` selects (a query of unit ids) and every unit below them. */
export async function unitsBelow(db: Db, roots: SQL): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with recursive tree(id) as (
          ${roots}
          union
          select u.id from org_units u join tree on u.parent_id = tree.id)
        select id from tree`,
  );
  return rows.map((r) => r.id);
}

/** The unit and every unit below it. */
export const unitAndDescendants = (db: Db, unitId: string): Promise<string[]> =>
  unitsBelow(db, sql`select id from org_units where id = ${unitId}`);

export async function createUnit(
  db: Db,
  unit: { nameZh: string; nameEn: string; parentId: string | null },
  actor: Pick<AuditEntry, 'actorType' | 'actorId'>,
  now: Date,
): Promise<{ ok: true; id: string } | { ok: false; reason: 'no_parent' }> {
  return db.transaction(async (tx) => {
    if (unit.parentId) {
      const [parent] = await tx
        .select({ id: orgUnits.id })
        .from(orgUnits)
        .where(eq(orgUnits.id, unit.parentId));
      if (!parent) return { ok: false, reason: 'no_parent' } as const;
    }
    const [row] = await tx
      .insert(orgUnits)
      .values({ ...unit, createdAt: now })
      .returning({ id: orgUnits.id });
    await audit(tx, {
      at: now,
      ...actor,
      action: 'org_unit.create',
      subjectType: 'org_unit',
      subjectId: row!.id,
      detail: { nameZh: unit.nameZh, parentId: unit.parentId },
    });
    return { ok: true, id: row!.id } as const;
  });
}

export async function renameUnit(
  db: Db,
  id: string,
  names: { nameZh?: string; nameEn?: string },
  actor: Pick<AuditEntry, 'actorType' | 'actorId'>,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(orgUnits)
      .set(names)
      .where(eq(orgUnits.id, id))
      .returning({ id: orgUnits.id });
    if (updated.length === 0) return false;
    await audit(tx, {
      at: now,
      ...actor,
      action: 'org_unit.rename',
      subjectType: 'org_unit',
      subjectId: id,
      detail: names,
    });
    return true;
  });
}

/**
 * Whether a person counts as a verified member (not 未核实), as the poll audiences count them
 * (src/domains/people/audience.ts): bound to the roster or a directory, given a role or a unit by
 * an admin, or with an account on a messenger, which nobody can make at will in numbers.
 */
export const isVerified = (
  person: Pick<PersonRow, 'verifiedAt' | 'role' | 'orgUnitId'>,
  channels: readonly string[],
): boolean =>
  person.verifiedAt !== null ||
  person.role !== 'staff' ||
  person.orgUnitId !== null ||
  channels.some((c) => c !== 'web');

/** What a person looks like to officers and to themselves. */
export async function profileOf(
  db: Db,
  where: { personId: string } | { memberNo: number },
): Promise<
  | (PersonProfile & {
      id: string;
      officerUnits: { id: string; nameZh: string; nameEn: string }[];
      channels: string[];
    })
  | null
> {
  const [row] = await db
    .select({ person: people, unit: orgUnits })
    .from(people)
    .leftJoin(orgUnits, eq(orgUnits.id, people.orgUnitId))
    .where('personId' in where ? eq(people.id, where.personId) : eq(people.memberNo, where.memberNo));
  if (!row) return null;
  const handled = await db
    .select({ id: orgUnits.id, nameZh: orgUnits.nameZh, nameEn: orgUnits.nameEn })
    .from(officerUnits)
    .innerJoin(orgUnits, eq(orgUnits.id, officerUnits.orgUnitId))
    .where(eq(officerUnits.personId, row.person.id))
    .orderBy(asc(orgUnits.nameZh));
  const channels = await db
    .selectDistinct({ channel: channelIdentities.channel })
    .from(channelIdentities)
    .where(eq(channelIdentities.personId, row.person.id));
  return {
    id: row.person.id,
    memberNo: row.person.memberNo,
    displayName: row.person.displayName,
    role: row.person.role,
    unit: row.unit ? { zh: row.unit.nameZh, en: row.unit.nameEn } : null,
    officerUnits: handled,
    channels: channels.map((c) => c.channel).sort(),
    employeeNo: row.person.employeeNo,
    verified: isVerified(
      row.person,
      channels.map((c) => c.channel),
    ),
  };
}

export interface PeopleFilter {
  q?: string;
  role?: Role;
  unitId?: string;
  limit: number;
  offset: number;
}

export async function listPeople(db: Db, filter: PeopleFilter) {
  const conditions: SQL[] = [];
  if (filter.role) conditions.push(eq(people.role, filter.role));
  if (filter.unitId) conditions.push(inArray(people.orgUnitId, await unitAndDescendants(db, filter.unitId)));
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    const number = /^\d{1,12}$/.test(filter.q) ? Number(filter.q) : null;
    conditions.push(
      or(ilike(people.displayName, pattern), ...(number !== null ? [eq(people.memberNo, number)] : []))!,
    );
  }
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const rows = await db
    .select({ memberNo: people.memberNo })
    .from(people)
    .where(where)
    .orderBy(asc(people.memberNo))
    .limit(filter.limit)
    .offset(filter.offset);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(people).where(where);
  const items = [];
  for (const row of rows) {
    const profile = await profileOf(db, { memberNo: row.memberNo });
    if (profile) items.push(publicProfile(profile));
  }
  return { items, total: Number(total?.n ?? 0) };
}

/** A profile without the internal id. */
export function publicProfile<P extends { id: string }>(profile: P): Omit<P, 'id'> {
  const { id: _id, ...rest } = profile;
  return rest;
}

export type AssignResult =
  | { ok: true; personId: string }
  | { ok: false; reason: 'no_person' | 'no_unit' | 'own_role' | 'not_officer' };

export interface Assignment {
  memberNo: number;
  role?: Role;
  /** null clears the person's unit. */
  unitId?: string | null;
  /** For officers and admins: the units they handle (replaces the list). */
  officerUnitIds?: readonly string[];
  actor: Pick<AuditEntry, 'actorType' | 'actorId'>;
  now: Date;
  /** Seals the notices of items that move with the person. */
  keyRing: KeyRing;
}

/**
 * Sets a person's role, unit and handled units. Someone who stops being an officer or admin
 * handles no units; an admin cannot change their own role (so the last one cannot lock everyone out).
 * Every path that changes these comes here, so what follows a change happens in its transaction:
 * their console sessions end, and a new unit takes their untaken items (src/domains/people/rights-change.ts).
 */
export async function assignPerson(db: Db, change: Assignment): Promise<AssignResult> {
  return db.transaction(async (tx) => {
    const [person] = await tx.select().from(people).where(eq(people.memberNo, change.memberNo)).for('update');
    if (!person) return { ok: false, reason: 'no_person' } as const;
    if (change.role && change.role !== person.role && change.actor.actorId === person.id) {
      return { ok: false, reason: 'own_role' } as const;
    }
    const unitIds = [...(change.unitId ? [change.unitId] : []), ...(change.officerUnitIds ?? [])];
    if (unitIds.length > 0) {
      const found = await tx.select({ id: orgUnits.id }).from(orgUnits).where(inArray(orgUnits.id, unitIds));
      if (found.length !== new Set(unitIds).size) return { ok: false, reason: 'no_unit' } as const;
    }
    const role = change.role ?? person.role;
    // Those who handle items may be bound to the units whose items they handle.
    const handles = allows(role, 'item.move');
    const handledBefore = await tx
      .select({ id: officerUnits.orgUnitId })
      .from(officerUnits)
      .where(eq(officerUnits.personId, person.id));
    if (change.officerUnitIds && change.officerUnitIds.length > 0 && !handles) {
      return { ok: false, reason: 'not_officer' } as const;
    }
    await tx
      .update(people)
      .set({
        role,
        ...(change.unitId !== undefined ? { orgUnitId: change.unitId } : {}),
        updatedAt: change.now,
      })
      .where(eq(people.id, person.id));
    if (!handles || change.officerUnitIds) {
      await tx.delete(officerUnits).where(eq(officerUnits.personId, person.id));
      const ids = handles ? [...new Set(change.officerUnitIds ?? [])] : [];
      if (ids.length > 0) {
        await tx
          .insert(officerUnits)
          .values(ids.map((orgUnitId) => ({ personId: person.id, orgUnitId, createdAt: change.now })));
      }
    }
    const unitChanged = change.unitId !== undefined && change.unitId !== person.orgUnitId;
    const handledAfter = handles ? (change.officerUnitIds ?? handledBefore.map((h) => h.id)) : [];
    const handledChanged = !sameSet(
      handledBefore.map((h) => h.id),
      handledAfter,
    );
    const { sessionsEnded, moved } = await followRightsChange(tx, {
      personId: person.id,
      ...(role !== person.role ? { role: { from: person.role, to: role } } : {}),
      ...(unitChanged ? { unitId: change.unitId ?? null } : {}),
      ...(handledChanged ? { handles: handledAfter } : {}),
      actor: change.actor,
      now: change.now,
      keyRing: change.keyRing,
    });
    await audit(tx, {
      at: change.now,
      ...change.actor,
      action: 'person.assign',
      subjectType: 'person',
      subjectId: String(person.memberNo),
      detail: {
        fromRole: person.role,
        role,
        ...(change.unitId !== undefined ? { unitId: change.unitId } : {}),
        ...(change.officerUnitIds ? { officerUnitIds: [...change.officerUnitIds] } : {}),
        ...(sessionsEnded > 0 ? { sessionsEnded } : {}),
        ...(moved.length > 0 ? { itemsMoved: moved.length } : {}),
      },
    });
    return { ok: true, personId: person.id } as const;
  });
}

/** Units whose Chinese or English name contains the words (exact matches first). */
export async function findUnitsByName(
  db: Db,
  name: string,
): Promise<{ id: string; nameZh: string; nameEn: string }[]> {
  const pattern = containsPattern(name);
  const rows = await db
    .select({ id: orgUnits.id, nameZh: orgUnits.nameZh, nameEn: orgUnits.nameEn })
    .from(orgUnits)
    .where(or(ilike(orgUnits.nameZh, pattern), ilike(orgUnits.nameEn, pattern)))
    .limit(20);
  const exact = rows.filter((r) => r.nameZh === name || r.nameEn.toLowerCase() === name.toLowerCase());
  return exact.length > 0 ? exact : rows;
}
