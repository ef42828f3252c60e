/**
 * A roster's rows read and checked on their own, before the database is asked anything: which
 * column is which (Chinese headers, English ones accepted), and each row's name, 工号, unit path,
 * phone, role and 入会日期 normalised, or the problems found, each naming its row as the
 * spreadsheet numbers it, its column and why.
 */
import type { Role } from '../../../flows/engine/roles.ts';
import type { L10n } from '../../../kernel/l10n.ts';
import { charCount, foldForMatch, hasUnsafeCharacters, normalizeText } from '../../../kernel/text.ts';
import type { Cell } from './roster-file.ts';

export const rosterColumns = ['name', 'employeeNo', 'unit', 'phone', 'role', 'memberSince'] as const;
export type RosterColumn = (typeof rosterColumns)[number];

/** The header each column is written with on export, and the words accepted for it on import. */
export const columnLabels: Record<RosterColumn, L10n> = {
  name: { zh: '姓名', en: 'Name' },
  employeeNo: { zh: '工号', en: 'Employee number' },
  unit: { zh: '单位', en: 'Unit' },
  phone: { zh: '手机', en: 'Phone' },
  role: { zh: '角色', en: 'Role' },
  memberSince: { zh: '入会日期', en: 'Member since' },
};

const headerWords: Record<RosterColumn, readonly string[]> = {
  name: ['姓名', '名字', '名称', 'name', 'full name'],
  employeeNo: [
    '工号',
    '员工号',
    '职工号',
    '员工编号',
    'employee number',
    'employee no',
    'employee id',
    'staff number',
  ],
  unit: ['单位', '所属单位', '部门', '单位路径', '基层工会', 'unit', 'department', 'org unit'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', 'phone', 'mobile', 'phone number'],
  role: ['角色', '身份', 'role'],
  memberSince: ['入会日期', '入会时间', '入会年月', 'member since', 'joined'],
};

export const required: readonly RosterColumn[] = ['name', 'employeeNo', 'unit'];

const roleWords: Record<Role, readonly string[]> = {
  staff: ['会员', '职工', '员工', '普通会员', 'member', 'staff'],
  delegate: ['职工代表', '代表', '会员代表', 'delegate'],
  officer: ['工会干部', '干部', '工会工作者', 'officer'],
  admin: ['管理员', '工会管理员', 'admin', 'administrator'],
};

/** One member as the file gives them. `role` and `memberSince` are absent when the cell is empty. */
export interface RosterEntry {
  /** The row's number in the spreadsheet (the header is row 1). */
  row: number;
  name: string;
  employeeNo: string;
  /** Unit names from the top down; empty for no unit. */
  unitPath: string[];
  /** null: the cell is empty (no phone); absent: the file has no phone column (keep what is known). */
  phone?: string | null;
  role?: Role;
  memberSince?: string;
}

export interface RowProblem {
  row: number;
  /** null: the problem is the file's (a header missing). */
  column: RosterColumn | null;
  reason: L10n;
}

const why = {
  missingColumn: (label: L10n) => ({
    zh: `缺少“${label.zh}”列（第 1 行应是表头：姓名、工号、单位，可选手机、角色、入会日期）。`,
    en: `The “${label.en}” column is missing (row 1 should be the header: name, employee number, unit, and optionally phone, role, member since).`,
  }),
  empty: (label: L10n) => ({ zh: `${label.zh}不能为空。`, en: `${label.en} is required.` }),
  tooLong: (label: L10n, max: number) => ({
    zh: `${label.zh}最长 ${max} 个字。`,
    en: `${label.en} is at most ${max} characters.`,
  }),
  badEmployeeNo: {
    zh: '工号只能包含字母、数字、“-”和“_”，最长 32 位。',
    en: 'An employee number may hold letters, digits, “-” and “_”, at most 32.',
  },
  repeated: (first: number) => ({
    zh: `工号与第 ${first} 行重复。`,
    en: `The employee number is already on row ${first}.`,
  }),
  badPhone: {
    zh: '手机号格式不对：应为 11 位手机号（如 13812345678）或带区号的座机（如 0451-86001234）。',
    en: 'Not a phone number: give an 11-digit mobile (e.g. 13812345678) or a landline with its area code (e.g. 0451-86001234).',
  },
  badRole: {
    zh: '角色应为：会员、职工代表、工会干部或管理员。',
    en: 'The role should be one of: member, delegate, officer, admin.',
  },
  badDate: {
    zh: '入会日期应为日期，如 2019-03-01。',
    en: 'Member since should be a date, such as 2019-03-01.',
  },
  futureDate: { zh: '入会日期不能晚于今天。', en: 'Member since cannot be after today.' },
  badText: (label: L10n) => ({
    zh: `${label.zh}含有不可见的控制字符。`,
    en: `${label.en} holds invisible control characters.`,
  }),
  badUnit: {
    zh: '单位路径不对：用“/”分隔各级单位，如 林业局工会/太平林场工会。',
    en: 'Not a unit path: separate the levels with “/”, e.g. 林业局工会/太平林场工会.',
  },
} satisfies Record<string, L10n | ((...args: never[]) => L10n)>;

/** Which column index holds each known column; problems when a required one is missing. */
export function readHeader(header: readonly Cell[]): {
  at: Partial<Record<RosterColumn, number>>;
  problems: RowProblem[];
} {
  const at: Partial<Record<RosterColumn, number>> = {};
  header.forEach((cell, index) => {
    const word = foldForMatch(cellText(cell))
      .replace(/[\s_*（）()]+/g, ' ')
      .trim();
    const column = rosterColumns.find((c) => headerWords[c].some((w) => foldForMatch(w) === word));
    if (column && at[column] === undefined) at[column] = index;
  });
  const problems = required
    .filter((c) => at[c] === undefined)
    .map((c) => ({ row: 1, column: null, reason: why.missingColumn(columnLabels[c]) }));
  return { at, problems };
}

/** A cell as text: numbers as written (a 工号 read as a number keeps no zeros it never had). */
function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return dayOf(cell) ?? '';
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : String(cell);
  return normalizeText(String(cell));
}

/** The calendar day of a date cell (read in UTC, as the workbook stores days). */
const dayOf = (date: Date) => (Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10));

function parseDay(cell: Cell): string | null {
  if (cell instanceof Date) return dayOf(cell);
  const text = cellText(cell).normalize('NFKC');
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1900) return null;
  return dayOf(date);
}

/** A mainland mobile (the +86 and spaces dropped) or a landline with its area code; null when neither. */
export function normalizePhone(raw: string): string | null {
  const compact = raw.normalize('NFKC').replace(/[\s()（）]/g, '');
  const mobile = /^(?:\+?86-?)?(1[3-9]\d{9})$/.exec(compact.replace(/-/g, ''));
  if (mobile) return mobile[1]!;
  const landline = /^(?:\+?86-?)?(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$/.exec(compact);
  return landline ? `${landline[1]}-${landline[2]}${landline[3] ? `-${landline[3]}` : ''}` : null;
}

function roleOf(text: string): Role | null {
  const word = foldForMatch(text);
  const found = (Object.keys(roleWords) as Role[]).find((r) =>
    roleWords[r].some((w) => foldForMatch(w) === word),
  );
  return found ?? null;
}

/** Checks every row; `today` is the union's calendar day (YYYY-MM-DD). */
export function readRows(
  rows: readonly (readonly Cell[])[],
  today: string,
): { entries: RosterEntry[]; problems: RowProblem[] } {
  const { at, problems } = readHeader(rows[0] ?? []);
  if (problems.length > 0) return { entries: [], problems };
  const entries: RosterEntry[] = [];
  const firstRowOf = new Map<string, number>();
  rows.slice(1).forEach((cells, index) => {
    const row = index + 2;
    const cell = (c: RosterColumn) => (at[c] === undefined ? null : (cells[at[c]] ?? null));
    if (rosterColumns.every((c) => cellText(cell(c)) === '')) return;
    const found: RowProblem[] = [];
    const flag = (column: RosterColumn, reason: L10n) => found.push({ row, column, reason });
    const text = (c: RosterColumn, max: number) => {
      const raw = cell(c);
      if (typeof raw === 'string' && hasUnsafeCharacters(raw)) flag(c, why.badText(columnLabels[c]));
      const value = cellText(raw);
      if (charCount(value) > max) flag(c, why.tooLong(columnLabels[c], max));
      return value;
    };
    const name = text('name', 50);
    if (name === '') flag('name', why.empty(columnLabels.name));
    const employeeNo = text('employeeNo', 32).normalize('NFKC').toUpperCase();
    if (employeeNo === '') flag('employeeNo', why.empty(columnLabels.employeeNo));
    else if (!/^[A-Za-z0-9_-]{1,32}$/.test(employeeNo)) flag('employeeNo', why.badEmployeeNo);
    else if (firstRowOf.has(employeeNo)) flag('employeeNo', why.repeated(firstRowOf.get(employeeNo)!));
    else firstRowOf.set(employeeNo, row);
    const unitText = text('unit', 200);
    const unitPath = unitText === '' ? [] : unitText.split(/\s*[/／>＞\\]\s*/).map((p) => p.trim());
    if (unitPath.some((p) => p === '' || charCount(p) > 50)) flag('unit', why.badUnit);
    const phoneText = text('phone', 40);
    const phone = phoneText === '' ? null : normalizePhone(phoneText);
    if (phoneText !== '' && !phone) flag('phone', why.badPhone);
    const roleText = text('role', 20);
    const role = roleText === '' ? undefined : roleOf(roleText);
    if (role === null) flag('role', why.badRole);
    const dayCell = cell('memberSince');
    const memberSince = cellText(dayCell) === '' ? undefined : parseDay(dayCell);
    if (memberSince === null) flag('memberSince', why.badDate);
    else if (memberSince && memberSince > today) flag('memberSince', why.futureDate);
    if (found.length > 0) {
      problems.push(...found);
      return;
    }
    entries.push({
      row,
      name,
      employeeNo,
      unitPath,
      ...(at.phone !== undefined ? { phone } : {}),
      ...(role ? { role } : {}),
      ...(memberSince ? { memberSince } : {}),
    });
  });
  return { entries, problems };
}
