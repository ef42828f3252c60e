/**
 * Importing a roster of 2,000 members from an Excel workbook, through the console of the real
 * server process, as an admin does it: upload and preview (the file read, every row checked, the
 * plan worked out against the database), then import (units created, people written, phones
 * sealed, in one transaction), then the same file again (all unchanged). On PGlite (a new data
 * directory) and on PostgreSQL when one is reachable. Target: the upload-to-imported time under
 * 10 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { createScratchDatabase } from '../test/support/scratch-database.ts';
import { startServerProcess } from '../test/support/server-process.ts';
import { peakRssMb } from './rss.ts';

export const rosterMembers = Number(process.env.BENCH_ROSTER_MEMBERS ?? 2000);
export const rosterTargetSeconds = 10;
const adminToken = 'bench-admin-token-0123456789';
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const given = ['建国', '秀英', '磊', '敏', '洋', '静', '帆', '丽', '伟', '芳', '军', '娜', '强', '杰', '霞'];
const roles = ['会员', '会员', '会员', '会员', '职工代表', '工会干部'];

/** A workbook as a union's 人事 office keeps it: three levels of units, phones for most, dates as date cells. */
export function rosterWorkbook(members: number): Uint8Array {
  const rows: unknown[][] = [['姓名', '工号', '单位', '手机', '角色', '入会日期']];
  for (let i = 0; i < members; i++) {
    const station = `第${(i % 12) + 1}林场工会`;
    const team = `${['营林', '运输', '机修', '后勤'][i % 4]}队`;
    rows.push([
      `${surnames[i % surnames.length]}${given[i % given.length]}`,
      String(100000 + i).padStart(8, '0'),
      `林业局工会/${station}/${team}`,
      i % 5 === 0 ? '' : `13${String(900000000 + i * 7919).slice(0, 9)}`,
      roles[i % roles.length],
      new Date(Date.UTC(1995 + (i % 30), i % 12, (i % 28) + 1)),
    ]);
  }
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), '会员');
  return new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }));
}

export interface RosterFigure {
  label: string;
  previewSeconds: number;
  importSeconds: number;
  totalSeconds: number;
  againSeconds: number;
  created: number;
  peakRssMb: number;
}

async function signIn(url: string) {
  const res = await fetch(`${url}/console/signin/token`, {
    method: 'POST',
    headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: adminToken }),
    redirect: 'manual',
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await (await fetch(`${url}/console`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '' };
}

/** Upload to preview shown, in seconds, and the preview's address. */
async function preview(url: string, session: { cookie: string; csrf: string }, bytes: Uint8Array) {
  const started = performance.now();
  const form = new FormData();
  form.set('csrf', session.csrf);
  form.set('file', new File([bytes.slice().buffer], 'roster.xlsx'));
  const res = await fetch(`${url}/console/people/roster`, {
    method: 'POST',
    headers: { origin: url, cookie: session.cookie },
    body: form,
    redirect: 'manual',
  });
  const path = res.headers.get('location');
  if (res.status !== 303 || !path) throw new Error(`upload refused: ${res.status} ${await res.text()}`);
  const page = await (await fetch(`${url}${path}`, { headers: { cookie: session.cookie } })).text();
  return { seconds: (performance.now() - started) / 1000, path, page };
}

async function runOn(label: string, env: Record<string, string>, bytes: Uint8Array): Promise<RosterFigure> {
  const server = await startServerProcess({ ADMIN_TOKEN: adminToken, ...env });
  try {
    const session = await signIn(server.url);
    const shown = await preview(server.url, session, bytes);
    if (!shown.page.includes(`将新增 ${rosterMembers} 人`))
      throw new Error('the preview does not add everyone');
    const started = performance.now();
    const done = await fetch(`${server.url}${shown.path}`, {
      method: 'POST',
      headers: {
        origin: server.url,
        cookie: session.cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ csrf: session.csrf }),
      redirect: 'manual',
    });
    const page = await (
      await fetch(`${server.url}${shown.path}`, { headers: { cookie: session.cookie } })
    ).text();
    const importSeconds = (performance.now() - started) / 1000;
    const created = Number(/已导入：新增 (\d+) 人/.exec(page)?.[1] ?? 0);
    if (done.status !== 303 || created !== rosterMembers) throw new Error(`import failed: ${done.status}`);
    const again = await preview(server.url, session, bytes);
    if (!again.page.includes(`${rosterMembers} 人不变`))
      throw new Error('the second preview is not all unchanged');
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      label,
      previewSeconds: round(shown.seconds),
      importSeconds: round(importSeconds),
      totalSeconds: round(shown.seconds + importSeconds),
      againSeconds: round(again.seconds),
      created,
      peakRssMb: peakRssMb(server.child.pid!),
    };
  } finally {
    await server.kill('SIGTERM');
  }
}

export async function benchRoster(): Promise<RosterFigure[]> {
  const bytes = rosterWorkbook(rosterMembers);
  const figures: RosterFigure[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-roster-'));
  try {
    figures.push(await runOn('PGlite', { DATA_DIR: dir }, bytes));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    'bench_roster',
  );
  if (scratch) {
    try {
      figures.push(await runOn('PostgreSQL', { DATABASE_URL: scratch.url }, bytes));
    } finally {
      await scratch.drop();
    }
  }
  return figures;
}

export function rosterSection(figures: readonly RosterFigure[]): string[] {
  return [
    `## Roster import of ${rosterMembers.toLocaleString('en')}`,
    '',
    `An Excel workbook of ${rosterMembers} members (three levels of units, phones for four in five, dates as date cells; ${Math.round(rosterWorkbook(rosterMembers).length / 1024)} KB) uploaded to the console of the real server process and previewed (read, every row checked, the plan worked out against the database), then imported (units created, people written and their phones sealed, in one transaction), then uploaded again (every member unchanged). Each on a new database.`,
    '',
    '| database | upload to preview | import | upload to imported | ratio to the 10 s target | same file again, to preview | peak RSS |',
    '|---|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.label} | ${f.previewSeconds} s | ${f.importSeconds} s | ${f.totalSeconds} s | ${(f.totalSeconds / rosterTargetSeconds).toFixed(2)} | ${f.againSeconds} s | ${f.peakRssMb} MB |`,
    ),
    '',
    `Target: ${rosterMembers} members from upload to imported in under ${rosterTargetSeconds} s: ${figures.every((f) => f.totalSeconds < rosterTargetSeconds) ? 'met' : 'missed'}.`,
    '',
  ];
}
