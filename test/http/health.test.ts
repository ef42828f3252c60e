import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../support/databases.ts';
import { createStack } from '../support/stack.ts';

describe('health', () => {
  it('answers 503 and a clear error once the database is gone, 200 while it answers', async () => {
    const database = await openTestDatabase('pglite');
    const stack = createStack(database);
    expect(await (await stack.request('/healthz')).json()).toEqual({ status: 'ok' });
    await database.close();
    const health = await stack.request('/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable' });
    const page = await stack.request('/chat');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    const post = await stack.request('/chat/messages', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'while-down-1', text: '菜单' }),
    });
    expect(post.status).toBe(503);
    expect(((await post.json()) as { error: { message: string } }).error.message).toContain('服务暂时不可用');
  });
});
