import { describe, expect, it } from 'vitest';
import { buttonsOf, createDialogue, textOf } from '../support/dialogue.ts';

const description = '检修车间地面常有油污，雨天更滑，已有两人滑倒。建议在通道铺设防滑垫并每日清理。';

async function fileSuggestion(d: ReturnType<typeof createDialogue>) {
  await d.say('建议');
  await d.say('检修车间增加防滑垫');
  await d.say('1');
  await d.say(description);
  await d.say('减少滑倒事故');
  await d.say('署名');
  return d.say('提交');
}

describe('suggestion flow, typed', () => {
  it('files a suggestion by numbers and words and gives a reference code', async () => {
    const d = createDialogue();
    expect(textOf(await d.say('建议'))).toContain('标题');
    expect(textOf(await d.say('检修车间增加防滑垫'))).toContain('哪一类');
    expect(textOf(await d.say('1'))).toContain('具体描述');
    expect(textOf(await d.say(description))).toContain('预计');
    expect(textOf(await d.say('减少滑倒事故'))).toContain('匿名');
    const confirm = await d.say('署名');
    expect(confirm[0]?.type).toBe('confirm');
    expect(textOf(confirm)).toContain('安全生产');
    const receipt = textOf(await d.say('提交'));
    expect(receipt).toContain('JY-2026-0001');
    expect(receipt).toContain('已提交');
    expect(d.state).toBeNull();
    expect(d.effects).toEqual([
      {
        type: 'suggestion.create',
        draft: {
          title: '检修车间增加防滑垫',
          category: 'safety',
          description,
          benefit: '减少滑倒事故',
          anonymous: false,
        },
      },
    ]);
  });

  it('takes buttons, and category and anonymity by their words', async () => {
    const d = createDialogue();
    await d.say('菜单');
    await d.press('提合理化建议');
    await d.say('食堂增加夜班热餐 🍜');
    await d.say('福利');
    await d.say(description);
    expect(textOf(await d.press('取消'))).toContain('已取消');
    expect(d.state).toBeNull();

    await d.say('suggest');
    await d.say('Night-shift hot meals 🍜');
    await d.press('职工生活福利');
    await d.say(description);
    await d.say('跳过');
    await d.press('匿名提交');
    const receipt = await d.press('提交');
    expect(textOf(receipt)).toContain('JY-2026-0001');
    expect(d.effects.at(-1)).toMatchObject({
      type: 'suggestion.create',
      draft: { category: 'welfare', benefit: '', anonymous: true, title: 'Night-shift hot meals 🍜' },
    });
  });

  it('lists the person’s items under 我的 with status', async () => {
    const d = createDialogue();
    expect(textOf(await d.say('我的'))).toContain('还没有提交');
    await fileSuggestion(d);
    const mine = textOf(await d.say('我的'));
    expect(mine).toContain('JY-2026-0001 检修车间增加防滑垫');
    expect(mine).toContain('已提交');
    expect(mine).toContain('2026-03-02 09:00');
  });
});

describe('engine words and bad input', () => {
  it('goes back a step with 上一步 and keeps earlier answers', async () => {
    const d = createDialogue();
    await d.say('建议');
    await d.say('标题一二三');
    expect(textOf(await d.say('上一步'))).toContain('标题');
    expect(d.state?.step).toBe('title');
    expect(textOf(await d.say('上一步'))).toContain('已经是第一步');
    await d.say('新的标题');
    expect(d.state?.data).toEqual({ title: '新的标题' });
  });

  it('refuses text over the limit with the limit stated, and keeps asking', async () => {
    const d = createDialogue();
    await d.say('建议');
    const reply = textOf(await d.say('长'.repeat(10_000)));
    expect(reply).toContain('最多 60 字，您输入了 10000 字');
    expect(d.state?.step).toBe('title');
    const short = textOf(await d.say('短'));
    expect(short).toContain('至少 2 字');
  });

  it('counts emoji and mixed scripts as people do', async () => {
    const d = createDialogue();
    await d.say('建议');
    await d.say(`${'👍'.repeat(59)}a`);
    expect(d.state?.step).toBe('category');
    expect(d.state?.data).toHaveProperty('title', `${'👍'.repeat(59)}a`);
  });

  it('re-prompts on empty, whitespace and unknown choices', async () => {
    const d = createDialogue();
    await d.say('建议');
    expect(textOf(await d.say('   \u3000  '))).toContain('没有收到内容');
    await d.say('合适的标题');
    expect(textOf(await d.say('7'))).toContain('请回复 1–6');
    expect(textOf(await d.say('不知道'))).toContain('请回复 1–6');
    expect(d.state?.step).toBe('category');
  });

  it('cancels with 取消 and writes nothing', async () => {
    const d = createDialogue();
    await d.say('建议');
    await d.say('合适的标题');
    expect(textOf(await d.say('取消'))).toContain('已取消');
    expect(d.state).toBeNull();
    expect(d.effects).toEqual([]);
    expect(textOf(await d.say('取消'))).toContain('没有进行中');
  });

  it('answers unknown words with the menu, and a number picks from it', async () => {
    const d = createDialogue();
    const reply = textOf(await d.say('今天天气怎么样'));
    expect(reply).toContain('没有听懂');
    expect(reply).toContain('[提合理化建议]');
    expect(textOf(await d.say('1'))).toContain('标题');
  });

  it('ends an abandoned flow after 30 minutes and tells the person', async () => {
    const d = createDialogue();
    await d.say('建议');
    await d.say('合适的标题');
    d.wait(31);
    const reply = textOf(await d.say('1'));
    expect(reply).toContain('超过 30 分钟');
    expect(d.effects).toEqual([]);
  });

  it('treats a button from an earlier question as stale', async () => {
    const d = createDialogue();
    await d.say('建议');
    await d.say('合适的标题');
    const categoryButton = d.last[0]?.type === 'choices' ? d.last[0].choices[0]!.value : '';
    await d.say('安全');
    expect(textOf(await d.action(categoryButton))).toContain('按钮已过期');
    expect(d.state?.step).toBe('description');
    expect(textOf(await d.action('{"k":"step","f":"suggestion"'))).toContain('无法识别');
    expect(textOf(await d.action('x'.repeat(5000)))).toContain('无法识别');
  });

  it('switches to English, remembers it, and speaks English everywhere', async () => {
    const d = createDialogue();
    expect(textOf(await d.say('English'))).toContain('Language set to English');
    expect(d.lang).toBe('en');
    expect(textOf(await d.say('suggest'))).toContain('one-line title');
    expect(textOf(await d.say('x'))).toContain('at least 2 characters');
    expect(textOf(await d.say('中文'))).toContain('已切换为中文');
    expect(d.state?.step).toBe('title');
  });

  it('drops state stored by another version of the flow, and says so', async () => {
    const d = createDialogue();
    await d.say('建议');
    await d.say('合适的标题');
    d.restore({ ...d.state!, version: 0 });
    const reply = textOf(await d.say('1'));
    expect(reply).toContain('流程已更新');
    expect(d.state?.flow).toBe('menu');
    expect(d.effects).toEqual([]);
  });

  it('drops stored data that no longer validates', async () => {
    const d = createDialogue();
    await d.say('建议');
    d.restore({ ...d.state!, data: { title: 42 } });
    expect(textOf(await d.say('合适的标题'))).toContain('流程已更新');
  });

  it('answers 我的 inside a flow and carries on with the same question', async () => {
    const d = createDialogue();
    await d.say('建议');
    await d.say('合适的标题');
    const reply = textOf(await d.say('我的'));
    expect(reply).toContain('还没有提交');
    expect(reply).toContain('哪一类');
    expect(d.state?.step).toBe('category');
    expect(d.state?.data).toEqual({ title: '合适的标题' });
  });

  it('never takes a pressed word as an answer', async () => {
    const d = createDialogue();
    await d.say('建议');
    const mine = textOf(await d.action('{"k":"word","v":"cmd:mine"}'));
    expect(mine).toContain('还没有提交');
    expect(d.state?.data).toEqual({});
    const again = textOf(await d.action('{"k":"word","v":"flow:suggestion"}'));
    expect(again).toContain('请先完成或取消');
    expect(d.state?.step).toBe('title');
    expect(d.state?.data).toEqual({});
  });

  it('treats 取消 and 上一步 from an earlier question as stale', async () => {
    const d = createDialogue();
    await d.say('建议');
    const oldCancel = d.last.flatMap(buttonsOf).find((b) => b.label === '取消')!.value;
    await d.say('合适的标题');
    expect(textOf(await d.action(oldCancel))).toContain('按钮已过期');
    expect(d.state?.step).toBe('category');
    const cancel = d.last.flatMap(buttonsOf).find((b) => b.label === '取消')!.value;
    expect(textOf(await d.action(cancel))).toContain('已取消');
    expect(d.state).toBeNull();
  });

  it('treats invisible characters alone as an empty message', async () => {
    const d = createDialogue();
    await d.say('建议');
    expect(textOf(await d.say('\u200b\u200b\u2060\u00ad'))).toContain('没有收到内容');
    expect(d.state?.step).toBe('title');
    await d.say('防\u200b滑\u00ad垫');
    expect(d.state?.data).toEqual({ title: '防滑垫' });
  });

  it('after an expiry notice, shows the menu without saying it did not understand', async () => {
    const d = createDialogue();
    await d.say('建议');
    d.wait(45);
    const reply = textOf(await d.say('检修车间增加防滑垫'));
    expect(reply).toContain('超过 30 分钟');
    expect(reply).not.toContain('没有听懂');
    expect(reply).toContain('[提合理化建议]');
  });

  it('shows one of the person’s items when they send its reference code', async () => {
    const d = createDialogue();
    await fileSuggestion(d);
    const reply = textOf(await d.say('jy-2026-0001'));
    expect(reply).toContain('JY-2026-0001 检修车间增加防滑垫');
    expect(reply).toContain('状态: 已提交');
    expect(textOf(await d.say('JY-2026-0999'))).toContain('没有找到您提交的编号为 JY-2026-0999');
  });
});
