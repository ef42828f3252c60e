/**
 * Reading roster files and checking their rows, without a database: the LibreOffice workbooks and
 * the GBK CSV committed as fixtures, a workbook written by the xlsx library, and the files that
 * must be refused (empty, too large, renamed executables and .xls, a zip that unpacks past its
 * limit, a zip that is not a workbook, too many rows). Every row problem names its row and column.
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { readRosterFile, rosterLimits, zipDirectory } from '../../../src/domains/people/roster-file.ts';
import { normalizePhone, readRows } from '../../../src/domains/people/roster-rows.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/roster/${name}`, import.meta.url)));
const today = '2026-12-03';

async function read(bytes: Uint8Array) {
  const file = await readRosterFile(bytes);
  if (!file.ok) throw new Error(file.reason.zh);
  return readRows(file.rows, today);
}

const workbook = (rows: unknown[][]) => {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), 'Sheet1');
  return new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }));
};

const refusal = async (bytes: Uint8Array) => {
  const file = await readRosterFile(bytes);
  return file.ok ? null : file.reason.zh;
};

describe('roster files', () => {
  it('reads a roster LibreOffice saved: leading zeros, date cells, paths, phones and roles', async () => {
    const { entries, problems } = await read(fixture('libreoffice-roster.xlsx'));
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(8);
    expect(entries[0]).toEqual({
      row: 2,
      name: '张建国',
      employeeNo: '00123',
      unitPath: ['林业局工会', '太平林场工会'],
      phone: '13812345678',
      role: 'staff',
      memberSince: '2019-03-01',
    });
    expect(entries[2]).toMatchObject({
      unitPath: ['林业局工会', '太平林场工会', '营林队'],
      phone: '13912345679',
    });
    expect(entries[3]).toMatchObject({ employeeNo: 'A-0007', phone: '13700001111', role: 'officer' });
    expect(entries[4]).toMatchObject({ employeeNo: '00126', phone: null });
    expect(entries[4]!.memberSince).toBeUndefined();
    expect(entries[5]).toMatchObject({ phone: '0451-86001234', role: 'admin', unitPath: ['林业局工会'] });
    expect(entries.map((e) => e.role)).toEqual([
      'staff',
      'delegate',
      'staff',
      'officer',
      'staff',
      'admin',
      'staff',
      'delegate',
    ]);
  });

  it('reads the same roster from a GBK CSV as Excel on a Chinese Windows writes it', async () => {
    const fromCsv = await read(fixture('excel-gbk-roster.csv'));
    const fromXlsx = await read(fixture('libreoffice-roster.xlsx'));
    expect(fromCsv.problems).toEqual([]);
    expect(fromCsv.entries).toEqual(fromXlsx.entries);
  });

  it('names the row, the column and why for every problem of the bad LibreOffice file', async () => {
    const { entries, problems } = await read(fixture('libreoffice-bad-rows.xlsx'));
    expect(entries.map((e) => e.row)).toEqual([2]);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'name'],
      [4, 'employeeNo'],
      [5, 'phone'],
      [6, 'role'],
      [7, 'memberSince'],
      [8, 'employeeNo'],
    ]);
    expect(problems[1]!.reason.zh).toBe('工号与第 2 行重复。');
    expect(problems[3]!.reason.zh).toContain('会员、职工代表、工会干部或管理员');
    expect(problems[4]!.reason.zh).toBe('入会日期不能晚于今天。');
    for (const p of problems) expect(p.reason.en.length).toBeGreaterThan(10);
  });

  it('reads a workbook the library wrote, with English headers, numbers for 工号 and typed dates', async () => {
    const { entries, problems } = await read(
      workbook([
        ['Employee number', 'Name', 'Unit', 'Mobile', 'Role', 'Member since', '备注'],
        [
          4711,
          'Wang Fang',
          '机关工会 / 办公室',
          '+86 139-0000-1111',
          'officer',
          new Date(Date.UTC(2012, 6, 1)),
        ],
        ['b-9', '周', '机关工会', '', '', '2012年7月'],
        [],
        ['c-1', '吴', '', null, '代表', '2013.02.03'],
      ]),
    );
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        row: 2,
        name: 'Wang Fang',
        employeeNo: '4711',
        unitPath: ['机关工会', '办公室'],
        phone: '13900001111',
        role: 'officer',
        memberSince: '2012-07-01',
      },
      {
        row: 3,
        name: '周',
        employeeNo: 'B-9',
        unitPath: ['机关工会'],
        phone: null,
        memberSince: '2012-07-01',
      },
      {
        row: 5,
        name: '吴',
        employeeNo: 'C-1',
        unitPath: [],
        phone: null,
        role: 'delegate',
        memberSince: '2013-02-03',
      },
    ]);
  });

  it('refuses a file without the columns it needs, saying which', async () => {
    const { problems } = await read(
      workbook([
        ['姓名', '手机'],
        ['张三', '13800000000'],
      ]),
    );
    expect(problems.map((p) => p.reason.zh)).toEqual([
      expect.stringContaining('缺少“工号”列'),
      expect.stringContaining('缺少“单位”列'),
    ]);
  });

  it('refuses what is not a roster, with the limit where there is one', async () => {
    expect(await refusal(new Uint8Array())).toBe('文件是空的。');
    expect(await refusal(new Uint8Array(rosterLimits.fileBytes + 1).fill(65))).toContain('5 MB');
    const exe = new Uint8Array(4096);
    exe.set([0x4d, 0x5a, 0x90, 0x00]);
    expect(await refusal(exe)).toContain('只能导入 Excel 工作簿（.xlsx）或 CSV');
    expect(await refusal(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toContain(
      '另存为 .xlsx',
    );
    expect(await refusal(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toContain('只能导入');
    expect(await refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]))).toContain('打不开');
    const tooMany = workbook([
      ['姓名', '工号', '单位'],
      ...Array.from({ length: rosterLimits.rows + 1 }, (_, i) => ['张', `E${i}`, '机关']),
    ]);
    expect(await refusal(tooMany)).toContain(`最多导入 ${rosterLimits.rows} 人`);
  });

  it('refuses a workbook whose parts claim to unpack past the limit, before unpacking', async () => {
    const bytes = workbook([
      ['姓名', '工号', '单位'],
      ['张', '1', '机关'],
    ]);
    expect(zipDirectory(bytes)?.unpacked).toBeGreaterThan(0);
    // Every central directory entry claims 1 GiB uncompressed.
    const bomb = bytes.slice();
    const view = new DataView(bomb.buffer);
    for (let at = 0; at < bomb.length - 4; at++) {
      if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, 1 << 30, true);
    }
    expect(await refusal(bomb)).toContain('解压后超过 60 MB');
  });

  it('refuses a workbook whose parts lie about their size, by inflating them with a limit', async () => {
    // A zip made by hand: its directory claims 1 KB for a part that inflates to 70 MB.
    const entries = [
      { name: 'xl/workbook.xml', data: new TextEncoder().encode('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(70 * 1024 * 1024) },
    ];
    const parts: Uint8Array[] = [];
    const directory: Uint8Array[] = [];
    let offset = 0;
    for (const entry of entries) {
      const name = new TextEncoder().encode(entry.name);
      const packed = deflateRawSync(entry.data);
      const local = new DataView(new ArrayBuffer(30));
      local.setUint32(0, 0x04034b50, true);
      local.setUint16(8, 8, true);
      local.setUint32(18, packed.length, true);
      local.setUint32(22, 1024, true);
      local.setUint16(26, name.length, true);
      const central = new DataView(new ArrayBuffer(46));
      central.setUint32(0, 0x02014b50, true);
      central.setUint16(10, 8, true);
      central.setUint32(20, packed.length, true);
      central.setUint32(24, 1024, true);
      central.setUint16(28, name.length, true);
      central.setUint32(42, offset, true);
      parts.push(new Uint8Array(local.buffer), name, packed);
      directory.push(new Uint8Array(central.buffer), name);
      offset += 30 + name.length + packed.length;
    }
    const size = directory.reduce((n, d) => n + d.length, 0);
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, entries.length, true);
    end.setUint16(10, entries.length, true);
    end.setUint32(12, size, true);
    end.setUint32(16, offset, true);
    const bomb = new Uint8Array(Buffer.concat([...parts, ...directory, new Uint8Array(end.buffer)]));
    expect(bomb.length).toBeLessThan(rosterLimits.fileBytes);
    expect(zipDirectory(bomb)?.unpacked).toBe(2048);
    expect(await refusal(bomb)).toContain('解压后超过 60 MB');
  });

  it('refuses a zip that is not a workbook', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['x']]), 'S');
    const ods = new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'ods' }));
    expect(await refusal(ods)).toContain('只能导入 Excel 工作簿（.xlsx）或 CSV');
  });

  it('normalises phone numbers as people write them', async () => {
    expect(normalizePhone('138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('+86-138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('１３８１２３４５６７８')).toBe('13812345678');
    expect(normalizePhone('(0451) 86001234')).toBe('0451-86001234');
    expect(normalizePhone('010-12345678-123')).toBe('010-12345678-123');
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePhone('23812345678')).toBeNull();
  });
});
