/**
 * The roster as a file the import reads back: everyone with a 工号, in the import's columns
 * (姓名, 工号, 单位 as a path, 手机, 角色, 入会日期), as an Excel workbook or a CSV. Phone numbers
 * are opened for it, so every export is audited (roster.export) with how many rows it held.
 */
import * as XLSX from '@e965/xlsx';
import { asc, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { people } from '../../../db/schema/index.ts';
import { t } from '../../../kernel/l10n.ts';
import { toCsv } from '../../http/csv.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';
import { roleLabels } from './console-text.ts';
import { listUnits } from './directory.ts';
import { columnLabels, rosterColumns } from './roster-rows.ts';

type Row = [string, string, string, string, string, Date | null];

async function rosterRows(db: Db, keys: KeyRing): Promise<Row[]> {
  const units = new Map((await listUnits(db)).map((u) => [u.id, u.pathZh.split(' / ').join('/')]));
  const rows = await db
    .select()
    .from(people)
    .where(isNotNull(people.employeeNo))
    .orderBy(asc(people.employeeNo));
  return Promise.all(
    rows.map(
      async (p): Promise<Row> => [
        p.displayName,
        p.employeeNo ?? '',
        p.orgUnitId ? (units.get(p.orgUnitId) ?? '') : '',
        p.phone ? await keys.open(p.phone) : '',
        t('zh', roleLabels[p.role]),
        p.memberSince ? new Date(`${p.memberSince}T00:00:00Z`) : null,
      ],
    ),
  );
}

const header = rosterColumns.map((c) => columnLabels[c].zh);

/** The roster as bytes of the format asked for; the export is audited in the same breath. */
export async function exportRoster(
  db: Db,
  keys: KeyRing,
  format: 'xlsx' | 'csv',
  at: { actor: Pick<AuditEntry, 'actorType' | 'actorId'>; now: Date },
): Promise<Uint8Array | string> {
  const rows = await rosterRows(db, keys);
  await audit(db, {
    at: at.now,
    ...at.actor,
    action: 'roster.export',
    subjectType: 'person',
    subjectId: format,
    detail: { rows: rows.length, phones: rows.filter((r) => r[3] !== '').length },
  });
  if (format === 'csv') {
    return toCsv(
      header,
      rows.map((r) => [...r.slice(0, 5), r[5] ? r[5].toISOString().slice(0, 10) : ''] as string[]),
    );
  }
  const sheet = XLSX.utils.aoa_to_sheet([header, ...rows], {
    cellDates: true,
    UTC: true,
    dateNF: 'yyyy-mm-dd',
  });
  // 工号 and 手机 are text, so a spreadsheet keeps their leading zeros.
  for (let r = 1; r <= rows.length; r++) {
    for (const c of [1, 3]) {
      const cell = sheet[XLSX.utils.encode_cell({ r, c })];
      if (cell) cell.z = '@';
    }
  }
  sheet['!cols'] = [{ wch: 10 }, { wch: 12 }, { wch: 36 }, { wch: 16 }, { wch: 10 }, { wch: 12 }];
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '会员');
  return new Uint8Array(
    XLSX.write(book, { type: 'array', bookType: 'xlsx', bookSST: true, compression: true }),
  );
}
