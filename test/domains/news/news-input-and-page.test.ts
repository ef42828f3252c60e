/**
 * 工会动态's edges over the officer API and the public page: bad input refused in Chinese with
 * nothing stored, and the item page served escaped, rendered from Markdown, under a content
 * security policy (and not at all before it is published, or once it is withdrawn).
 */
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newsItems } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { useStack } from '../../support/stack.ts';
import { env, type NewsView, newsApi } from './news-helpers.ts';

let clock = new Date('2026-03-02T01:00:00Z');
const fixture = useStack({ now: () => clock, env });
const { api, publish } = newsApi(fixture, {
  now: () => clock,
  set: (next) => {
    clock = next;
  },
});
const listed = async () => ((await (await api('/news')).json()) as { items: NewsView[] }).items;

describe(`union news (${primaryKind})`, () => {
  it('refuses bad input with a message in Chinese and stores nothing', async () => {
    const stored = async () => (await fixture.database.db.select({ n: count() }).from(newsItems))[0]!.n;
    const before = { listed: (await listed()).length, stored: await stored() };
    const good = { topic: 'news', title: '标题', body: '正文', audience: { kind: 'everyone' } };
    const refusals: [Record<string, unknown>, string][] = [
      [{ publishAt: new Date(clock.getTime() - 3600_000).toISOString() }, '发布时间已经过去'],
      [{ publishAt: new Date(clock.getTime() + 400 * 86_400_000).toISOString() }, '一年以内'],
      [{ publishAt: '明天上午' }, 'publishAt'],
      [{ imageUrl: 'javascript:alert(1)' }, 'http:// 或 https://'],
      [{ imageUrl: 'http://127.0.0.1/x.png' }, '内网或本机'],
      [{ imageUrl: 'http://10.0.0.1/' }, '内网或本机'],
      [{ imageUrl: 'http://localhost/' }, '内网或本机'],
      [{ imageUrl: 'http://[::1]/a.png' }, '内网或本机'],
      [{ imageUrl: 'http://user:pw@img.example.org/a.png' }, '用户名或密码'],
      [{ imageUrl: 'ftp://files.example.org/a.png' }, 'http:// 或 https://'],
      [{ imageUrl: 'not a url' }, '不是有效的网址'],
      [{ audience: { kind: 'units', unitIds: [crypto.randomUUID()] } }, '1 个单位不存在'],
      [{ audience: { kind: 'units', unitIds: [] } }, 'audience'],
      [{ audience: { kind: 'units', unitIds: ['abc'] } }, 'audience'],
      [{ audience: { kind: 'chats', chats: [] } }, 'audience'],
      [{ audience: { kind: 'chats', chats: [{ channel: 'sms', chatId: '1' }] } }, 'audience'],
      [{ audience: { kind: 'all' } }, 'audience'],
      [{ title: '   ' }, 'title'],
      [{ body: '' }, 'body'],
      [{ topic: 'gossip' }, 'topic'],
      [{ extra: 1 }, '请求内容不符合要求'],
    ];
    for (const [change, says] of refusals) {
      const res = await api('/news', { method: 'POST', json: { ...good, ...change } });
      const { error } = (await res.json()) as { error: { message: string } };
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(error.message, JSON.stringify(change)).toContain(says);
      expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const noToken = await fixture.stack.request('/api/news', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(good),
    });
    expect(noToken.status).toBe(401);
    expect((await fixture.stack.request('/api/news')).status).toBe(401);
    expect((await api('/news/not-a-uuid')).status).toBe(404);
    expect((await api(`/news/${crypto.randomUUID()}`)).status).toBe(404);
    expect({ listed: (await listed()).length, stored: await stored() }).toEqual(before);
  });

  it('serves the item page escaped, rendered from Markdown, under a content security policy', async () => {
    const shown = await publish({
      title: '<script>alert(1)</script>职工代表大会',
      body: '会议将审议**集体合同**草案。\n\n<img src=x onerror=alert(1)>\n\n- 时间：3月20日\n- 地点：职工之家',
      imageUrl: 'https://img.example.org/congress.png',
    });
    await fixture.stack.drain();
    const page = await fixture.stack.request(`/news/${shown.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).not.toContain('script-src');
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;职工代表大会');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<strong>集体合同</strong>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<li>时间：3月20日</li>');
    expect(html).toContain('<img src="https://img.example.org/congress.png"');

    const notYet = await publish({
      title: '尚未发布',
      publishAt: new Date(clock.getTime() + 3600_000).toISOString(),
    });
    const withdrawn = await publish({
      title: '已撤销',
      publishAt: new Date(clock.getTime() + 3600_000).toISOString(),
    });
    expect((await api(`/news/${withdrawn.id}/cancel`, { method: 'POST' })).status).toBe(200);
    for (const path of [notYet.id, withdrawn.id, 'not-a-uuid', crypto.randomUUID()]) {
      const res = await fixture.stack.request(`/news/${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('找不到该动态');
    }
    // Cancel the pending one so later broadcasts to everyone in this file stay as they are.
    expect((await api(`/news/${notYet.id}/cancel`, { method: 'POST' })).status).toBe(200);
  });
});
