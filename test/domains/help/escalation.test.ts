/**
 * The acknowledgement deadline of help requests, on an injected clock: not yet due, nothing
 * happens; overdue, the admins of the person's unit are told once, in their private chat, with no
 * sensitive text; acknowledged in time, never escalated. A 紧急 request has its own, shorter
 * deadline (HELP_ACK_HOURS_URGENT, 4 hours by default), tells every officer of the unit at once
 * with the urgency in the title, and is marked in the console's list and in the digest.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { submissions } from '../../../db/schema/index.ts';
import { digestMessage } from '../../../flows/commands/digest.ts';
import { digestData } from '../../../src/domains/digest/store.ts';
import { consoleClient } from '../../support/console.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webPerson } from '../../support/stack.ts';

let clock = new Date('2026-11-20T02:00:00Z');
const fixture = useStack({ now: () => clock });
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
const hours = (n: number) => {
  clock = new Date(clock.getTime() + n * 3_600_000);
};

const person = () => webPerson(fixture.stack);

async function askForHelp(visitor: Awaited<ReturnType<typeof person>>['visitor'], urgency = '较急') {
  await visitor.say('求助');
  await visitor.say('越冬');
  await visitor.say('家里暖气坏了，老人怕冷，想申请越冬救助。');
  await visitor.say(urgency);
  await visitor.say('这里');
  return /BF-\d{4}-\d{4}/.exec(bubbleText(await visitor.say('提交')))![0];
}

describe(`help request deadlines (${primaryKind})`, () => {
  it('tells the unit’s admins once when nobody acknowledged a request in 24 hours', async () => {
    const unit = (await (
      await api('/org-units', { method: 'POST', json: { nameZh: '五号林场', nameEn: 'Station Five' } })
    ).json()) as {
      id: string;
    };
    const admin = await person();
    const otherAdmin = await person();
    const staff = await person();
    await api(`/people/${admin.memberNo}`, {
      method: 'PATCH',
      json: { role: 'admin', officerUnitIds: [unit.id] },
    });
    await api(`/people/${otherAdmin.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });
    await api(`/people/${staff.memberNo}`, { method: 'PATCH', json: { orgUnitId: unit.id } });
    await fixture.stack.drain();
    await admin.visitor.replies();
    await otherAdmin.visitor.replies();

    const late = await askForHelp(staff.visitor);
    const answered = await askForHelp(staff.visitor);
    // Told at once that they arrived, without what they say; the unbound admin is not.
    const arrived = bubbleText(await admin.visitor.replies());
    expect(arrived).toContain(`新的求助：${late}`);
    expect(arrived).toContain(`新的求助：${answered}`);
    expect(arrived).not.toContain('暖气');
    expect(bubbleText(await otherAdmin.visitor.replies())).toBe('');
    hours(2);
    expect(
      (await api(`/submissions/${answered}/status`, { method: 'POST', json: { status: 'acknowledged' } }))
        .status,
    ).toBe(200);

    hours(21);
    expect(await fixture.stack.services.jobs.escalate()).toBe(0);
    hours(2);
    expect(await fixture.stack.services.jobs.escalate()).toBe(1);
    await fixture.stack.drain();
    const told = bubbleText(await admin.visitor.replies());
    expect(told).toContain('求助超时未受理');
    expect(told).toContain(late);
    expect(told).toContain('越冬救助');
    expect(told).toContain('较急');
    expect(told).not.toContain(answered);
    expect(told).not.toContain('暖气');
    // Only the admin of that unit; once.
    expect(bubbleText(await otherAdmin.visitor.replies())).toBe('');
    hours(5);
    expect(await fixture.stack.services.jobs.escalate()).toBe(0);
    await fixture.stack.drain();
    expect(bubbleText(await admin.visitor.replies())).toBe('');

    const detail = (await (await api(`/submissions/${late}`)).json()) as { timeline: { type: string }[] };
    expect(detail.timeline.map((e) => e.type)).toContain('escalated');
  });

  it('gives a 紧急 request 4 hours, tells every officer of the unit at once, and marks it', async () => {
    const unit = (await (
      await api('/org-units', { method: 'POST', json: { nameZh: '六号林场', nameEn: 'Station Six' } })
    ).json()) as { id: string };
    const admin = await person();
    const officers = [await person(), await person()];
    const staff = await person();
    await api(`/people/${admin.memberNo}`, {
      method: 'PATCH',
      json: { role: 'admin', officerUnitIds: [unit.id] },
    });
    for (const officer of officers) {
      await api(`/people/${officer.memberNo}`, {
        method: 'PATCH',
        json: { role: 'officer', officerUnitIds: [unit.id] },
      });
      await officer.visitor.replies();
    }
    await api(`/people/${staff.memberNo}`, { method: 'PATCH', json: { orgUnitId: unit.id } });
    await admin.visitor.replies();

    const filedAt = clock;
    const urgent = await askForHelp(staff.visitor, '紧急');
    const routine = await askForHelp(staff.visitor, '一般');
    for (const officer of officers) {
      const arrived = bubbleText(await officer.visitor.replies());
      expect(arrived).toContain(`【紧急】新的求助：${urgent}`);
      expect(arrived).toContain(`新的求助：${routine}`);
      expect(arrived).not.toContain(`【紧急】新的求助：${routine}`);
    }
    expect(bubbleText(await admin.visitor.replies())).toContain(`【紧急】新的求助：${urgent}`);
    const db = fixture.stack.services.ctx.db;
    const dueIn = async (ref: string) => {
      const [row] = await db
        .select({ due: submissions.ackDueAt })
        .from(submissions)
        .where(eq(submissions.referenceCode, ref));
      return row!.due!.getTime() - filedAt.getTime();
    };
    expect(await dueIn(urgent)).toBe(4 * 3_600_000);
    expect(await dueIn(routine)).toBe(24 * 3_600_000);

    // The digest marks it among the deadlines and counts it apart.
    const data = await digestData(db, { items: { all: true }, since: filedAt, until: clock });
    expect(data.deadlines.find((d) => d.referenceCode === urgent)?.urgent).toBe(true);
    expect(data.openHelp.urgent).toBe(1);
    const digest = JSON.stringify(digestMessage(data, 'zh', 'Asia/Shanghai'));
    expect(digest).toContain(`【紧急】${urgent}`);
    expect(digest).not.toContain(`【紧急】${routine}`);

    // The console's list puts it first and marks it.
    const { adminSession, get } = consoleClient(() => fixture.stack, 'http://localhost');
    const { cookie } = await adminSession();
    const list = await (await get('/console/help', cookie)).text();
    const rows = [...list.matchAll(/<tr[^>]*>.*?<\/tr>/gs)].map((m) => m[0]).filter((r) => r.includes('BF-'));
    expect(rows[0]).toContain(urgent);
    expect(rows[0]).toContain('data-urgent');
    expect(rows.find((r) => r.includes(routine))).not.toContain('data-urgent');

    hours(3);
    expect(await fixture.stack.services.jobs.escalate()).toBe(0);
    hours(1);
    expect(await fixture.stack.services.jobs.escalate()).toBe(1);
    await fixture.stack.drain();
    const told = bubbleText(await admin.visitor.replies());
    expect(told).toContain('求助超时未受理');
    expect(told).toContain(urgent);
    expect(told).not.toContain(routine);
  });
});
