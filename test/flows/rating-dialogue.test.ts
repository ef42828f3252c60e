import { describe, expect, it } from 'vitest';
import { maxRatingComment, parseRating, ratingPrompt } from '../../flows/commands/rating.ts';
import { decodeAction } from '../../flows/engine/actions.ts';
import { buttonsOf, createDialogue, textOf } from '../support/dialogue.ts';

describe('rating an item', () => {
  it('reads the rating word, longest first, and the comment after it', () => {
    expect(parseRating('评价 jy-2026-0001 基本满意')).toEqual({
      kind: 'rate',
      referenceCode: 'JY-2026-0001',
      rating: 2,
      comment: '',
    });
    expect(parseRating('评价 JY-2026-0001 满意 谢谢')).toMatchObject({ rating: 1, comment: '谢谢' });
    expect(parseRating('评价 JY-2026-0001 不满意还没修好')).toMatchObject({ rating: 3, comment: '还没修好' });
    expect(parseRating('rate JY-2026-0001 mostly satisfied fine')).toMatchObject({
      rating: 2,
      comment: 'fine',
    });
    expect(parseRating('评价 JY-2026-0001 3')).toMatchObject({ rating: 3 });
    expect(parseRating('评价 JY-2026-0001 一般')).toEqual({ kind: 'bad_rating', word: '一般' });
    expect(parseRating(`评价 JY-2026-0001 满意 ${'好'.repeat(maxRatingComment + 1)}`)).toEqual({
      kind: 'too_long',
      given: maxRatingComment + 1,
    });
    expect(parseRating('评价')).toEqual({ kind: 'list' });
    expect(parseRating('评价 JY-2026-0001')).toEqual({ kind: 'usage' });
  });

  it('puts the command and its arguments on each button of the prompt', () => {
    const prompt = ratingPrompt({ referenceCode: 'JY-2026-0007', title: '书架' }, 'en');
    const buttons = buttonsOf(prompt);
    expect(buttons.map((b) => b.label)).toEqual(['Satisfied', 'Mostly satisfied', 'Dissatisfied']);
    expect(decodeAction(buttons[2]!.value)).toEqual({ k: 'cmd', c: 'rate', a: '评价 JY-2026-0007 3' });
  });

  it('answers a press in the middle of a form and then asks the form’s question again', async () => {
    const person = createDialogue();
    await person.say('建议');
    await person.say('这是标题');
    person.items.push({
      referenceCode: 'JY-2026-0100',
      kind: 'suggestion',
      title: '旧事项',
      status: 'closed',
      updatedAt: new Date().toISOString(),
    });
    const reply = textOf(await person.action(buttonsOf(ratingPrompt(person.items[0]!, 'zh'))[0]!.value));
    expect(reply).toContain('感谢您的评价：JY-2026-0100 满意');
    expect(reply).toContain('哪一类');
    expect(textOf(await person.action(buttonsOf(ratingPrompt(person.items[0]!, 'zh'))[0]!.value))).toContain(
      '已经评价过了',
    );
    // A made-up command on a button is refused like any tampered value.
    expect(textOf(await person.action(JSON.stringify({ k: 'cmd', c: 'nope', a: 'x' })))).toContain(
      '无法识别这个按钮',
    );
  });
});
