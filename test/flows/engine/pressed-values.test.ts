/**
 * Button values come back from the outside world (Lark card callbacks, the web chat) and are
 * checked like typed text: a well-formed value for the current question that is not one of its
 * answers, a press from another question or flow, or an over-long value re-prompts and performs
 * nothing. One test per kind of step, through the real flows.
 */
import { describe, expect, it } from 'vitest';
import { maxActionValueLength } from '../../../bots/core/messenger.ts';
import { buttonsOf, createDialogue, textOf } from '../../support/dialogue.ts';

const description = '检修车间地面常有油污，雨天更滑，已有两人滑倒。建议在通道铺设防滑垫并每日清理。';
const step = (f: string, s: string, v: string) => JSON.stringify({ k: 'step', f, s, v });

/** A suggestion dialogue brought to the given step, with nothing performed yet. */
async function at(stepName: 'title' | 'category' | 'anonymous' | 'confirm') {
  const d = createDialogue();
  await d.say('建议');
  if (stepName === 'title') return d;
  await d.say('检修车间增加防滑垫');
  if (stepName === 'category') return d;
  await d.say('1');
  await d.say(description);
  await d.say('减少滑倒事故');
  if (stepName === 'anonymous') return d;
  await d.say('署名');
  return d;
}

/** Presses `value` and checks the question is asked again with `notice`, nothing changed or done. */
async function refused(d: Awaited<ReturnType<typeof at>>, value: string, notice: string) {
  const before = structuredClone(d.state);
  const performed = d.effects.length;
  const replies = await d.action(value);
  expect(replies[0], value).toMatchObject({ notice });
  expect(d.state?.step, value).toBe(before?.step);
  expect(d.state?.data, value).toEqual(before?.data);
  expect(d.state?.history, value).toEqual(before?.history);
  expect(d.effects.slice(performed), value).toEqual([]);
}

describe('a pressed value at a choice step', () => {
  it('must be one of that step’s options, whatever else it looks like', async () => {
    const d = await at('category');
    const pickOne = '请回复 1–6 的编号，或选项的文字。';
    // Well-formed and addressed to this very question, but not one of its answers: not a number,
    // not an option's label or alias (which only count when typed), not another step's option.
    for (const v of [
      'not-an-option',
      '',
      '1',
      '安全生产',
      'safety ',
      'anonymous',
      'confirm',
      'flow:suggestion',
    ]) {
      await refused(d, step('suggestion', 'category', v), pickOne);
    }
    // The question's own button still answers it.
    const safety = d.last.flatMap(buttonsOf).find((b) => b.label === '安全生产')!;
    expect(safety.value).toBe(step('suggestion', 'category', 'safety'));
    expect(textOf(await d.action(safety.value))).toContain('具体描述');
    expect(d.state?.data).toMatchObject({ category: 'safety' });
  });

  it('cannot choose anonymity by a value the step does not offer', async () => {
    const d = await at('anonymous');
    for (const v of ['maybe', 'yes', '匿名', 'Anonymous', 'signed ']) {
      await refused(d, step('suggestion', 'anonymous', v), '请回复 1–2 的编号，或选项的文字。');
    }
    await d.action(step('suggestion', 'anonymous', 'anonymous'));
    expect(d.state).toMatchObject({ step: 'confirm', data: { anonymous: true } });
  });
});

describe('a pressed value at a confirm step', () => {
  it('confirms only as the confirm button, never as any other value', async () => {
    const d = await at('confirm');
    const confirmOrCancel = '请回复“提交”确认，或“取消”放弃，或“上一步”修改。';
    // Words that confirm when typed do not confirm when pressed: only the button's own value does.
    for (const v of ['yes', '1', '提交', 'CONFIRM', 'confirm ', '', 'cancel']) {
      await refused(d, step('suggestion', 'confirm', v), confirmOrCancel);
    }
    const submit = d.last.flatMap(buttonsOf).find((b) => b.label === '提交')!;
    expect(submit.value).toBe(step('suggestion', 'confirm', 'confirm'));
    expect(textOf(await d.action(submit.value))).toContain('JY-2026-0001');
    expect(d.effects).toHaveLength(1);
  });

  it('does not take a confirm from another question of the flow, or from another flow', async () => {
    const d = await at('confirm');
    const stale = '这个按钮已过期，请按最新的提示操作。';
    await refused(d, step('suggestion', 'anonymous', 'confirm'), stale);
    await refused(d, step('suggestion', 'title', 'confirm'), stale);
    await refused(d, step('motion', 'confirm', 'confirm'), stale);
    await refused(d, step('menu', 'pick', 'flow:suggestion'), stale);
    expect(d.state?.step).toBe('confirm');
  });
});

describe('a pressed value at a text step', () => {
  it('is never taken as the typed answer', async () => {
    const d = await at('title');
    await refused(d, step('suggestion', 'title', '一个伪造的标题'), '这个按钮已过期，请按最新的提示操作。');
    expect(d.state?.data).toEqual({});
    await d.say('真正的标题');
    expect(d.state?.data).toEqual({ title: '真正的标题' });
  });
});

describe('other pressed values', () => {
  it('takes a well-formed value up to the length limit, and refuses one character more unread', async () => {
    const d = await at('category');
    const value = step('suggestion', 'category', 'safety');
    const padded = (length: number) => `${value}${' '.repeat(length - value.length)}`;
    await refused(d, padded(maxActionValueLength + 1), '无法识别这个按钮。');
    await d.action(padded(maxActionValueLength));
    expect(d.state).toMatchObject({ step: 'description', data: { category: 'safety' } });
  });

  it('refuses values that are not the engine’s: other kinds, missing or over-long fields', async () => {
    const d = await at('category');
    const bad = '无法识别这个按钮。';
    for (const value of [
      '{"k":"step","f":"suggestion","s":"category"}',
      '{"k":"press","f":"suggestion","s":"category","v":"safety"}',
      JSON.stringify({ k: 'step', f: 'suggestion', s: 'category', v: 'x'.repeat(201) }),
      JSON.stringify({ k: 'step', f: 'suggestion'.repeat(5), s: 'category', v: 'safety' }),
      '{"k":"word","v":"flow:no-such-flow"}',
      '{"k":"cmd","c":"no-such-command","a":""}',
      '["step","suggestion","category","safety"]',
      'null',
    ]) {
      await refused(d, value, bad);
    }
  });

  it('runs a pressed command as if typed and keeps the question; a word button names its question or none', async () => {
    const d = await at('category');
    const mine = textOf(await d.action('{"k":"cmd","c":"mine","a":"我的"}'));
    expect(mine).toContain('还没有提交');
    expect(d.state?.step).toBe('category');
    // A word button naming this question, or naming no question, acts; one naming another question is stale.
    await refused(
      d,
      '{"k":"word","v":"back","f":"suggestion","s":"title"}',
      '这个按钮已过期，请按最新的提示操作。',
    );
    await refused(
      d,
      '{"k":"word","v":"back","f":"motion","s":"category"}',
      '这个按钮已过期，请按最新的提示操作。',
    );
    await d.action('{"k":"word","v":"back","f":"suggestion"}');
    expect(d.state?.step).toBe('title');
    await d.say('检修车间增加防滑垫');
    await d.action('{"k":"word","v":"back","s":"category"}');
    expect(d.state?.step).toBe('title');
    await d.say('检修车间增加防滑垫');
    await d.action('{"k":"word","v":"back","f":"suggestion","s":"category"}');
    expect(d.state?.step).toBe('title');
  });

  it('does not take a pressed command someone may not use as the answer it carries', async () => {
    const d = await at('title');
    // 任命 is for admins; pressed by staff inside a flow, its text must not become the title.
    await refused(d, '{"k":"cmd","c":"assign","a":"伪造的标题"}', '请先完成或取消当前的“提合理化建议”。');
    expect(d.state?.data).toEqual({});
  });

  it('calls a question’s word button stale once nothing, or only the menu, is open', async () => {
    const d = createDialogue();
    const cancel = '{"k":"word","v":"cancel","f":"suggestion","s":"title"}';
    const none = await d.action(cancel);
    expect(none[0]).toMatchObject({ type: 'choices', notice: '这个按钮已过期，请按最新的提示操作。' });
    expect(d.state?.flow).toBe('menu');
    const atMenu = await d.action(cancel);
    expect(atMenu[0]).toMatchObject({ type: 'choices', notice: '这个按钮已过期，请按最新的提示操作。' });
    expect(d.state?.flow).toBe('menu');
    expect(d.effects).toEqual([]);
  });

  it('takes another flow’s start word typed inside a flow as an answer, checked like any other', async () => {
    const d = await at('title');
    await d.say('求助');
    expect(d.state).toMatchObject({ step: 'category', data: { title: '求助' } });
    await refusedTyped(d, '提案', '请回复 1–6 的编号，或选项的文字。');
    await d.say('1');
    await d.say(description);
    await d.say('跳过');
    await d.say('署名');
    await refusedTyped(d, '建议', '请回复“提交”确认，或“取消”放弃，或“上一步”修改。');
    expect(d.state?.step).toBe('confirm');
  });
});

/** Types `text` and checks the question is asked again with `notice`, nothing changed or done. */
async function refusedTyped(d: Awaited<ReturnType<typeof at>>, text: string, notice: string) {
  const before = structuredClone(d.state);
  const performed = d.effects.length;
  const replies = await d.say(text);
  expect(replies[0], text).toMatchObject({ notice });
  expect(d.state, text).toEqual(before === null ? null : { ...before, expiresAt: d.state?.expiresAt });
  expect(d.effects.slice(performed), text).toEqual([]);
}
