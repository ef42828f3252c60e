/**
 * The console's help cases and admin sections over real requests into the app: an officer sees
 * only their units' help cases, each read audited and another unit's refused (and audited);
 * schedules, people and the audit log are for admins only; an admin pauses a schedule, changes a
 * role (seen through the officer API), and finds both in the audit log and its CSV.
 */
import { desc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index.ts';
import { askForHelp, consoleClient, createUnit, csrfOf } from '../support/console.ts';
import { type Stack, useStack, webPerson } from '../support/stack.ts';

let clock = new Date('2026-09-01T02:00:00Z');
const publicUrl = 'https://union.example.org';
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });

async function withRole(stack: Stack, role: 'staff' | 'officer', unitId: string) {
  const { visitor, memberNo } = await webPerson(stack);
  const json = { ...(role === 'officer' ? { role, officerUnitIds: [unitId] } : {}), orgUnitId: unitId };
  const res = await stack.api(`/people/${memberNo}`, { method: 'PATCH', json });
  expect(res.status, await res.clone().text()).toBe(200);
  return { visitor, memberNo };
}

const { form, get, adminSession, officerSession } = consoleClient(() => fixture.stack, publicUrl);
const unit = createUnit;
const latestAudit = async () =>
  (await fixture.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;

describe('help cases in the console', () => {
  it('shows an officer only their units’ cases, audits each read and refuses (and audits) another unit’s', async () => {
    const stack = fixture.stack;
    const forestry = await unit(stack, '太平林场工会');
    const mill = await unit(stack, '木材加工厂工会');
    const officer = await withRole(stack, 'officer', forestry);
    const ours = await askForHelp(
      (await withRole(stack, 'staff', forestry)).visitor,
      '爱人下岗，孩子上大学学费两万元，家里实在凑不齐。',
    );
    const theirs = await askForHelp(
      (await withRole(stack, 'staff', mill)).visitor,
      '父亲重病住院，医药费缺口较大，想申请帮助。',
    );

    // A day and an hour later, nobody has acknowledged them (24 hours by default).
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    const { cookie } = await officerSession(officer.visitor);
    const list = await (await get('/console/help', cookie)).text();
    expect(list).toContain(ours);
    expect(list).toContain('受理已超时');
    expect(list).not.toContain(theirs);
    // Nothing sealed is on the list.
    expect(list).not.toContain('学费两万元');
    // Officers are not shown the admins' sections.
    expect(list).not.toContain('/console/schedules');

    const opened = await get(`/console/help/${ours}`, cookie);
    expect(opened.status).toBe(200);
    const page = await opened.text();
    expect(page).toContain('学费两万元');
    expect(page).toContain('13912345678');
    const read = await latestAudit();
    expect(read.action).toBe('help_request.read');
    expect(read.subjectId).toBe(ours);
    expect(read.actorType).toBe('officer');

    // A move the lifecycle does not allow comes back with the reason, and nothing changes.
    const csrf = csrfOf(page);
    const skipped = await stack.request(
      `/console/help/${ours}/status`,
      form({ csrf, status: 'closed' }, cookie),
    );
    expect(skipped.status).toBe(400);
    expect(await skipped.text()).toContain('待受理');
    const acknowledged = await stack.request(
      `/console/help/${ours}/status`,
      form({ csrf, status: 'acknowledged', reply: '已收到，正在核实。' }, cookie),
    );
    expect(acknowledged.status).toBe(200);
    expect(await acknowledged.text()).toContain('已更新');
    expect(await (await get('/console/help', cookie)).text()).not.toContain('受理已超时');

    const other = await get(`/console/help/${theirs}`, cookie);
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain('医药费');
    const refused = await latestAudit();
    expect(refused.action).toBe('help_request.read_refused');
    expect(refused.subjectId).toBe(theirs);

    for (const path of ['/console/schedules', '/console/people', '/console/audit']) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(403);
      const body = await res.text();
      expect(body).toContain('仅对管理员开放');
      expect(body).toContain('admins only');
    }
    expect((await latestAudit()).action).toBe('console.admin_refused');
  });
});

describe('the admins’ sections', () => {
  it('pauses a schedule, changes a role, and finds both in the audit log and its CSV', async () => {
    const stack = fixture.stack;
    const created = await stack.api('/schedules', {
      method: 'POST',
      json: {
        name: '周例会提醒',
        cron: '0 9 * * 1',
        kind: 'message',
        payload: { channel: 'web', chatId: 'nobody', text: '周一例会' },
      },
    });
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as { id: string; no: number };

    const { cookie } = await adminSession();
    const list = await get('/console/schedules', cookie);
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain('周例会提醒');
    expect(listed).toContain('0 9 * * 1');
    const csrf = csrfOf(listed);

    const badCron = await stack.request(
      `/console/schedules/${schedule.no}/cron`,
      form({ csrf, cron: 'every monday', timeZone: 'Asia/Shanghai' }, cookie),
    );
    expect(badCron.status).toBe(400);
    expect(await badCron.text()).toContain('没有修改');
    const badZone = await stack.request(
      `/console/schedules/${schedule.no}/cron`,
      form({ csrf, cron: '0 10 * * 1', timeZone: 'Mars/Olympus' }, cookie),
    );
    expect(badZone.status).toBe(400);

    const paused = await stack.request(`/console/schedules/${schedule.no}/pause`, form({ csrf }, cookie));
    expect(paused.status).toBe(200);
    expect(await paused.text()).toContain('已暂停');
    const viaApi = (await (await stack.api('/schedules')).json()) as {
      items: { id: string; enabled: boolean; cron: string }[];
    };
    const stored = viaApi.items.find((s) => s.id === schedule.id);
    expect(stored).toMatchObject({ enabled: false, cron: '0 9 * * 1' });

    const resumed = await stack.request(`/console/schedules/${schedule.no}/resume`, form({ csrf }, cookie));
    expect(resumed.status).toBe(200);
    const ran = await stack.request(`/console/schedules/${schedule.no}/run`, form({ csrf }, cookie));
    expect(ran.status).toBe(200);
    expect(await ran.text()).toContain('已开始执行');
    expect((await latestAudit()).action).toBe('schedule.run');

    const noName = await stack.request('/console/people/units', form({ csrf, nameZh: ' ' }, cookie));
    expect(noName.status).toBe(400);
    const newUnit = await stack.request(
      '/console/people/units',
      form({ csrf, nameZh: '机修车间工会' }, cookie),
    );
    expect(newUnit.status).toBe(200);
    expect(await newUnit.text()).toContain('机修车间工会');
    expect((await latestAudit()).action).toBe('org_unit.create');

    const { memberNo } = await webPerson(stack);
    const people = await (await get(`/console/people?q=${memberNo}`, cookie)).text();
    expect(people).toContain(`/console/people/${memberNo}`);
    const badRole = await stack.request(`/console/people/${memberNo}`, form({ csrf, role: 'king' }, cookie));
    expect(badRole.status).toBe(400);
    const changed = await stack.request(
      `/console/people/${memberNo}`,
      form({ csrf, role: 'delegate', unit: '' }, cookie),
    );
    // Saved, then the page again at its own address: a reload does not post again.
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe(`/console/people/${memberNo}?saved=1`);
    expect(await (await get(changed.headers.get('location')!, cookie)).text()).toContain('已保存');
    const person = (await (await stack.api(`/people/${memberNo}`)).json()) as { role: string };
    expect(person.role).toBe('delegate');

    const audit = await (await get('/console/audit', cookie)).text();
    expect(audit).toContain('schedule.pause');
    expect(audit).toContain('person.assign');
    const filtered = await (await get('/console/audit?action=schedule.', cookie)).text();
    expect(filtered).toContain('schedule.pause');
    expect(filtered).not.toContain('person.assign');

    const csv = await get('/console/audit.csv', cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const content = new TextDecoder().decode(bytes);
    expect(content).toContain('schedule.pause');
    expect(content).toContain(String(memberNo));
  });
});
