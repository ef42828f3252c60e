/**
 * Reminders, sent by the reminders schedule on an injected clock, each once: a person who left a
 * suggestion half-filled is asked the open question again after 15 idle minutes (half the 30 a
 * form is kept) and can carry on; a half-filled help request, whose answers are sealed, is not
 * reminded; an author whose item closed 3 days ago without a rating is asked to rate it.
 */
import { describe, expect, it } from 'vitest';
import { primaryKind } from '../support/databases.ts';
import { bubbleText, useStack, webVisitor } from '../support/stack.ts';

let clock = new Date('2026-12-01T02:00:00Z');
const fixture = useStack({ now: () => clock, env: { CONVERSATION_TIMEOUT_MINUTES: '30' } });
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
const at = (when: string) => {
  clock = new Date(when);
};
const tick = async () => {
  await fixture.stack.services.jobs.tick();
  await fixture.stack.drain();
};

describe(`reminders (${primaryKind})`, () => {
  it('reminds a half-filled suggestion once, after 15 idle minutes, and the form goes on', async () => {
    const person = await webVisitor(fixture.stack);
    await person.say('建议');
    at('2026-12-01T02:01:00Z');
    expect(bubbleText(await person.say('车间门口增设自行车棚'))).toContain('哪一类');
    // Someone else stops in the middle of a help request: sealed answers, no reminder.
    const helped = await webVisitor(fixture.stack);
    await helped.say('求助');
    await helped.say('日常');
    await helped.say('家里老人住院，医药费负担很重，想申请日常困难救助。');

    // The reminders schedule is created on the first tick and looks every five minutes.
    for (const when of ['02:01:30', '02:05:05', '02:10:05', '02:15:05']) {
      at(`2026-12-01T${when}Z`);
      await tick();
      expect(await person.replies(), when).toEqual([]);
    }
    // 02:20: idle for 19 minutes; the form ends at 02:31 (10:31 Shanghai).
    at('2026-12-01T02:20:05Z');
    await tick();
    const reminder = bubbleText(await person.replies());
    expect(reminder).toContain('还没有填完，将于 2026-12-01 10:31 自动结束');
    expect(reminder).toContain('哪一类');
    expect(reminder.split('还没有填完').length - 1).toBe(1);
    expect(await helped.replies()).toEqual([]);

    // Once: later sweeps say nothing, even when the person goes quiet again in the same form.
    at('2026-12-01T02:25:05Z');
    await tick();
    expect(await person.replies()).toEqual([]);
    at('2026-12-01T02:26:00Z');
    expect(bubbleText(await person.say('1'))).toContain('具体');
    for (const when of ['02:45:05', '02:50:05']) {
      at(`2026-12-01T${when}Z`);
      await tick();
      expect(await person.replies(), when).toEqual([]);
    }
    // And the form carries on to the end.
    at('2026-12-01T02:51:00Z');
    await person.say('下班高峰时自行车没地方停，建议在车间门口空地增设一个能停五十辆车的车棚。');
    await person.say('跳过');
    await person.say('署名');
    expect(bubbleText(await person.say('提交'))).toMatch(/JY-\d{4}-\d{4}/);
    expect(await helped.replies()).toEqual([]);
  });

  it('asks the author of an item closed 3 days ago without a rating, once, and not before', async () => {
    at('2026-12-01T03:00:00Z');
    const file = async (title: string) => {
      const person = await webVisitor(fixture.stack);
      await person.say('建议');
      await person.say(title);
      await person.say('1');
      await person.say('建议在这里写清楚现在的问题和具体的改进办法，便于核实。');
      await person.say('跳过');
      await person.say('署名');
      const code = /JY-\d{4}-\d{4}/.exec(bubbleText(await person.say('提交')))![0];
      return { person, code };
    };
    const close = async (code: string) => {
      for (const [status, reply] of [['in_review'], ['accepted', '同意'], ['implemented'], ['closed']]) {
        const res = await api(`/submissions/${code}/status`, { method: 'POST', json: { status, reply } });
        expect(res.status).toBe(200);
      }
      await fixture.stack.drain();
    };
    const quiet = await file('更衣室增加储物柜');
    const rated = await file('浴室延长开放时间');
    at('2026-12-01T04:00:00Z');
    await close(quiet.code);
    await close(rated.code);
    // Both were asked once when their item closed; one of them answered.
    expect(bubbleText(await quiet.person.replies()).split('您对办理结果满意吗').length - 1).toBe(1);
    await rated.person.replies();
    expect(bubbleText(await rated.person.say(`评价 ${rated.code} 满意`))).toContain('感谢您的评价');

    for (const when of ['2026-12-03T04:05:00Z', '2026-12-04T03:55:00Z']) {
      at(when);
      await tick();
      expect(await quiet.person.replies(), when).toEqual([]);
    }
    at('2026-12-04T04:05:00Z');
    await tick();
    const prompt = bubbleText(await quiet.person.replies());
    expect(prompt).toContain(`您的事项 ${quiet.code}“更衣室增加储物柜”已办结。您对办理结果满意吗？`);
    expect(prompt).toContain('[满意]\n[基本满意]\n[不满意]');
    expect(prompt.split('您对办理结果满意吗').length - 1).toBe(1);
    expect(await rated.person.replies()).toEqual([]);

    for (const when of ['2026-12-04T04:10:00Z', '2026-12-06T04:10:00Z']) {
      at(when);
      await tick();
      expect(await quiet.person.replies(), when).toEqual([]);
    }
    // The prompt's button still works.
    expect(bubbleText(await quiet.person.press('基本满意'))).toContain(
      `感谢您的评价：${quiet.code} 基本满意`,
    );
  });
});
