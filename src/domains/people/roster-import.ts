/**
 * Importing a roster: an uploaded file is read and checked and held (sealed) for its preview;
 * importing it works the plan out again and applies it in one transaction, by 工号, so a second
 * import of the same file changes nothing and a failure leaves nothing half done. Units named by
 * path are created top-down; a role or unit that changes goes through `assignPerson`, so it is
 * checked, audited and followed up as any change in 人员与单位.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { orgUnits, people, type RosterImportResult, rosterImports } from '../../../db/schema/index.ts';
import type { L10n } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';
import { assignPerson, listUnits } from './directory.ts';
import { readRosterFile } from './roster-file.ts';
import { pathKey, planRoster, type RosterPlan, type UnitTarget } from './roster-plan.ts';
import { type RosterEntry, type RowProblem, readRows } from './roster-rows.ts';

type Actor = Pick<AuditEntry, 'actorType' | 'actorId'>;

/** What a held file holds: the rows that read well and the problems of those that did not. */
export interface HeldRoster {
  entries: RosterEntry[];
  problems: RowProblem[];
}

export type UploadResult = { ok: true; id: string } | { ok: false; reason: L10n };

/** Reads and checks a file and holds it for its preview; a file that cannot be read is not held. */
export async function holdRoster(
  db: Db,
  keys: KeyRing,
  file: { name: string; bytes: Uint8Array },
  at: { actor: Actor; now: Date; today: string },
): Promise<UploadResult> {
  const read = await readRosterFile(file.bytes);
  if (!read.ok) return read;
  const held: HeldRoster = readRows(read.rows, at.today);
  const [row] = await db
    .insert(rosterImports)
    .values({
      fileName: file.name.slice(0, 200),
      uploadedBy: at.actor.actorId,
      rows: await keys.seal(JSON.stringify(held)),
      createdAt: at.now,
    })
    .returning({ id: rosterImports.id });
  return { ok: true, id: row!.id };
}

export type Preview =
  | { state: 'held'; fileName: string; plan: RosterPlan }
  | { state: 'imported'; fileName: string; result: RosterImportResult; importedAt: Date };

/** A held file's plan against the database as it is now, or what its import did. */
export async function previewRoster(db: Db, keys: KeyRing, id: string, actorId: string | null) {
  const [row] = await db.select().from(rosterImports).where(eq(rosterImports.id, id));
  if (!row) return null;
  if (row.importedAt || !row.rows) {
    return {
      state: 'imported',
      fileName: row.fileName,
      result: row.result ?? { created: 0, updated: 0, unchanged: 0, unitsCreated: 0 },
      importedAt: row.importedAt ?? row.createdAt,
    } satisfies Preview;
  }
  const held = JSON.parse(await keys.open(row.rows)) as HeldRoster;
  const plan = await planRoster(db, keys, held.entries, actorId);
  plan.problems = [...held.problems, ...plan.problems].sort((a, b) => a.row - b.row);
  return { state: 'held', fileName: row.fileName, plan } satisfies Preview;
}

export type ImportOutcome =
  | { ok: true; result: RosterImportResult }
  | { ok: false; reason: 'not_found' | 'already_imported' | 'problems'; problems?: RowProblem[] };

async function createUnits(tx: Db, paths: readonly string[][], now: Date): Promise<Map<string, string>> {
  const byPath = new Map((await listUnits(tx)).map((u) => [u.pathZh, u.id]));
  for (const path of paths) {
    const parentId = path.length > 1 ? (byPath.get(pathKey(path.slice(0, -1))) ?? null) : null;
    const name = path[path.length - 1]!;
    const [row] = await tx
      .insert(orgUnits)
      .values({ parentId, nameZh: name, nameEn: name, createdAt: now })
      .returning({ id: orgUnits.id });
    byPath.set(pathKey(path), row!.id);
  }
  return byPath;
}

const unitIdOf = (target: UnitTarget, byPath: Map<string, string>) =>
  'id' in target ? target.id : (byPath.get(pathKey(target.path)) ?? null);

/** Applies a held file in one transaction; refused when it has problems or was imported already. */
export async function importRoster(
  db: Db,
  keys: KeyRing,
  id: string,
  at: { actor: Actor; now: Date },
): Promise<ImportOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(rosterImports).where(eq(rosterImports.id, id)).for('update');
    if (!row) return { ok: false, reason: 'not_found' } as const;
    if (row.importedAt || !row.rows) return { ok: false, reason: 'already_imported' } as const;
    const held = JSON.parse(await keys.open(row.rows)) as HeldRoster;
    const plan = await planRoster(tx, keys, held.entries, at.actor.actorId);
    const problems = [...held.problems, ...plan.problems];
    if (problems.length > 0) return { ok: false, reason: 'problems', problems } as const;
    const byPath = await createUnits(tx, plan.newUnits, at.now);
    await insertPeople(tx, keys, plan.create, byPath, at.now);
    for (const change of plan.update) {
      const fields = new Set(change.changes);
      await tx
        .update(people)
        .set({
          displayName: change.entry.name,
          nameSource: 'roster',
          ...(fields.has('phone')
            ? { phone: change.entry.phone ? await keys.seal(change.entry.phone) : null }
            : {}),
          ...(change.entry.memberSince ? { memberSince: change.entry.memberSince } : {}),
          updatedAt: at.now,
        })
        .where(eq(people.id, change.personId));
      if (fields.has('role') || fields.has('unit')) {
        const assigned = await assignPerson(tx, {
          memberNo: change.memberNo,
          role: change.role,
          unitId: unitIdOf(change.unit, byPath),
          actor: at.actor,
          now: at.now,
          keyRing: keys,
        });
        if (!assigned.ok) throw new Error(`roster import: assignment refused (${assigned.reason})`);
      }
    }
    const result: RosterImportResult = {
      created: plan.create.length,
      updated: plan.update.length,
      unchanged: plan.unchanged,
      unitsCreated: plan.newUnits.length,
    };
    await tx
      .update(rosterImports)
      .set({ rows: null, importedAt: at.now, result })
      .where(eq(rosterImports.id, id));
    await audit(tx, {
      at: at.now,
      ...at.actor,
      action: 'roster.import',
      subjectType: 'roster_import',
      subjectId: id,
      detail: { fileName: row.fileName, ...result },
    });
    return { ok: true, result } as const;
  });
}

async function insertPeople(
  tx: Db,
  keys: KeyRing,
  created: RosterPlan['create'],
  byPath: Map<string, string>,
  now: Date,
): Promise<void> {
  for (let i = 0; i < created.length; i += 500) {
    const batch = created.slice(i, i + 500);
    const values = await Promise.all(
      batch.map(async ({ entry, unit }) => ({
        displayName: entry.name,
        nameSource: 'roster' as const,
        employeeNo: entry.employeeNo,
        phone: entry.phone ? await keys.seal(entry.phone) : null,
        memberSince: entry.memberSince ?? null,
        role: entry.role ?? 'staff',
        orgUnitId: unitIdOf(unit, byPath),
        createdAt: now,
        updatedAt: now,
      })),
    );
    await tx.insert(people).values(values);
  }
}
