/**
 * Roles and org units: the directory through the officer API, the admin's 角色/单位 commands in
 * chat (refused to everyone else), and items routed to the unit of the person who raised them.
 */
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, officerUnits, people } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webPerson } from '../../support/stack.ts';

const fixture = useStack();

interface Unit {
  id: string;
  pathZh: string;
}
interface Person {
  memberNo: number;
  role: string;
  unit: { zh: string } | null;
  officerUnits: { id: string }[];
  channels: string[];
}

const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);

async function createUnit(nameZh: string, nameEn: string, parentId: string | null = null): Promise<Unit> {
  const res = await api('/org-units', { method: 'POST', json: { nameZh, nameEn, parentId } });
  expect(res.status).toBe(201);
  return (await res.json()) as Unit;
}

/** A new person in the web chat, and their member number as they read it under 我的信息. */
const newPerson = () => webPerson(fixture.stack);

const auditCount = async () => (await fixture.database.db.select({ n: count() }).from(auditLog))[0]!.n;

describe(`roles and org units (${primaryKind})`, () => {
  it('builds the unit tree, refusing bad input with nothing written', async () => {
    const bureau = await createUnit('林业局工会', 'Forestry Bureau Union');
    const station = await createUnit('太平林场工会', 'Taiping Station Union', bureau.id);
    expect(station.pathZh).toBe('林业局工会 / 太平林场工会');
    const before = await auditCount();
    const refusals: [RequestInit & { json?: unknown }, number, string][] = [
      [{ method: 'POST', json: { nameZh: '', nameEn: 'x' } }, 400, 'nameZh'],
      [
        { method: 'POST', json: { nameZh: '甲', nameEn: 'A', parentId: crypto.randomUUID() } },
        400,
        '上级单位',
      ],
      [{ method: 'POST', json: { nameZh: '甲', nameEn: 'A', extra: 1 } }, 400, ''],
    ];
    for (const [init, status, says] of refusals) {
      const res = await api('/org-units', init);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(says);
    }
    expect(
      (await api(`/org-units/${crypto.randomUUID()}`, { method: 'PATCH', json: { nameZh: '乙' } })).status,
    ).toBe(404);
    expect(await auditCount()).toBe(before);
    const renamed = await api(`/org-units/${station.id}`, {
      method: 'PATCH',
      json: { nameEn: 'Taiping Union' },
    });
    expect(((await renamed.json()) as { pathEn: string }).pathEn).toBe(
      'Forestry Bureau Union / Taiping Union',
    );
    const list = (await (await api('/org-units')).json()) as { items: Unit[] };
    expect(list.items.map((u) => u.pathZh)).toEqual(expect.arrayContaining([bureau.pathZh, station.pathZh]));
  });

  it('sets roles, units and handled units; routes items to the unit of whoever raised them', async () => {
    const root = await createUnit('二号局工会', 'Bureau Two Union');
    const team = await createUnit('检修班', 'Repair Team', root.id);
    const elsewhere = await createUnit('三号局工会', 'Bureau Three Union');
    const { visitor, memberNo } = await newPerson();

    // A staff member cannot be given units to handle; nothing changes.
    const refused = await api(`/people/${memberNo}`, {
      method: 'PATCH',
      json: { officerUnitIds: [team.id] },
    });
    expect(refused.status).toBe(400);
    expect(
      await fixture.database.db
        .select({ n: count() })
        .from(officerUnits)
        .innerJoin(people, eq(people.id, officerUnits.personId))
        .where(eq(people.memberNo, memberNo)),
    ).toEqual([{ n: 0 }]);
    expect((await api('/people/99999999', { method: 'PATCH', json: { role: 'officer' } })).status).toBe(404);
    expect((await api('/people/abc')).status).toBe(400);

    const res = await api(`/people/${memberNo}`, { method: 'PATCH', json: { orgUnitId: team.id } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Person).unit?.zh).toBe('检修班');

    // Filed now, the suggestion belongs to the team, and so to the bureau above it.
    await visitor.say('建议');
    await visitor.say('检修工具柜加锁');
    await visitor.say('1');
    await visitor.say('检修工具经常丢失，建议工具柜加锁并登记借用。');
    await visitor.say('跳过');
    await visitor.say('署名');
    const code = /JY-\d{4}-\d{4}/.exec(bubbleText(await visitor.say('提交')))![0];
    const listed = async (unit: string) =>
      (
        (await (await api(`/submissions?unit=${unit}&limit=100`)).json()) as {
          items: { referenceCode: string }[];
        }
      ).items.map((i) => i.referenceCode);
    expect(await listed(team.id)).toContain(code);
    expect(await listed(root.id)).toContain(code);
    expect(await listed(elsewhere.id)).not.toContain(code);

    const officer = await api(`/people/${memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [root.id] },
    });
    const body = (await officer.json()) as Person;
    expect(body).toMatchObject({ role: 'officer', channels: ['web'] });
    expect(body.officerUnits.map((u) => u.id)).toEqual([root.id]);
    const found = (await (await api(`/people?role=officer&unit=${root.id}`)).json()) as { items: Person[] };
    expect(found.items.map((p) => p.memberNo)).toContain(memberNo);

    // Back to staff: no longer handles any unit.
    const staff = (await (
      await api(`/people/${memberNo}`, { method: 'PATCH', json: { role: 'staff' } })
    ).json()) as Person;
    expect(staff.officerUnits).toEqual([]);
    const [entry] = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'person.assign'))
      .orderBy(auditLog.id);
    expect(entry?.actorType).toBe('admin_token');
  });

  it('lets an admin set roles in chat and refuses the command to everyone else', async () => {
    await createUnit('四号林场', 'Station Four');
    const admin = await newPerson();
    const someone = await newPerson();
    const other = await newPerson();
    await api(`/people/${admin.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });

    // Not an admin: refused, and nothing changes.
    const refused = bubbleText(await someone.visitor.say(`角色 ${other.memberNo} 干部`));
    expect(refused).toContain('仅限管理员使用');
    expect(bubbleText(await someone.visitor.say('菜单'))).not.toContain('设置角色');
    const unchanged = (await (await api(`/people/${other.memberNo}`)).json()) as Person;
    expect(unchanged.role).toBe('staff');

    // The admin: by number, role and unit name.
    expect(bubbleText(await admin.visitor.say('菜单'))).toContain('设置角色');
    const done = bubbleText(await admin.visitor.say(`角色 ${other.memberNo} 干部 四号林场`));
    expect(done).toContain('已更新');
    expect(done).toContain('工会干部');
    const changed = (await (await api(`/people/${other.memberNo}`)).json()) as Person;
    expect(changed).toMatchObject({ role: 'officer', unit: { zh: '四号林场' } });
    expect(changed.officerUnits).toHaveLength(1);

    // Mistakes are explained.
    expect(bubbleText(await admin.visitor.say('角色 99999999 干部'))).toContain('没有成员号为 99999999');
    expect(bubbleText(await admin.visitor.say(`角色 ${other.memberNo} 队长`))).toContain('不认识角色“队长”');
    expect(bubbleText(await admin.visitor.say(`单位 ${other.memberNo} 不存在的单位`))).toContain(
      '没有找到这个单位',
    );
    expect(bubbleText(await admin.visitor.say(`角色 ${admin.memberNo} 职工`))).toContain(
      '不能更改自己的角色',
    );
    expect(bubbleText(await admin.visitor.say('角色'))).toContain('用法');
  });
});
