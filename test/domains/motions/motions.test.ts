/**
 * Congress motions: only delegates file them; invited delegates co-sign or decline by button or
 * words (never twice, never their own, never uninvited); at the deadline a motion with too few
 * co-signers becomes a suggestion and its author is told why; one with enough goes to review.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { submissions } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webPerson } from '../../support/stack.ts';

let clock = new Date('2026-11-20T02:00:00Z');
const fixture = useStack({ now: () => clock });
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
const days = (n: number) => {
  clock = new Date(clock.getTime() + n * 86_400_000);
};

async function person(role?: string) {
  const someone = await webPerson(fixture.stack);
  if (role) await api(`/people/${someone.memberNo}`, { method: 'PATCH', json: { role } });
  return someone;
}

async function fileMotion(author: Awaited<ReturnType<typeof person>>, title: string, invite: number[]) {
  await author.visitor.say('提案');
  await author.visitor.say(title);
  await author.visitor.say('职工通勤班车线路多年未调整，新建小区的职工上下班很不方便。');
  await author.visitor.say('调查职工住址分布，增设新区站点，并在冬季提前十分钟发车。');
  await author.visitor.say('行政后勤部');
  await author.visitor.say(invite.join(' '));
  return bubbleText(await author.visitor.say('提交'));
}

describe(`congress motions (${primaryKind})`, () => {
  it('gathers co-signers and converts a motion that did not get enough by the deadline', async () => {
    const author = await person('delegate');
    const b = await person('delegate');
    const c = await person('delegate');
    const staff = await person();

    expect(bubbleText(await staff.visitor.say('提案'))).toContain('仅限职工代表使用');

    const receipt = await fileMotion(author, '调整职工通勤班车线路', [
      b.memberNo,
      c.memberNo,
      staff.memberNo,
      author.memberNo,
    ]);
    const code = /TA-\d{4}-\d{4}/.exec(receipt)![0];
    expect(receipt).toContain(`已邀请：${[b.memberNo, c.memberNo].sort((x, y) => x - y).join(' ')}`);
    expect(receipt).toContain(`未能邀请`);
    expect(receipt).toContain(String(staff.memberNo));

    const invitation = bubbleText(await b.visitor.replies());
    expect(invitation).toContain(`邀请您附议职代会提案：${code}「调整职工通勤班车线路」`);
    expect(invitation).toContain('[附议]\n[不附议]');
    expect(bubbleText(await b.visitor.press('附议'))).toContain(`已记录您对 ${code} 的附议（目前 1/2 位）`);
    expect(bubbleText(await b.visitor.press('附议'))).toContain('已经回复过');
    expect(bubbleText(await c.visitor.say(`附议 ${code} 不同意`))).toContain(`您不附议 ${code}`);
    expect(bubbleText(await staff.visitor.say(`附议 ${code} 同意`))).toContain('仅限职工代表使用');
    expect(bubbleText(await author.visitor.say(`附议 ${code} 同意`))).toContain('不能附议自己的提案');

    days(6);
    expect(await fixture.stack.services.jobs.convertMotions()).toBe(0);
    days(2);
    expect(await fixture.stack.services.jobs.convertMotions()).toBe(1);
    expect(await fixture.stack.services.jobs.convertMotions()).toBe(0);
    await fixture.stack.drain();
    const told = bubbleText(await author.visitor.replies());
    expect(told).toContain('提案已转为合理化建议');
    expect(told).toContain('附议人数为 1 位，未达到 2 位');
    const suggestion = /JY-\d{4}-\d{4}/.exec(told)![0];
    const motion = (await (await api(`/submissions/${code}`)).json()) as { status: string };
    expect(motion.status).toBe('converted');
    const converted = (await (await api(`/submissions/${suggestion}`)).json()) as {
      kind: string;
      title: string;
    };
    expect(converted).toMatchObject({ kind: 'suggestion', title: '调整职工通勤班车线路' });
    // Too late to co-sign now.
    expect(bubbleText(await c.visitor.say(`附议 ${code} 同意`))).toContain('已经回复过');
  });

  it('sends a motion with enough co-signers to review, and tells its author', async () => {
    const author = await person('delegate');
    const b = await person('delegate');
    const c = await person('delegate');
    const code = /TA-\d{4}-\d{4}/.exec(
      await fileMotion(author, '增设职工子女托管班', [b.memberNo, c.memberNo]),
    )![0];
    await b.visitor.say(`附议 ${code} 同意`);
    await c.visitor.say(`附议 ${code} 同意`);
    await fixture.stack.drain();
    expect(bubbleText(await author.visitor.replies())).toContain(`${code} 已有 2 位代表附议，已提交审查`);
    days(8);
    expect(await fixture.stack.services.jobs.convertMotions()).toBe(0);
    const motion = (await (await api(`/submissions/${code}`)).json()) as {
      status: string;
      nextStatuses: string[];
    };
    expect(motion).toMatchObject({
      status: 'submitted',
      nextStatuses: ['registered', 'converted', 'declined'],
    });
    // In review an officer may handle it as a suggestion instead; the author finds both under 我的.
    const res = await api(`/submissions/${code}/status`, {
      method: 'POST',
      json: { status: 'converted', reply: '属于后勤日常管理事项，按合理化建议办理' },
    });
    expect(res.status).toBe(200);
    await fixture.stack.drain();
    expect(bubbleText(await author.visitor.replies())).toContain('征集附议 → 已转为建议');
    const mine = bubbleText(await author.visitor.say('我的'));
    expect(mine).toContain(`${code} 增设职工子女托管班`);
    expect(mine).toMatch(/JY-\d{4}-\d{4} 增设职工子女托管班/);
  });

  it('goes the whole way: registered, assigned, answered B, not satisfied, answered again, satisfied, closed', async () => {
    const unit = (
      (await (
        await api('/org-units', { method: 'POST', json: { nameZh: '九号林场', nameEn: 'Nine' } })
      ).json()) as {
        id: string;
      }
    ).id;
    const elsewhere = (
      (await (
        await api('/org-units', { method: 'POST', json: { nameZh: '十号林场', nameEn: 'Ten' } })
      ).json()) as {
        id: string;
      }
    ).id;
    const author = await person('delegate');
    const b = await person('delegate');
    const c = await person('delegate');
    const officer = await person();
    const outsider = await person();
    await api(`/people/${author.memberNo}`, { method: 'PATCH', json: { orgUnitId: unit } });
    await api(`/people/${officer.memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [unit] },
    });
    await api(`/people/${outsider.memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [elsewhere] },
    });
    await officer.visitor.replies();

    const code = /TA-\d{4}-\d{4}/.exec(
      await fileMotion(author, '建设职工健身活动室', [b.memberNo, c.memberNo]),
    )![0];
    expect(bubbleText(await officer.visitor.replies())).toContain(`新的职代会提案：${code}`);
    // Not yet co-signed: it cannot be registered.
    expect(bubbleText(await officer.visitor.say(`办理 ${code} 已立案`))).toContain('附议人数还不够');
    expect(bubbleText(await b.visitor.replies())).toContain(code);
    await b.visitor.press('附议');
    await c.visitor.say(`附议 ${code} 同意`);
    await fixture.stack.drain();
    expect(bubbleText(await author.visitor.replies())).toContain('已有 2 位代表附议');

    expect(bubbleText(await officer.visitor.say(`办理 ${code} 已立案`))).toContain('状态: 已立案');
    expect(bubbleText(await author.visitor.replies())).toContain('征集附议 → 已立案');
    expect(bubbleText(await officer.visitor.say(`办理 ${code} 承办中 请工会办公室牵头`))).toContain(
      '状态: 承办中',
    );
    expect(bubbleText(await author.visitor.replies())).toContain('已立案 → 承办中');

    // Only the unit's officer may answer, and only with a grade from A to D.
    expect(bubbleText(await outsider.visitor.say(`办理 ${code} 已答复 B 好的`))).toContain(
      '不属于您负责的单位',
    );
    expect(bubbleText(await officer.visitor.say(`办理 ${code} 已答复 已在安排`))).toContain('要写明类别');
    const badGrade = await api(`/submissions/${code}/status`, {
      method: 'POST',
      json: { status: 'answered', reply: '好', grade: 'E' },
    });
    expect(badGrade.status).toBe(400);

    await officer.visitor.say(`办理 ${code} 已答复 B 已列入明年预算，选址在二号楼一层`);
    let told = bubbleText(await author.visitor.replies());
    expect(told).toContain('承办中 → 已答复');
    expect(told).toContain('答复类别: B 正在解决');
    expect(told).toContain('已列入明年预算');
    expect(told).toContain('您对办理结果满意吗');

    // Not satisfied: back to the department, and the officer is told.
    const reopened = bubbleText(await author.visitor.say(`评价 ${code} 不满意 明年太晚了`));
    expect(reopened).toContain('感谢您的评价');
    const officerTold = bubbleText(await officer.visitor.replies());
    expect(officerTold).toContain(`提案人对答复不满意：${code}`);
    expect(officerTold).toContain('明年太晚了');
    let detail = (await (await api(`/submissions/${code}`)).json()) as { status: string; rating: number };
    expect(detail).toMatchObject({ status: 'assigned', rating: 3 });
    expect(bubbleText(await author.visitor.say(`评价 ${code} 满意`))).toContain('还没有办结');

    await officer.visitor.say(`办理 ${code} 已答复 A 已调剂工会活动经费，本季度内建成`);
    told = bubbleText(await author.visitor.replies());
    expect(told).toContain('答复类别: A 已解决');
    await author.visitor.press('满意');
    detail = (await (await api(`/submissions/${code}`)).json()) as { status: string; rating: number };
    expect(detail).toMatchObject({ status: 'closed', rating: 1 });
    expect(bubbleText(await author.visitor.say(`评价 ${code} 不满意`))).toContain('已经评价过了');
  });

  it('groups motions by the open congress session and gives a registered one more time, with the reason', async () => {
    const first = await api('/congress-sessions', {
      method: 'POST',
      json: { nameZh: '第十届三次职代会', nameEn: '10th Congress, 3rd Session', open: true },
    });
    expect(first.status).toBe(201);
    const session = (await first.json()) as { id: string; open: boolean };
    expect(session.open).toBe(true);
    expect(
      (await api('/congress-sessions', { method: 'POST', json: { nameZh: '', nameEn: 'x' } })).status,
    ).toBe(400);

    const author = await person('delegate');
    const b = await person('delegate');
    const c = await person('delegate');
    const code = /TA-\d{4}-\d{4}/.exec(
      await fileMotion(author, '职工食堂延长晚餐时间', [b.memberNo, c.memberNo]),
    )![0];
    const [row] = await fixture.database.db
      .select({ sessionId: submissions.sessionId })
      .from(submissions)
      .where(eq(submissions.referenceCode, code));
    expect(row?.sessionId).toBe(session.id);

    // Not registered yet: no deadline to move.
    const early = await api(`/submissions/${code}/extend`, {
      method: 'POST',
      json: { days: 30, reason: '需要调研' },
    });
    expect(early.status).toBe(409);
    await b.visitor.say(`附议 ${code} 同意`);
    await c.visitor.say(`附议 ${code} 同意`);
    expect(
      (await api(`/submissions/${code}/status`, { method: 'POST', json: { status: 'registered' } })).status,
    ).toBe(200);
    const due = ((await (await api(`/submissions/${code}`)).json()) as { answerDueAt: string }).answerDueAt;
    expect(Date.parse(due) - clock.getTime()).toBe(90 * 86_400_000);

    expect(
      (await api(`/submissions/${code}/extend`, { method: 'POST', json: { days: 0, reason: 'x' } })).status,
    ).toBe(400);
    const extended = await api(`/submissions/${code}/extend`, {
      method: 'POST',
      json: { days: 30, reason: '需与餐饮公司重新签订合同' },
    });
    expect(extended.status).toBe(200);
    expect(
      Date.parse(((await extended.json()) as { answerDueAt: string }).answerDueAt) - Date.parse(due),
    ).toBe(30 * 86_400_000);
    await fixture.stack.drain();
    const told = bubbleText(await author.visitor.replies());
    expect(told).toContain('提案答复期限已延长');
    expect(told).toContain('需与餐饮公司重新签订合同');
  });

  it('declines only with a reason, and lets the department send a motion back within 7 days only', async () => {
    const author = await person('delegate');
    const b = await person('delegate');
    const c = await person('delegate');
    const move = (code: string, json: Record<string, unknown>) =>
      api(`/submissions/${code}/status`, { method: 'POST', json });
    const file = async (title: string) => {
      const code = /TA-\d{4}-\d{4}/.exec(await fileMotion(author, title, [b.memberNo, c.memberNo]))![0];
      await b.visitor.say(`附议 ${code} 同意`);
      await c.visitor.say(`附议 ${code} 同意`);
      return code;
    };

    const declined = await file('统一更换办公座椅');
    const noReason = await move(declined, { status: 'declined' });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { error: { message: string } }).error.message).toContain('不予立案');
    expect(
      (await move(declined, { status: 'declined', reply: '已列入行政年度采购计划，不需立案' })).status,
    ).toBe(200);
    await fixture.stack.drain();
    expect(bubbleText(await author.visitor.replies())).toContain('已列入行政年度采购计划');

    const code = await file('完善夜班补贴标准');
    expect((await move(code, { status: 'registered' })).status).toBe(200);
    expect((await move(code, { status: 'assigned', department: '人力资源部' })).status).toBe(200);
    const assigned = (await (await api(`/submissions/${code}`)).json()) as {
      details: { department: string };
    };
    expect(assigned.details.department).toBe('人力资源部');
    days(3);
    expect((await move(code, { status: 'registered', reply: '不属于本部门职责' })).status).toBe(200);
    expect((await move(code, { status: 'assigned', department: '财务部' })).status).toBe(200);
    days(8);
    const late = await move(code, { status: 'registered', reply: '请改派' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { message: string } }).error.message).toContain('超过 7 天');
  });
});
