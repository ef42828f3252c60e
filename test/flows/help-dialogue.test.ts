import { describe, expect, it } from 'vitest';
import { maskPhone } from '../../flows/help/flow.ts';
import { createDialogue, textOf } from '../support/dialogue.ts';

const situation = '家中老人重病住院，医药费负担很重，希望申请特殊救助。';

describe('asking for help', () => {
  it('takes kind, situation, urgency and a phone number, and never repeats the situation back', async () => {
    const person = createDialogue();
    const first = textOf(await person.say('求助'));
    expect(first).toContain('加密保存');
    expect(first).toContain('[越冬救助]');
    await person.press('特殊救助（重病、意外等）');
    expect(textOf(await person.say('太短'))).toContain('至少');
    await person.say(situation);
    await person.say('紧急');
    await person.press('打电话给我');
    expect(textOf(await person.say('打电话给我吧'))).toContain('电话号码只能包含数字');
    const confirm = textOf(await person.say('138 1234 5678'));
    expect(confirm).toContain(`已填写 ${[...situation].length} 字`);
    expect(confirm).toContain('电话 138****5678');
    expect(confirm).not.toContain('医药费');
    expect(confirm).not.toContain('1234');
    const receipt = textOf(await person.press('提交'));
    expect(receipt).toContain('BF-2026-0001');
    expect(receipt).toContain('最迟受理时间: 2026-03-03 09:00');
    expect(receipt).not.toContain('医药费');
    expect(person.effects.at(-1)).toEqual({
      type: 'help.create',
      draft: {
        kind: 'special',
        situation,
        urgency: 'very_urgent',
        contact: { way: 'phone', phone: '138 1234 5678' },
      },
    });
  });

  it('can be reached in the chat instead, and works by typed words and numbers', async () => {
    const person = createDialogue();
    await person.say('维权');
    await person.say('6');
    await person.say('单位拖欠三个月工资，想咨询怎样依法维权。');
    await person.say('1');
    await person.say('这里');
    expect(textOf(await person.say('提交'))).toContain('BF-2026-0001');
    expect(person.effects.at(-1)).toMatchObject({
      draft: { kind: 'legal', urgency: 'normal', contact: { way: 'chat' } },
    });
  });

  it('masks phone numbers of any length', () => {
    expect(maskPhone('+86 138-1234-5678')).toBe('861****5678');
    expect(maskPhone('12345')).toBe('1****2345');
    expect(maskPhone('1234')).toBe('****');
  });
});
