/**
 * What the news tests share: the public address items link to, the item as the officer API shows
 * it, and that API bound to a test file's stack and injected clock (which the file keeps in its own
 * variable, so its tests can set it).
 */
import { expect } from 'vitest';
import type { useStack } from '../../support/stack.ts';

export const publicUrl = 'https://union.example.org';
export const env = { PUBLIC_URL: publicUrl };

export interface NewsView {
  id: string;
  topic: string;
  title: string;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled';
  queued: number;
  sent: number;
  failed: number;
  url: string;
  publishAt: string;
}

/** A test file's injected clock: read it, and set it. */
export interface TestClock {
  now(): Date;
  set(next: Date): void;
}

/** The officer API for a test file's stack: publishing, reading items, and making org units. */
export function newsApi(fixture: ReturnType<typeof useStack>, clock: TestClock) {
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);
  /** Moves the injected clock on. */
  const later = (minutes: number) => {
    clock.set(new Date(clock.now().getTime() + minutes * 60_000));
  };

  /** Publishes an item; the clock then moves on a minute, so every item has its own time. */
  async function publish(fields: Record<string, unknown>): Promise<NewsView> {
    later(1);
    const res = await api('/news', {
      method: 'POST',
      json: { topic: 'news', body: '详见正文。', audience: { kind: 'everyone' }, ...fields },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as NewsView;
  }

  const item = async (id: string) => (await (await api(`/news/${id}`)).json()) as NewsView;

  async function createUnit(nameZh: string, parentId: string | null = null): Promise<string> {
    const res = await api('/org-units', { method: 'POST', json: { nameZh, nameEn: nameZh, parentId } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  return { api, later, publish, item, createUnit };
}
