import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../bots/core/rate-limiter.ts';
import { classifyLarkFailure } from '../../../bots/lark/errors.ts';
import { renderLark, sentCardBytes } from '../../../bots/lark/render.ts';
import { maxCardRequestBytes } from '../../support/lark-stand-in.ts';

describe('Lark cards', () => {
  it('stay under the platform’s 30 KB and 200 components, however long the texts', () => {
    const long = '🌟工会'.repeat(3000);
    const message = renderLark({
      type: 'summary',
      title: long,
      fields: Array.from({ length: 12 }, (_, i) => ({ label: `字段${i}`, value: long })),
      text: long,
      actions: [{ label: '菜单', value: 'menu' }],
    });
    expect(message.msgType).toBe('interactive');
    expect(new TextEncoder().encode(message.content).length).toBeLessThanOrEqual(30 * 1024);
    const components = message.content.match(/"tag":/g)?.length ?? 0;
    expect(components).toBeLessThanOrEqual(200);
    // Shortened, not emptied: each text still says something, ending in an ellipsis.
    expect(message.content).toMatch(/工会…"/);
  });

  it('count the limit on the request body as sent, where every quote and backslash is escaped', () => {
    // Quotes and backslashes take two bytes each once the card is a string inside the request.
    const quoted = '"引号"\\'.repeat(2000);
    const message = renderLark({
      type: 'summary',
      title: '意见',
      fields: Array.from({ length: 6 }, (_, i) => ({ label: `字段${i}`, value: quoted })),
      text: quoted,
    });
    const request = JSON.stringify({
      receive_id: 'oc_0123456789abcdef0123456789abcdef',
      msg_type: message.msgType,
      content: message.content,
      uuid: '00000000-0000-4000-8000-000000000000',
    });
    expect(new TextEncoder().encode(request).length).toBeLessThanOrEqual(maxCardRequestBytes);
    expect(sentCardBytes(message.content)).toBeGreaterThan(new TextEncoder().encode(message.content).length);
    // Shortened, not dropped: the texts end in an ellipsis.
    expect(message.content).toMatch(/…"/);
  });
});

describe('rate limiter', () => {
  it('keeps 5 per second per chat and 50 per second overall, waiting instead of refusing', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter({
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    const limits = (chat: string) => [
      { key: 'app', limit: { limit: 50, windowMs: 1000 } },
      { key: `chat:${chat}`, limit: { limit: 5, windowMs: 1000 } },
    ];
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      await limiter.take(limits('a'));
      times.push(now);
    }
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times.slice(5, 10)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(times[10]).toBe(2000);
    // Another chat is not held back by the first one's limit.
    await limiter.take(limits('b'));
    expect(now).toBe(2000);
  });

  it('serves concurrent takers one at a time, so none slips past the limit', async () => {
    let now = 0;
    const limiter = new RateLimiter({
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        limiter.take([{ key: 'x', limit: { limit: 3, windowMs: 1000 } }]).then(() => at.push(now)),
      ),
    );
    expect(at).toEqual([0, 0, 0, 1000, 1000, 1000]);
  });
});

describe('even pacing', () => {
  it('spaces sends evenly, does not let a late timer slow the pace, and lets a given-back send go at once', async () => {
    let now = 0;
    const limiter = new RateLimiter({
      now: () => now,
      sleep: async (ms) => {
        // Every timer wakes 1 ms late.
        now += ms + 1;
      },
    });
    const even = [{ key: 'app', limit: { limit: 50, windowMs: 1000, even: true } }];
    const at: number[] = [];
    for (let i = 0; i < 51; i++) {
      await limiter.take(even);
      at.push(now);
    }
    // One every 20 ms; the lateness does not add up over 50 sends.
    expect(at.slice(0, 3)).toEqual([0, 21, 41]);
    expect(at[50]).toBeLessThanOrEqual(1001);
    // A send the platform never took is given back: once a later send was paced behind it, the
    // next one goes without waiting its turn, once.
    const refused = await limiter.take(even);
    await limiter.take(even);
    const before = now;
    refused.giveBack();
    await limiter.take(even);
    expect(now).toBe(before);
    await limiter.take(even);
    expect(now).toBeGreaterThan(before);
  });
});

describe('Lark failures', () => {
  it('retries rate limits and server errors, refreshes tokens, gives up on permanent refusals', () => {
    expect(classifyLarkFailure(429, 99991400, '3')).toEqual({ kind: 'retry', retryAfterMs: 3000 });
    expect(classifyLarkFailure(400, 230020)).toEqual({ kind: 'retry' });
    expect(classifyLarkFailure(503, undefined)).toEqual({ kind: 'retry' });
    expect(classifyLarkFailure(0, undefined)).toEqual({ kind: 'retry' });
    expect(classifyLarkFailure(400, 99991663)).toEqual({ kind: 'token_invalid' });
    expect(classifyLarkFailure(400, 230002)).toEqual({ kind: 'permanent' });
    expect(classifyLarkFailure(400, 230053)).toEqual({ kind: 'permanent' });
    expect(classifyLarkFailure(400, 12345)).toEqual({ kind: 'permanent' });
  });
});

describe('Lark rendering', () => {
  it('sends plain text where a card adds nothing', () => {
    expect(renderLark({ type: 'text', text: '你好' })).toEqual({
      msgType: 'text',
      content: JSON.stringify({ text: '你好' }),
    });
  });

  it('renders a question as a JSON 2.0 card with callback buttons carrying the action value', () => {
    const rendered = renderLark({
      type: 'choices',
      text: '这条建议属于哪一类？',
      choices: [{ label: '安全生产', value: '{"k":"step","f":"suggestion","s":"category","v":"safety"}' }],
      actions: [{ label: '取消', value: '{"k":"word","v":"cancel"}' }],
    });
    expect(rendered.msgType).toBe('interactive');
    const card = JSON.parse(rendered.content);
    expect(card.schema).toBe('2.0');
    expect(card.config).toEqual({ update_multi: true });
    const buttons = card.body.elements.at(-1).columns.map((c: { elements: unknown[] }) => c.elements[0]);
    expect(buttons).toEqual([
      {
        tag: 'button',
        type: 'primary',
        text: { tag: 'plain_text', content: '安全生产' },
        behaviors: [
          { type: 'callback', value: { v: '{"k":"step","f":"suggestion","s":"category","v":"safety"}' } },
        ],
      },
      {
        tag: 'button',
        type: 'default',
        text: { tag: 'plain_text', content: '取消' },
        behaviors: [{ type: 'callback', value: { v: '{"k":"word","v":"cancel"}' } }],
      },
    ]);
  });

  it('puts what people typed in plain_text only, so it cannot become markdown or a link', () => {
    const typed = '**紧急** [点我](https://example.invalid) <at id=all></at>';
    const card = JSON.parse(
      renderLark({
        type: 'summary',
        title: typed,
        fields: [{ label: '标题', value: typed }],
        text: typed,
        tone: 'warning',
      }).content,
    );
    const texts: { tag: string }[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (typeof o.content === 'string' && typeof o.tag === 'string') texts.push(o as { tag: string });
        Object.values(o).forEach(walk);
      }
    };
    walk(card);
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.every((t) => t.tag === 'plain_text')).toBe(true);
    expect(card.header.template).toBe('orange');
    expect(JSON.stringify(card)).not.toContain('"markdown"');
  });
});
