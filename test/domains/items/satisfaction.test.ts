/**
 * 满意度: a closed item's author is asked once to rate it, by button or by typing, with an
 * optional comment; early and repeated ratings are refused and change nothing; officers read the
 * figures per period, kind and unit.
 */
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, submissions } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webVisitor } from '../../support/stack.ts';

const fixture = useStack();
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);

async function file(title: string) {
  const person = await webVisitor(fixture.stack);
  await person.say('建议');
  await person.say(title);
  await person.say('1');
  await person.say('建议在这里写清楚现在的问题和具体的改进办法，便于核实。');
  await person.say('跳过');
  await person.say('署名');
  const code = /JY-\d{4}-\d{4}/.exec(bubbleText(await person.say('提交')))![0];
  return { person, code };
}

async function move(code: string, ...steps: [string, string?][]) {
  for (const [status, reply = ''] of steps) {
    const res = await api(`/submissions/${code}/status`, { method: 'POST', json: { status, reply } });
    expect(res.status, `${status}: ${await res.clone().text()}`).toBe(200);
  }
  await fixture.stack.drain();
}

const ratingOf = async (code: string) => {
  const [row] = await fixture.database.db
    .select({ rating: submissions.rating, comment: submissions.ratingComment })
    .from(submissions)
    .where(eq(submissions.referenceCode, code));
  return row;
};

describe(`satisfaction (${primaryKind})`, () => {
  it('asks once after closing, takes a button or a typed rating with a comment, and refuses the rest', async () => {
    const { person, code } = await file('班组活动室添置书架');
    expect(bubbleText(await person.say(`评价 ${code} 满意`))).toContain('还没有办结');
    expect(await ratingOf(code)).toEqual({ rating: null, comment: null });

    await move(code, ['in_review'], ['accepted', '同意，由后勤科采购'], ['implemented'], ['closed']);
    const told = bubbleText(await person.replies());
    expect(told).toContain(`您的事项 ${code}“班组活动室添置书架”已办结`);
    expect(told).toContain('[满意]\n[基本满意]\n[不满意]');
    // Asked once: the prompt is there a single time.
    expect(told.split('您对办理结果满意吗').length - 1).toBe(1);

    // In the middle of something else, a press on the rating still counts, and the form carries on.
    await person.say('建议');
    await person.say('另一条建议的标题');
    const pressed = bubbleText(await person.press('基本满意'));
    expect(pressed).toContain(`感谢您的评价：${code} 基本满意`);
    expect(pressed).toContain('哪一类');
    expect(await ratingOf(code)).toEqual({ rating: 2, comment: null });
    await person.say('取消');

    const audits = async () => (await fixture.database.db.select({ n: count() }).from(auditLog))[0]!.n;
    const before = await audits();
    expect(bubbleText(await person.say(`评价 ${code} 不满意 改主意了`))).toContain('已经评价过了');
    expect(await ratingOf(code)).toEqual({ rating: 2, comment: null });
    expect(await audits()).toBe(before);

    // Someone else's item reads as not found.
    const stranger = await webVisitor(fixture.stack);
    expect(bubbleText(await stranger.say(`评价 ${code} 满意`))).toContain(`没有找到您提交的编号为 ${code}`);

    // Typed, with a comment, on a second item; and the officer sees it on the item.
    const second = await file('食堂增加夜班热餐');
    await move(second.code, ['in_review'], ['not_adopted', '夜班人数少，暂不增加'], ['closed']);
    expect(bubbleText(await second.person.say(`评价 ${second.code} 不满意 夜班也有三十多人`))).toContain(
      '感谢您的评价',
    );
    const detail = (await (await api(`/submissions/${second.code}`)).json()) as {
      rating: number;
      ratingComment: string;
      timeline: { type: string; note: string | null }[];
    };
    expect(detail).toMatchObject({ rating: 3, ratingComment: '夜班也有三十多人' });
    expect(detail.timeline.at(-1)).toMatchObject({ type: 'rated', note: '夜班也有三十多人' });

    // 评价 alone lists what is still waiting (nothing now), and a bad rating word is explained.
    expect(bubbleText(await second.person.say('评价'))).toContain('没有等待您评价');
    expect(bubbleText(await second.person.say(`评价 ${second.code} 还行吧`))).toContain('不是评价');

    // The figures: this month, suggestions, one 基本满意 and one 不满意 → 50%.
    const report = (await (await api('/satisfaction?by=month&kind=suggestion')).json()) as {
      items: {
        period: string;
        rated: number;
        mostlySatisfied: number;
        dissatisfied: number;
        satisfactionRate: number;
      }[];
    };
    const total = report.items.reduce((n, r) => n + r.rated, 0);
    expect(total).toBe(2);
    expect(report.items.reduce((n, r) => n + r.mostlySatisfied, 0)).toBe(1);
    expect(report.items.reduce((n, r) => n + r.dissatisfied, 0)).toBe(1);
    expect(report.items[0]!.period).toMatch(/^\d{4}-\d{2}-01$/);
    expect((await api('/satisfaction?by=year')).status).toBe(400);
    expect((await api('/satisfaction?from=yesterday')).status).toBe(400);
    const none = (await (await api('/satisfaction?from=2001-01-01&to=2001-12-31')).json()) as {
      items: unknown[];
    };
    expect(none.items).toEqual([]);
  });
});
