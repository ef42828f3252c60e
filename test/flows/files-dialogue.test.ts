/**
 * Photos and files in a conversation, as dialogue: a draft keeps what is sent while it is filled in
 * (said back with a count, shown on the summary, carried to the item), refuses a document where
 * only photos go and a tenth file, takes the same file once; outside a form the person is told
 * where files go; a form that takes none says so; a reply goes with the file.
 */
import { describe, expect, it } from 'vitest';
import { createDialogue, textOf } from '../support/dialogue.ts';

const photo = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('files in a conversation', () => {
  it('keeps photos sent while filling in a suggestion, and files them with it', async () => {
    const person = createDialogue();
    await person.say('建议');
    await person.say('食堂增加夜班热餐');
    const held = textOf(await person.file(photo(1)));
    expect(held).toContain(`已收到“${photo(1)}.jpg”（共 1 个附件）`);
    // Still at the same question, asked again under the notice.
    expect(held).toContain('这条建议属于哪一类？');
    expect(textOf(await person.file(photo(1)))).not.toContain('共 2 个');
    await person.say('职工生活福利');
    expect(textOf(await person.say('夜班职工下班时食堂已关门，建议增加夜班热餐。'))).toContain('可发送照片');
    await person.say('跳过');
    const summary = textOf(await person.say('署名'));
    expect(summary).toContain('附件: 1 个');
    const receipt = textOf(await person.say('提交'));
    expect(receipt).toContain('附件: 1 个');
    expect(person.effects.at(-1)).toMatchObject({ type: 'suggestion.create', draft: { files: [photo(1)] } });
  });

  it('refuses a document on a suggestion and a tenth file on a help request', async () => {
    const person = createDialogue();
    await person.say('建议');
    expect(textOf(await person.file('doc-1', '方案.pdf'))).toContain('建议只能附照片');
    await person.say('取消');
    await person.say('求助');
    await person.say('日常');
    for (let n = 1; n <= 9; n++) await person.file(photo(n));
    expect(textOf(person.last)).toContain('共 9 个附件');
    expect(textOf(await person.file(photo(10)))).toContain('每件最多附 9 个文件');
    expect(person.effects.filter((e) => e.type === 'file.hold' && e.accepts === 'any')).toHaveLength(9);
  });

  it('tells where files go outside a form, and that a form without files takes none', async () => {
    const person = createDialogue();
    expect(textOf(await person.file(photo(1)))).toContain('照片和文件请在填写“提建议”或“求助”时发送');
    expect(person.effects.some((e) => e.type === 'file.hold')).toBe(false);
    const delegate = createDialogue(undefined, { role: 'delegate' });
    await delegate.say('提案');
    const refused = textOf(await delegate.file(photo(2)));
    expect(refused).toContain('不能附照片或文件');
  });

  it('sends a file as the reply to an item', async () => {
    const person = createDialogue();
    await person.say('回复 JY-2026-0001');
    await person.file(photo(3), '现场.jpg');
    expect(person.effects.at(-1)).toEqual({
      type: 'item.message',
      referenceCode: 'JY-2026-0001',
      text: '',
      file: { id: photo(3), name: '现场.jpg' },
    });
  });
});
