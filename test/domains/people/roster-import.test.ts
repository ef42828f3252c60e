/**
 * The roster in the console, over real requests into the app: a LibreOffice workbook uploaded,
 * previewed (nothing written yet) and imported; the same file again changes nothing; a changed
 * workbook the library wrote updates by 工号 (a role change followed up as in 人员与单位); a file
 * with bad rows shows each problem and cannot be imported; a failure halfway through leaves
 * nothing behind; phone numbers are sealed at rest; the export reads back into the import and is
 * audited; and the refusals (no file, a renamed executable, too large) say why.
 */
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { desc, eq, isNotNull, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, orgUnits, people, rosterImports } from '../../../db/schema/index.ts';
import { consoleClient } from '../../support/console.ts';
import { useStack } from '../../support/stack.ts';

const publicUrl = 'https://union.example.org';
const clock = new Date('2026-12-03T02:00:00Z');
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });
const { get, adminSession } = consoleClient(() => fixture.stack, publicUrl);
const file = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/roster/${name}`, import.meta.url)));
const db = () => fixture.database.db;

async function upload(session: { cookie: string; csrf: string }, name: string, bytes: Uint8Array) {
  const body = new FormData();
  body.set('csrf', session.csrf);
  body.set('file', new File([bytes.slice().buffer], name));
  return fixture.stack.request('/console/people/roster', {
    method: 'POST',
    headers: { origin: publicUrl, cookie: session.cookie },
    body,
  });
}

const post = (session: { cookie: string; csrf: string }, path: string) =>
  fixture.stack.request(path, {
    method: 'POST',
    headers: {
      origin: publicUrl,
      cookie: session.cookie,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ csrf: session.csrf }).toString(),
  });

async function previewOf(session: { cookie: string; csrf: string }, name: string, bytes: Uint8Array) {
  const res = await upload(session, name, bytes);
  expect(res.status, await res.clone().text()).toBe(303);
  const path = res.headers.get('location') ?? '';
  expect(path).toMatch(/^\/console\/people\/roster\/[0-9a-f-]{36}$/);
  return { path, page: await (await get(path, session.cookie)).text() };
}

const rosterCount = async () => (await db().select().from(people).where(isNotNull(people.employeeNo))).length;

describe('the roster in the console', () => {
  it('previews a LibreOffice workbook without writing, imports it, and a second import changes nothing', async () => {
    const admin = await adminSession();
    const before = await rosterCount();
    const { path, page } = await previewOf(admin, '会员花名册.xlsx', file('libreoffice-roster.xlsx'));
    expect(page).toContain('将新增 8 人，更新 0 人，0 人不变，新建单位 5 个。');
    expect(page).toContain('林业局工会 / 太平林场工会 / 营林队');
    expect(page).toContain('张建国');
    expect(await rosterCount()).toBe(before);
    expect(await db().select().from(orgUnits)).toHaveLength(0);

    const done = await post(admin, path);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(path);
    const imported = await (await get(path, admin.cookie)).text();
    expect(imported).toContain('已导入：新增 8 人，更新 0 人，0 人不变，新建单位 5 个。');
    // Posting again (a reload, a second tab) imports nothing twice.
    expect((await post(admin, path)).status).toBe(303);
    expect(await rosterCount()).toBe(before + 8);

    const [zhang] = await db().select().from(people).where(eq(people.employeeNo, '00123'));
    expect(zhang).toMatchObject({
      displayName: '张建国',
      nameSource: 'roster',
      role: 'staff',
      memberSince: '2019-03-01',
    });
    expect(zhang!.phone).not.toContain('13812345678');
    expect(await fixture.stack.keyRing.open(zhang!.phone!)).toBe('13812345678');
    const [zhao] = await db().select().from(people).where(eq(people.employeeNo, 'A-0007'));
    expect(zhao!.role).toBe('officer');
    const list = await (await get('/console/people?q=张建国', admin.cookie)).text();
    expect(list).toContain('张建国');
    expect(list).toContain('太平林场工会');

    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, 'roster.import'));
    expect(audit!.detail).toMatchObject({ created: 8, updated: 0, unitsCreated: 5 });
    const [held] = await db().select().from(rosterImports).where(eq(rosterImports.importedAt, clock));
    expect(held!.rows).toBeNull();

    const again = await previewOf(admin, 'again.csv', file('excel-gbk-roster.csv'));
    expect(again.page).toContain('将新增 0 人，更新 0 人，8 人不变，新建单位 0 个。');
    expect(again.page).toContain('花名册已是最新');
    expect(again.page).not.toContain('确认导入');
  });

  it('updates by 工号 from a workbook the library wrote, and follows a role change up', async () => {
    const admin = await adminSession();
    const exported = await get('/console/people/roster.xlsx', admin.cookie);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('spreadsheetml');
    const book = XLSX.read(new Uint8Array(await exported.arrayBuffer()), {
      type: 'array',
      cellDates: true,
      UTC: true,
    });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.会员!, {
      header: 1,
      raw: true,
      defval: null,
    });
    expect(rows[0]).toEqual(['姓名', '工号', '单位', '手机', '角色', '入会日期']);
    expect(rows).toHaveLength(9);
    const exportAudit = (await db().select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;
    expect(exportAudit).toMatchObject({ action: 'roster.export', detail: { rows: 8, phones: 6 } });

    // Unchanged, it reads back as it is.
    const same = await previewOf(
      admin,
      'export.xlsx',
      new Uint8Array(await (await get('/console/people/roster.xlsx', admin.cookie)).arrayBuffer()),
    );
    expect(same.page).toContain('8 人不变');

    const changed = rows.map((r) => [...r]);
    const li = changed.findIndex((r) => r[1] === '00124');
    changed[li]![3] = '13600009999';
    changed[li]![4] = '工会干部';
    changed[li]![2] = '林业局工会/东风林场工会';
    changed.push(['孙悦', '00200', '林业局工会/新林场工会', '', '', '2024-01-01']);
    const out = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(out, XLSX.utils.aoa_to_sheet(changed, { cellDates: true }), '会员');
    const { path, page } = await previewOf(
      admin,
      'changed.xlsx',
      new Uint8Array(XLSX.write(out, { type: 'array', bookType: 'xlsx' })),
    );
    expect(page).toContain('将新增 1 人，更新 1 人，7 人不变，新建单位 1 个。');
    expect(page).toMatch(/李秀英.*单位、手机、角色/s);
    expect((await post(admin, path)).status).toBe(303);
    const [li2] = await db().select().from(people).where(eq(people.employeeNo, '00124'));
    expect(li2!.role).toBe('officer');
    expect(await fixture.stack.keyRing.open(li2!.phone!)).toBe('13600009999');
    const assigned = await db().select().from(auditLog).where(eq(auditLog.action, 'person.assign'));
    expect(assigned.map((a) => a.subjectId)).toContain(String(li2!.memberNo));
    expect(await rosterCount()).toBe(9);
  });

  it('shows every problem of a bad file with its row and column, and will not import it', async () => {
    const admin = await adminSession();
    const before = await rosterCount();
    const { path, page } = await previewOf(admin, 'bad.xlsx', file('libreoffice-bad-rows.xlsx'));
    expect(page).toContain('有 6 处问题');
    for (const row of [3, 4, 5, 6, 7, 8]) expect(page).toContain(`data-row="${row}"`);
    expect(page).toContain('工号与第 2 行重复。');
    expect(page).toContain('手机号格式不对');
    expect(page).not.toContain('确认导入');
    const refused = await post(admin, path);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('没有导入');
    expect(await rosterCount()).toBe(before);
  });

  it('leaves nothing behind when the import fails halfway', async () => {
    const admin = await adminSession();
    const before = { people: await rosterCount(), units: (await db().select().from(orgUnits)).length };
    const rows = [
      ['姓名', '工号', '单位'],
      ['甲', 'H-1', '半途工会/一队'],
      ['乙', 'H-2', '半途工会/二队'],
      ['FAIL', 'H-3', '半途工会'],
    ];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'S');
    const { path } = await previewOf(
      admin,
      'half.xlsx',
      new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' })),
    );
    // The database itself refuses the third person, after the units and the first rows are written.
    await db().execute(sql`create function refuse_fail() returns trigger language plpgsql as $$
      begin if new.display_name = 'FAIL' then raise exception 'refused by the test'; end if; return new; end $$`);
    await db().execute(
      sql`create trigger refuse_fail before insert on people for each row execute function refuse_fail()`,
    );
    try {
      const res = await post(admin, path);
      expect(res.status).toBe(500);
    } finally {
      await db().execute(sql`drop trigger refuse_fail on people`);
      await db().execute(sql`drop function refuse_fail()`);
    }
    expect(await rosterCount()).toBe(before.people);
    expect((await db().select().from(orgUnits)).length).toBe(before.units);
    // Still held: it can be imported once the cause is gone.
    expect(await (await get(path, admin.cookie)).text()).toContain('确认导入');
  });

  it('refuses what it cannot read, saying why, and holds nothing', async () => {
    const admin = await adminSession();
    const held = (await db().select().from(rosterImports)).length;
    const empty = new FormData();
    empty.set('csrf', admin.csrf);
    const none = await fixture.stack.request('/console/people/roster', {
      method: 'POST',
      headers: { origin: publicUrl, cookie: admin.cookie },
      body: empty,
    });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('请选择要导入的文件');
    const exe = new Uint8Array(2048);
    exe.set([0x4d, 0x5a]);
    const renamed = await upload(admin, 'roster.xlsx', exe);
    expect(renamed.status).toBe(400);
    expect(await renamed.text()).toContain('只能导入 Excel 工作簿（.xlsx）或 CSV');
    const big = await upload(admin, 'big.csv', new Uint8Array(5 * 1024 * 1024 + 10).fill(0x41));
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('5 MB');
    expect((await db().select().from(rosterImports)).length).toBe(held);
    expect(
      (await get('/console/people/roster/00000000-0000-4000-8000-000000000000', admin.cookie)).status,
    ).toBe(404);
  });

  it('exports a CSV that the import reads back unchanged', async () => {
    const admin = await adminSession();
    const csv = await get('/console/people/roster.csv', admin.cookie);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\uFEFF姓名,工号,单位,手机,角色,入会日期')).toBe(true);
    expect(text).toContain('张建国,00123,林业局工会/太平林场工会,13812345678,职工,2019-03-01');
    const { page } = await previewOf(admin, 'export.csv', new TextEncoder().encode(text));
    expect(page).toContain('将新增 0 人，更新 0 人');
  });
});
