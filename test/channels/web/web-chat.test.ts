import { count } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { inbox, outbox, submissions, webChatMessages } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { eventually, patienceMs, within } from '../../support/eventually.ts';
import { bubbleText, useStack, webVisitor } from '../../support/stack.ts';

const fixture = useStack();

const counts = async () => {
  const db = fixture.database.db;
  const [[i], [o], [s], [w]] = await Promise.all([
    db.select({ n: count() }).from(inbox),
    db.select({ n: count() }).from(outbox),
    db.select({ n: count() }).from(submissions),
    db.select({ n: count() }).from(webChatMessages),
  ]);
  return { inbox: i!.n, outbox: o!.n, submissions: s!.n, web: w!.n };
};

describe(`web chat over HTTP (${primaryKind})`, () => {
  it('serves the page with a signed, HTTP-only cookie', async () => {
    const res = await fixture.stack.request('/chat');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^tx_visitor=v_[A-Za-z0-9_-]{22}\.[^;]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(await res.text()).toContain('同心');
  });

  it('files a suggestion, shows the reference code, and lists it under 我的', async () => {
    const person = await webVisitor(fixture.stack);
    expect(bubbleText(await person.say('建议'))).toContain('标题');
    await person.say('检修车间增加防滑垫');
    await person.press('安全生产');
    await person.say('检修车间地面常有油污，雨天更滑，建议在通道铺设防滑垫并每日清理。');
    await person.say('减少滑倒事故');
    expect(bubbleText(await person.press('署名提交'))).toContain('请确认');
    const receipt = bubbleText(await person.press('提交'));
    const code = /JY-\d{4}-\d{4}/.exec(receipt)?.[0];
    expect(code).toBeDefined();
    expect(receipt).toContain('已提交');

    const mine = bubbleText(await person.say('我的'));
    expect(mine).toContain(`${code} 检修车间增加防滑垫`);
    expect(mine).toContain('已提交');
  });

  it('keeps each person’s items and history to themselves', async () => {
    const a = await webVisitor(fixture.stack);
    const b = await webVisitor(fixture.stack);
    await a.say('我的');
    expect(bubbleText(await b.say('我的'))).toContain('还没有提交');
    const history = await fixture.stack.request('/chat/messages?after=0', { headers: { cookie: b.cookie } });
    const { messages } = (await history.json()) as { messages: { payload: { text?: string } }[] };
    expect(messages.every((m) => !JSON.stringify(m).includes(a.cookie))).toBe(true);
    expect(messages.length).toBe(2);
  });

  it('acknowledges a repeated message id once and processes it once', async () => {
    const person = await webVisitor(fixture.stack);
    const before = await counts();
    const body = { id: 'repeat-0000001', text: '菜单' };
    expect((await person.post(body)).status).toBe(202);
    const again = await person.post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: false, duplicate: true });
    await fixture.stack.drain();
    const after = await counts();
    expect(after.inbox - before.inbox).toBe(1);
    expect(after.outbox - before.outbox).toBe(1);
  });

  it('refuses bad input with a clear message and writes nothing', async () => {
    const person = await webVisitor(fixture.stack);
    const before = await counts();
    const cases: { body: string; type?: string; cookie?: string; status: number; says: string }[] = [
      { body: JSON.stringify({ id: 'bad-000001', text: '' }), status: 400, says: '消息不能为空' },
      { body: JSON.stringify({ id: 'bad-000002', text: ' \n\t\u3000 ' }), status: 400, says: '消息不能为空' },
      {
        body: JSON.stringify({ id: 'bad-000003', text: '字'.repeat(10_000) }),
        status: 400,
        says: '最多 4000 字，您输入了 10000 字',
      },
      { body: '{"id":"bad-000004","text":', status: 400, says: '不是有效的 JSON' },
      { body: JSON.stringify({ id: 'x', text: 'hi' }), status: 400, says: '格式不正确' },
      { body: JSON.stringify({ id: 'bad-000005', text: 'hi', extra: 1 }), status: 400, says: '格式不正确' },
      {
        body: JSON.stringify({ id: 'bad-000006', text: 'hi' }),
        type: 'text/plain',
        status: 415,
        says: 'application/json',
      },
      { body: JSON.stringify({ id: 'bad-000007', text: 'hi' }), cookie: '', status: 401, says: '刷新页面' },
      {
        body: JSON.stringify({ id: 'bad-000008', text: 'hi' }),
        cookie: 'tx_visitor=v_AAAAAAAAAAAAAAAAAAAAAA.forgedsignature%3D',
        status: 401,
        says: '刷新页面',
      },
      {
        body: JSON.stringify({ id: 'bad-000009', text: 'x'.repeat(70_000) }),
        status: 413,
        says: '请求体过大',
      },
      {
        body: JSON.stringify({ id: 'bad-000010', action: 'a\u0000b', label: 'x' }),
        status: 400,
        says: '格式不正确',
      },
      { body: JSON.stringify({ id: 'bad-000011', text: '\u200b\u2060' }), status: 400, says: '消息不能为空' },
    ];
    for (const c of cases) {
      const res = await fixture.stack.request('/chat/messages', {
        method: 'POST',
        headers: { cookie: c.cookie ?? person.cookie, 'content-type': c.type ?? 'application/json' },
        body: c.body,
      });
      const body = (await res.json()) as { error: { message: string; message_en: string } };
      expect(res.status, c.body.slice(0, 40)).toBe(c.status);
      expect(body.error.message).toContain(c.says);
      expect(body.error.message_en.length).toBeGreaterThan(5);
    }
    expect(await counts()).toEqual(before);
  });

  it('answers in English when the person chooses it, and remembers it', async () => {
    const person = await webVisitor(fixture.stack);
    expect(bubbleText(await person.say('English'))).toContain('Language set to English');
    expect(bubbleText(await person.say('mine'))).toContain('You have not submitted anything yet');
    expect(bubbleText(await person.say('blah'))).toContain('Sorry, I did not understand');
  });

  it('answers emoji, mixed scripts and unknown words without failing', async () => {
    const person = await webVisitor(fixture.stack);
    expect(bubbleText(await person.say('😀 hello 你好 مرحبا'))).toContain('没有听懂');
    expect(bubbleText(await person.say('🤔'))).toContain('没有听懂');
    const loneSurrogate = await person.post({ id: 'surrogate-01', text: 'a\ud800b' });
    expect(loneSurrogate.status).toBe(202);
    await fixture.stack.drain();
    expect(bubbleText(await person.replies())).toContain('没有听懂');
  });

  it('wakes a waiting long poll as soon as a message is written', async () => {
    const person = await webVisitor(fixture.stack);
    await person.say('菜单');
    const res = await fixture.stack.request('/chat/messages?after=0', { headers: { cookie: person.cookie } });
    const seen = ((await res.json()) as { messages: { id: number }[] }).messages.at(-1)!.id;
    // Only a wake-up may end this poll: the once-a-second look for other instances' writes is
    // stretched past the test's own deadline, so the answer cannot come from it.
    const hub = fixture.stack.services.hub;
    const wait = hub.wait.bind(hub);
    const waits: number[] = [];
    const spy = vi.spyOn(hub, 'wait').mockImplementation((visitor, ms) => {
      waits.push(ms);
      return wait(visitor, 10 * patienceMs);
    });
    try {
      const waiting = fixture.stack.request(`/chat/messages?after=${seen}&wait=25`, {
        headers: { cookie: person.cookie },
      });
      await eventually(() => waits.length > 0, 'the poll to wait');
      await person.post({ id: 'longpoll-0001', text: '我的' });
      const answer = await within(waiting, 'the poll to be woken');
      const { messages } = (await answer.json()) as { messages: { direction: string }[] };
      expect(messages.map((m) => m.direction)).toEqual(['in']);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeLessThanOrEqual(1000);
    } finally {
      spy.mockRestore();
    }
  });

  it('returns an empty list when a long poll times out, having waited for a wake-up first', async () => {
    const person = await webVisitor(fixture.stack);
    const waits = vi.spyOn(fixture.stack.services.hub, 'wait');
    try {
      const res = await fixture.stack.request('/chat/messages?after=0&wait=2', {
        headers: { cookie: person.cookie },
      });
      expect(await res.json()).toEqual({ messages: [] });
      // It waited (in slices of at most a second) instead of answering at once.
      expect(waits).toHaveBeenCalled();
      for (const [, ms] of waits.mock.calls) {
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(1000);
      }
      waits.mockClear();
      const now = await fixture.stack.request('/chat/messages?after=0', {
        headers: { cookie: person.cookie },
      });
      expect(await now.json()).toEqual({ messages: [] });
      expect(waits).not.toHaveBeenCalled();
    } finally {
      waits.mockRestore();
    }
  });

  it('reports health', async () => {
    const res = await fixture.stack.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('logs', () => {
  it('write one JSON line per request, and never the words people type', async () => {
    const person = await webVisitor(fixture.stack);
    const secret = '我的工号是 A12345，电话 13800138000';
    await person.say(secret);
    const lines = fixture.stack.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      lines.some((l) => l.event === 'http.request' && l.path === '/chat/messages' && l.status === 202),
    ).toBe(true);
    expect(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(true);
    const all = fixture.stack.logLines.join('\n');
    expect(all).not.toContain('A12345');
    expect(all).not.toContain('13800138000');
    expect(all).not.toContain(person.cookie.split('=')[1]!.slice(0, 20));
  });
});
