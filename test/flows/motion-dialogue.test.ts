import { describe, expect, it } from 'vitest';
import { parseMemberNumbers } from '../../flows/motion/draft.ts';
import { createDialogue, textOf } from '../support/dialogue.ts';

describe('filing a congress motion', () => {
  it('is for delegates only', async () => {
    const staff = createDialogue();
    expect(textOf(await staff.say('提案'))).toContain('“职代会提案”仅限职工代表使用');
    expect(textOf(await staff.say('菜单'))).not.toContain('职代会提案');
  });

  it('asks title, reasons, measures, department and co-signers, checking each', async () => {
    const delegate = createDialogue(undefined, { role: 'delegate' });
    expect(textOf(await delegate.say('菜单'))).toContain('职代会提案');
    await delegate.say('提案');
    await delegate.say('建设职工书屋');
    expect(textOf(await delegate.say('太短'))).toContain('至少');
    await delegate.say('林场职工业余生活单调，缺少读书学习的场所。');
    await delegate.say('利用闲置库房改建职工书屋，每年购置新书。');
    await delegate.say('工会办公室');
    expect(textOf(await delegate.say('张三 李四'))).toContain('只输入成员号');
    expect(textOf(await delegate.say('1024'))).toContain('至少需要邀请 2 位');
    const confirm = textOf(await delegate.say('1024，1025 1024'));
    expect(confirm).toContain('邀请附议: 1024 1025');
    const receipt = textOf(await delegate.press('提交'));
    expect(receipt).toContain('TA-2026-0001');
    expect(receipt).toContain('附议截止: 2026-03-09 09:00');
    expect(delegate.effects.at(-1)).toMatchObject({
      type: 'motion.create',
      draft: { title: '建设职工书屋', department: '工会办公室', cosigners: [1024, 1025] },
    });
  });

  it('reads member numbers however they are separated', () => {
    expect(parseMemberNumbers('1024、1025；1026')).toEqual([1024, 1025, 1026]);
    expect(parseMemberNumbers('1024 abc')).toBeNull();
    expect(parseMemberNumbers('  ')).toBeNull();
  });
});
