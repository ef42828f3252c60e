/**
 * Officers in chat: told of new items of their units with buttons, they read and move items on,
 * and their reply reaches the person; items of other units and non-officers are refused.
 */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/handle.ts';
import { auditLog } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webPerson } from '../../support/stack.ts';

const fixture = useStack();
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);

const person = () => webPerson(fixture.stack);

const unit = async (nameZh: string) =>
  (
    (await (await api('/org-units', { method: 'POST', json: { nameZh, nameEn: nameZh } })).json()) as {
      id: string;
    }
  ).id;

describe(`officers in chat (${primaryKind})`, () => {
  it('notifies the unit’s officers, lets them handle items by button or words, and refuses everyone else', async () => {
    const mine = await unit('六号林场');
    const other = await unit('七号林场');
    const officer = await person();
    const stranger = await person();
    const staff = await person();
    await api(`/people/${officer.memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [mine] },
    });
    await api(`/people/${stranger.memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [other] },
    });
    await api(`/people/${staff.memberNo}`, { method: 'PATCH', json: { orgUnitId: mine } });
    // Each was told of their new role or unit; what follows is about the item.
    await fixture.stack.drain();
    for (const p of [officer, stranger, staff]) await p.visitor.replies();

    await staff.visitor.say('建议');
    await staff.visitor.say('林区道路增设反光标志');
    await staff.visitor.say('1');
    await staff.visitor.say('夜间巡护车辆经过弯道时看不清路边，建议增设反光标志。');
    await staff.visitor.say('跳过');
    await staff.visitor.say('署名');
    const code = /JY-\d{4}-\d{4}/.exec(bubbleText(await staff.visitor.say('提交')))![0];

    const told = bubbleText(await officer.visitor.replies());
    expect(told).toContain(`新的合理化建议：${code}`);
    expect(told).toContain('林区道路增设反光标志');
    expect(told).toContain('[查看]\n[审核中]');
    expect(bubbleText(await stranger.visitor.replies())).toBe('');

    // A button asks for the reply first (nothing moves on a tap alone); then it moves, and the
    // person is told; the officer sees the next steps.
    expect(bubbleText(await officer.visitor.press('审核中'))).toContain('请输入给提出人的答复');
    const moved = bubbleText(await officer.visitor.say('已转后勤处研究'));
    expect(moved).toContain('状态: 审核中');
    expect(moved).toContain('[已采纳]\n[未采纳]');
    expect(bubbleText(await staff.visitor.replies())).toContain('已提交 → 审核中');

    // Declining needs the reason: asked for next, not refused; with it, the reply reaches the person.
    expect(bubbleText(await officer.visitor.say(`办理 ${code} 未采纳`))).toContain('需要说明原因');
    expect(bubbleText(await officer.visitor.say('跳过'))).toContain('需要说明原因');
    await officer.visitor.say('与林区防火规定冲突，改为增设警示牌');
    const notice = bubbleText(await staff.visitor.replies());
    expect(notice).toContain('审核中 → 未采纳');
    expect(notice).toContain('与林区防火规定冲突，改为增设警示牌');
    expect(bubbleText(await officer.visitor.say(`办理 ${code} 已奖励`))).toContain('可改为：已办结');

    // Another unit's officer, and staff, are refused; nothing changes.
    expect(bubbleText(await stranger.visitor.say(`查看 ${code}`))).toContain('不属于您负责的单位');
    expect(bubbleText(await stranger.visitor.say(`办理 ${code} 已办结`))).toContain('不属于您负责的单位');
    expect(bubbleText(await staff.visitor.say(`查看 ${code}`))).toContain('仅限工会干部或管理员使用');
    const status = (await (await api(`/submissions/${code}`)).json()) as { status: string };
    expect(status.status).toBe('not_adopted');
  });

  it('opens a help request for its unit’s officer, audits the read, and keeps the view sealed at rest', async () => {
    const mine = await unit('八号林场');
    const officer = await person();
    const staff = await person();
    await api(`/people/${officer.memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [mine] },
    });
    await api(`/people/${staff.memberNo}`, { method: 'PATCH', json: { orgUnitId: mine } });
    await staff.visitor.say('求助');
    await staff.visitor.say('特殊');
    await staff.visitor.say('上周在林场摔伤住院，手术费还差八千元，请工会帮助。');
    await staff.visitor.say('紧急');
    await staff.visitor.say('这里');
    const code = /BF-\d{4}-\d{4}/.exec(bubbleText(await staff.visitor.say('提交')))![0];
    expect(bubbleText(await officer.visitor.replies())).toContain(`新的求助：${code}`);

    // An officer of another unit is refused, and the attempt is recorded.
    const outsider = await person();
    await api(`/people/${outsider.memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [await unit('十一号林场')] },
    });
    expect(bubbleText(await outsider.visitor.say(`查看 ${code}`))).toContain('不属于您负责的单位');
    const refused = await fixture.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'help_request.read_refused'), eq(auditLog.subjectId, code)));
    expect(refused).toHaveLength(1);

    const view = bubbleText(await officer.visitor.press('查看'));
    expect(view).toContain('上周在林场摔伤住院');
    expect(view).toContain('[已受理]');
    const reads = await fixture.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'help_request.read'), eq(auditLog.subjectId, code)));
    expect(reads.map((r) => r.actorType)).toEqual(['officer']);

    const tables = await queryRows<{ table_name: string }>(
      fixture.database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    );
    for (const { table_name } of tables) {
      const rows = await queryRows(fixture.database.db, sql.raw(`select * from "${table_name}"`));
      expect(JSON.stringify(rows), table_name).not.toContain('手术费还差八千元');
    }
  });
});
