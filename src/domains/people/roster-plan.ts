/**
 * What importing a roster would do, worked out against the database without writing: who is new,
 * who changes and in which fields, who stays as they are, which units must be created; and the
 * problems only the database can show (an admin changing their own role). The preview shows this
 * and the import applies it, worked out again in its own transaction.
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { people } from '../../../db/schema/index.ts';
import type { Role } from '../../../flows/engine/roles.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { listUnits } from './directory.ts';
import type { RosterColumn, RosterEntry, RowProblem } from './roster-rows.ts';

export interface RosterChange {
  entry: RosterEntry;
  personId: string;
  memberNo: number;
  /** The fields the import changes. */
  changes: RosterColumn[];
  /** The person's unit once imported: an existing unit's id, or the path of one to create. */
  unit: UnitTarget;
  role: Role;
}

export type UnitTarget = { id: string | null } | { path: string[] };

export interface RosterPlan {
  create: { entry: RosterEntry; unit: UnitTarget }[];
  update: RosterChange[];
  unchanged: number;
  /** Paths of units to create, each after its parent. */
  newUnits: string[][];
  problems: RowProblem[];
}

export const pathKey = (path: readonly string[]) => path.join(' / ');

/** Existing units by their Chinese path, and the paths a roster needs that do not exist yet. */
async function unitTargets(db: Db, entries: readonly RosterEntry[]) {
  const byPath = new Map((await listUnits(db)).map((u) => [u.pathZh, u.id]));
  const missing = new Map<string, string[]>();
  const target = (path: string[]): UnitTarget => {
    if (path.length === 0) return { id: null };
    const id = byPath.get(pathKey(path));
    if (id) return { id };
    for (let depth = 1; depth <= path.length; depth++) {
      const prefix = path.slice(0, depth);
      if (!byPath.has(pathKey(prefix))) missing.set(pathKey(prefix), prefix);
    }
    return { path };
  };
  const targets = entries.map((e) => target(e.unitPath));
  const newUnits = [...missing.values()].sort((a, b) => a.length - b.length);
  return { targets, newUnits };
}

/**
 * The plan for these entries. `actorId` is the importing admin's person id: a row that would
 * change their own role is a problem, as it is in 人员与单位.
 */
export async function planRoster(
  db: Db,
  keys: KeyRing,
  entries: readonly RosterEntry[],
  actorId: string | null,
): Promise<RosterPlan> {
  const numbers = entries.map((e) => e.employeeNo);
  const existing = new Map<string, typeof people.$inferSelect>();
  for (let i = 0; i < numbers.length; i += 1000) {
    const rows = await db
      .select()
      .from(people)
      .where(inArray(people.employeeNo, numbers.slice(i, i + 1000)));
    for (const row of rows) if (row.employeeNo) existing.set(row.employeeNo, row);
  }
  const { targets, newUnits } = await unitTargets(db, entries);
  const plan: RosterPlan = { create: [], update: [], unchanged: 0, newUnits, problems: [] };
  for (const [index, entry] of entries.entries()) {
    const unit = targets[index]!;
    const person = existing.get(entry.employeeNo);
    if (!person) {
      plan.create.push({ entry, unit });
      continue;
    }
    const phone = entry.phone !== undefined && person.phone ? await keys.open(person.phone) : null;
    const changes: RosterColumn[] = [];
    if (person.displayName !== entry.name) changes.push('name');
    if (!('id' in unit) || unit.id !== person.orgUnitId) changes.push('unit');
    if (entry.phone !== undefined && phone !== entry.phone) changes.push('phone');
    if (entry.role && entry.role !== person.role) changes.push('role');
    if (entry.memberSince && entry.memberSince !== person.memberSince) changes.push('memberSince');
    if (changes.includes('role') && person.id === actorId) {
      plan.problems.push({
        row: entry.row,
        column: 'role',
        reason: {
          zh: '不能在导入中修改自己的角色；请另一位管理员修改。',
          en: 'You cannot change your own role by an import; ask another admin.',
        },
      });
      continue;
    }
    if (changes.length === 0) plan.unchanged++;
    else
      plan.update.push({
        entry,
        personId: person.id,
        memberNo: person.memberNo,
        changes,
        unit,
        role: entry.role ?? person.role,
      });
  }
  return plan;
}
