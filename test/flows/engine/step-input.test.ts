/**
 * How the engine reads what arrives for a step, on a small flow of its own: a schema's refusal is
 * re-prompted with the reason, 跳过 skips only an optional step, messages it cannot read and
 * welcomes leave the conversation where it was. The engine's contract, independent of any real flow.
 */

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { InboundContent, Outbound } from '../../../bots/core/messenger.ts';
import type { Effect } from '../../../flows/effects.ts';
import { createEngine } from '../../../flows/engine/engine.ts';
import { textInput } from '../../../flows/engine/inputs.ts';
import {
  type ConversationState,
  defineFlow,
  type EffectPort,
  type FlowContext,
  finishWith,
  goto,
} from '../../../flows/engine/types.ts';

interface Data {
  code?: string;
  note?: string;
}

/** Member number (six digits, a schema of its own), an optional note, then a confirmation. */
const flow = defineFlow<Data>({
  name: 'probe',
  version: 1,
  title: { zh: '测试流程', en: 'Probe' },
  words: ['测试', 'probe'],
  data: z.object({ code: z.string().optional(), note: z.string().optional() }),
  initial: () => ({}),
  first: 'code',
  steps: {
    code: {
      kind: 'text',
      prompt: () => ({ zh: '请输入六位工号', en: 'Your six-digit number' }),
      maxLength: 6,
      input: z.string().regex(/^\d{6}$/),
      next: (code, data) => goto('note', { ...data, code }),
    },
    note: {
      kind: 'text',
      prompt: () => ({ zh: '备注', en: 'A note' }),
      maxLength: 20,
      optional: true,
      input: textInput({ min: 2, max: 20 }),
      next: (note, data) => goto('done', { ...data, note }),
    },
    done: {
      kind: 'confirm',
      title: () => ({ zh: '确认', en: 'Confirm' }),
      fields: () => [],
      prompt: () => ({ zh: '提交吗？', en: 'Submit?' }),
      confirmLabel: { zh: '提交', en: 'Submit' },
      next: (data) => finishWith(() => [{ type: 'text', text: `done ${JSON.stringify(data)}` }]),
    },
  },
});

function conversation(chatType: 'private' | 'group' = 'private') {
  const engine = createEngine({ flows: [flow], commands: [], timeoutMinutes: 30 });
  const effects: Effect[] = [];
  const port: EffectPort = {
    perform(effect) {
      effects.push(effect);
      throw new Error(`no effect expected, got ${effect.type}`);
    },
  };
  let state: ConversationState | null = null;
  let last: Outbound[] = [];
  const ctx: FlowContext = {
    now: new Date('2026-03-02T01:00:00Z'),
    lang: 'zh',
    timeZone: 'Asia/Shanghai',
    chatType,
    role: 'staff',
  };
  return {
    async send(content: InboundContent) {
      const result = await engine.handle({ state, content, ctx, port });
      state = result.state;
      last = result.replies;
      return last;
    },
    say(text: string) {
      return this.send({ type: 'text', text });
    },
    get state() {
      return state;
    },
    effects,
  };
}

const noticeOf = (replies: Outbound[]) =>
  replies[0] && 'notice' in replies[0] ? replies[0].notice : undefined;

describe('answers to a text step', () => {
  it('re-prompts with “not valid” when the step’s own schema refuses the answer', async () => {
    const c = conversation();
    await c.say('测试');
    for (const said of ['12345', 'abcdef', '1234567']) {
      expect(noticeOf(await c.say(said)), said).toBe('输入无效，请重新输入。');
      expect(c.state).toMatchObject({ step: 'code', data: {} });
    }
    await c.say('123456');
    expect(c.state).toMatchObject({ step: 'note', data: { code: '123456' } });
  });

  it('skips an optional step with 跳过, and states the limits of an answer too short', async () => {
    const c = conversation();
    await c.say('测试');
    await c.say('123456');
    expect(noticeOf(await c.say('短'))).toBe('内容过短：至少 2 字，您输入了 1 字。');
    await c.say('跳过');
    expect(c.state).toMatchObject({ step: 'done', data: { code: '123456', note: '' } });
  });

  it('takes 跳过 as an answer at a step that is not optional', async () => {
    const c = conversation();
    await c.say('测试');
    expect(noticeOf(await c.say('跳过'))).toBe('输入无效，请重新输入。');
    expect(c.state).toMatchObject({ step: 'code', data: {} });
  });

  it('confirms with 1, the number of the confirm button, as well as with 提交', async () => {
    const c = conversation();
    await c.say('测试');
    await c.say('123456');
    await c.say('跳过');
    expect(noticeOf(await c.say('2'))).toBe('请回复“提交”确认，或“取消”放弃，或“上一步”修改。');
    expect((await c.say('1'))[0]).toEqual({ type: 'text', text: 'done {"code":"123456","note":""}' });
    expect(c.state).toBeNull();
    expect(c.effects).toEqual([]);
  });
});

describe('messages that are not answers', () => {
  it('asks for text when a picture or file arrives, in a flow or not', async () => {
    const c = conversation();
    await c.say('测试');
    const inFlow = await c.send({ type: 'unsupported', kind: 'image' });
    expect(noticeOf(inFlow)).toBe('目前只能处理文字消息，请用文字回复。');
    expect(c.state).toMatchObject({ flow: 'probe', step: 'code' });
    await c.say('取消');
    const outside = await c.send({ type: 'unsupported', kind: 'file' });
    expect(noticeOf(outside)).toBe('目前只能处理文字消息，请用文字回复。');
    expect(c.state?.flow).toBe('menu');
  });

  it('welcomes with the menu in private, says nothing in the middle of a flow, and greets a group', async () => {
    const c = conversation();
    const welcome = await c.send({ type: 'welcome' });
    expect(welcome).toHaveLength(1);
    expect(welcome[0]).toMatchObject({ type: 'choices' });
    expect(noticeOf(welcome)).toBeUndefined();
    await c.say('测试');
    expect(await c.send({ type: 'welcome' })).toEqual([]);
    expect(c.state).toMatchObject({ flow: 'probe', step: 'code' });
    const group = conversation('group');
    expect((await group.send({ type: 'welcome' }))[0]).toMatchObject({
      type: 'text',
      text: expect.stringContaining('在群里 @我'),
    });
    expect(group.state).toBeNull();
  });
});
