/**
 * The acknowledgement deadline of help requests, on an injected clock: not yet due, nothing
 * happens; overdue, the admins of the person's unit are told once, in their private chat, with no
 * sensitive text; acknowledged in time, never escalated.
 */
import { describe, expect, it } from 'vitest';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webPerson } from '../../support/stack.ts';

let clock = new Date('2026-11-20T02:00:00Z');
const fixture = useStack({ now: () => clock });
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
const hours = (n: number) => {
  clock = new Date(clock.getTime() + n * 3_600_000);
};

const person = () => webPerson(fixture.stack);

async function askForHelp(visitor: Awaited<ReturnType<typeof person>>['visitor']) {
  await visitor.say('求助');
  await visitor.say('越冬');
  await visitor.say('家里暖气坏了，老人怕冷，想申请越冬救助。');
  await visitor.say('紧急');
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
    expect(told).toContain('紧急');
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
});
