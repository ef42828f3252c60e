/** WeChat text rendering: numbered choices, and polls answered by code in a private chat. */
import { describe, expect, it } from 'vitest';
import { renderWechat } from '../../../bots/wechat/render.ts';
import { pollMessage } from '../../../flows/polls/messages.ts';

describe('WeChat text', () => {
  it('numbers the choices of a question', () => {
    const text = renderWechat({
      type: 'choices',
      text: '请选择类别',
      choices: [
        { label: '安全生产', value: 'a' },
        { label: '节能降耗', value: 'b' },
      ],
      actions: [{ label: '取消', value: 'c' }],
    });
    expect(text).toBe('请选择类别\n1. 安全生产\n2. 节能降耗\n「取消」');
  });

  it('shows a poll in a group with its answers and how to answer privately by code', () => {
    const text = renderWechat(
      pollMessage(
        {
          id: 'p1',
          no: 1,
          code: 'K7Q3',
          question: '食堂晚餐时间合适吗？',
          kind: 'single',
          options: ['合适', '太早', '太晚'],
          allowComment: false,
          closesAt: '2026-05-09T10:00:00Z',
          threshold: 5,
        },
        'Asia/Shanghai',
      ),
    );
    expect(text).toContain('食堂晚餐时间合适吗？');
    expect(text).toContain('1. 合适\n2. 太早\n3. 太晚');
    expect(text).toContain('请私聊我回复“K7Q3 序号”作答');
    expect(text).toContain('2026-05-09 18:00 截止');
  });
});
