/**
 * The Lark directory read into the roster, through the real server and the Lark stand-in's contact
 * API. Its departments become units (renamed and moved as the directory says), its people become
 * people with names, 工号, units and sealed phones, verified; a roster entry with the same 工号
 * gets the account, and whoever chatted from that account before is merged into them, items and
 * all. A second sync changes nothing new. Without the contact scope it fails, says which scope,
 * and changes nothing. The reader is checked against the documented answers too.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larkDirectory } from '../../../bots/lark/directory.ts';
import type { LarkTransport } from '../../../bots/lark/transport.ts';
import { auditLog, directorySyncs, orgUnits, people } from '../../../db/schema/index.ts';
import { childrenPage, missingScope, usersPage } from '../../fixtures/lark/contact.ts';
import { consoleClient } from '../../support/console.ts';
import { textMessage } from '../../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../../support/lark-server.ts';
import { adminToken } from '../../support/stack.ts';

let lark: LarkServer;
beforeAll(async () => {
  lark = await startLarkServer({ env: { ADMIN_TOKEN: adminToken } });
});
afterAll(() => lark?.close());

const db = () => lark.database.db;
const sync = () => lark.stack.services.jobs.syncDirectory();

/** A transport answering each path with a fixture, as the platform would. */
const fixtureTransport = (answers: Record<string, unknown>): LarkTransport => ({
  call: async <T>(request: { path: string }) => ({
    status: 200,
    body: answers[request.path] as T,
    rateLimitReset: undefined,
  }),
  download: async () => ({ status: 404 }),
  dropToken: () => undefined,
});

describe('the Lark directory in the roster', () => {
  it('reads the documented answers into units and people', async () => {
    const read = await larkDirectory(
      fixtureTransport({
        '/open-apis/contact/v3/departments/0/children': childrenPage,
        '/open-apis/contact/v3/users/find_by_department': usersPage,
      }),
    ).read();
    expect(read).toMatchObject({
      ok: true,
      units: [
        { key: 'od-4e6ac4d14bcd5071a37a39de902c7141', parentKey: null, name: '林业局工会' },
        {
          key: 'od-8756c3b0d1f6aa2f7f9b87e9d1c2a3b4',
          parentKey: 'od-4e6ac4d14bcd5071a37a39de902c7141',
          name: '太平林场工会',
        },
      ],
    });
    expect(read.ok && read.people).toEqual([
      {
        externalId: 'ou_7dab8a3d3cdcc9da365777c7ad535d62',
        unionId: 'on_94a1ee5551019f18cd73d9f111898cf2',
        name: '张建国',
        employeeNo: '00123',
        mobile: '+8613812345678',
        unitKeys: ['od-8756c3b0d1f6aa2f7f9b87e9d1c2a3b4'],
      },
    ]);
    const denied = await larkDirectory(
      fixtureTransport({ '/open-apis/contact/v3/departments/0/children': missingScope }),
    ).read();
    expect(denied).toMatchObject({ ok: false, reason: 'no_permission' });
    expect(!denied.ok && denied.detail).toContain('contact:contact.base:readonly');
  });

  it('syncs departments and people on demand, binds accounts to the roster, and is refused without the scope', async () => {
    const { standIn } = lark;
    standIn.directory.departments.push(
      { openDepartmentId: 'od-bureau', name: '林业局工会', parent: '0' },
      { openDepartmentId: 'od-taiping', name: '太平林场工会', parent: 'od-bureau' },
    );
    standIn.directory.users.push(
      {
        openId: 'ou_zhang',
        name: '张建国',
        employeeNo: '00123',
        mobile: '+86 138 1234 5678',
        departments: ['od-taiping'],
      },
      ...Array.from({ length: 60 }, (_, i) => ({
        openId: `ou_member${i}`,
        name: `职工${i}`,
        employeeNo: `L${String(i).padStart(4, '0')}`,
        departments: ['od-bureau'],
      })),
      { openId: 'ou_left', name: '已离职', departments: ['od-bureau'], resigned: true },
    );
    // 张建国 is on the union's roster already, and chatted from Lark before anyone knew it was him.
    const [entry] = await db()
      .insert(people)
      .values({ displayName: '张建国', nameSource: 'roster', employeeNo: '00123' })
      .returning();
    await lark.post(textMessage({ openId: 'ou_zhang', chatId: 'oc_zhang', text: '我的' }));
    await lark.stack.drain();

    // Asked for from 人员与单位; nothing runs until the job does.
    const { form, get, adminSession } = consoleClient(() => lark.stack, 'http://localhost');
    const admin = await adminSession();
    const asked = await lark.stack.request(
      '/console/people/directory-sync',
      form({ csrf: admin.csrf }, admin.cookie),
    );
    expect(asked.status).toBe(303);
    expect(await (await get('/console/people?sync=asked', admin.cookie)).text()).toContain('已请求同步');
    expect(await sync()).toBe(true);
    expect(await sync()).toBe(false);

    const units = await db().select().from(orgUnits);
    const taiping = units.find((u) => u.directoryKey === 'lark:od-taiping')!;
    expect(taiping.parentId).toBe(units.find((u) => u.directoryKey === 'lark:od-bureau')!.id);
    const [zhang] = await db().select().from(people).where(eq(people.employeeNo, '00123'));
    expect(zhang!.id).toBe(entry!.id);
    expect(zhang).toMatchObject({ displayName: '张建国', orgUnitId: taiping.id });
    expect(zhang!.verifiedAt).not.toBeNull();
    expect(await lark.stack.keyRing.open(zhang!.phone!)).toBe('13812345678');
    const all = await db().select().from(people);
    expect(all.filter((p) => p.nameSource === 'directory')).toHaveLength(60);
    expect(all.some((p) => p.displayName === '已离职')).toBe(false);
    const [done] = await db().select().from(directorySyncs);
    expect(done).toMatchObject({
      status: 'done',
      result: { unitsCreated: 2, peopleCreated: 60, bound: 1, conflicts: 0 },
    });
    const merged = await db().select().from(auditLog).where(eq(auditLog.action, 'person.merge'));
    expect(merged.map((m) => m.detail)).toEqual([expect.objectContaining({ way: 'directory' })]);
    // His Lark account is his: 我的 there is his roster entry's.
    await lark.post(textMessage({ openId: 'ou_zhang', chatId: 'oc_zhang', text: '我的信息' }));
    await lark.stack.drain();
    const told = JSON.stringify(standIn.sent.filter((m) => m.receiveId === 'oc_zhang').at(-1)?.content);
    expect(told).toContain('张建国');

    // Renamed in Lark: renamed here; nothing new is made.
    standIn.directory.departments[1]!.name = '太平林场工会（新）';
    await lark.stack.request('/console/people/directory-sync', form({ csrf: admin.csrf }, admin.cookie));
    expect(await sync()).toBe(true);
    const [second] = await db().select().from(directorySyncs).where(eq(directorySyncs.id, 2));
    expect(second).toMatchObject({
      status: 'done',
      result: { unitsCreated: 0, unitsUpdated: 1, peopleCreated: 0 },
    });

    // Without the contact scope: failed, with the scope named, nothing changed.
    standIn.directory.denied = true;
    const before = (await db().select().from(people)).length;
    await lark.stack.request('/console/people/directory-sync', form({ csrf: admin.csrf }, admin.cookie));
    expect(await sync()).toBe(true);
    const [third] = await db().select().from(directorySyncs).where(eq(directorySyncs.id, 3));
    expect(third!.status).toBe('failed');
    expect(third!.error).toContain('contact:contact.base:readonly');
    expect((await db().select().from(people)).length).toBe(before);
    expect(await (await get('/console/people', admin.cookie)).text()).toContain(
      'contact:contact.base:readonly',
    );
  });
});
