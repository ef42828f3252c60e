/**
 * GET /metrics over the running app: request latency by route pattern (never by raw path),
 * sends by channel and outcome, schedule fires and misses, and the backlog by channel.
 */
import { describe, expect, it } from 'vitest';
import { primaryKind } from '../support/databases.ts';
import { adminToken, useStack, webVisitor } from '../support/stack.ts';

let clock = new Date('2026-11-23T00:00:00Z');
const fixture = useStack({ now: () => clock });

const scrape = async () => {
  const response = await fixture.stack.request('/metrics', {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(response.status).toBe(200);
  return response.text();
};

describe(`metrics over HTTP (${primaryKind})`, () => {
  it('shows latency by route, sends by channel, schedule runs and the backlog', async () => {
    const person = await webVisitor(fixture.stack);
    await person.say('菜单');
    await fixture.stack.request('/api/news/6b1f0a4e-8d7c-4a55-9d0c-2f1e3a4b5c6d', {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    await fixture.stack.request('/no/such/page');

    // A schedule whose two slots pass while stopped: the older is missed, the latest caught up.
    const created = await fixture.stack.api('/schedules', {
      method: 'POST',
      json: {
        name: '例会提醒',
        cron: '*/30 * * * *',
        kind: 'message',
        // Lark is not configured in this stack: the message waits for an instance that can send it.
        payload: { channel: 'lark', chatId: 'oc_meeting', text: '例会' },
      },
    });
    expect(created.status).toBe(201);
    clock = new Date('2026-11-23T01:10:00Z');
    await fixture.stack.services.jobs.tick();
    await fixture.stack.drain();

    const text = await scrape();
    expect(text).toMatch(
      /tongxin_http_request_duration_seconds_count\{method="GET",route="\/api\/news\/:id",status="4xx"\} 1/,
    );
    expect(text).not.toContain('6b1f0a4e');
    expect(text).toMatch(
      /tongxin_http_request_duration_seconds_count\{method="POST",route="\/chat\/messages",status="2xx"\} \d+/,
    );
    expect(text).toMatch(/tongxin_outbox_sends_total\{channel="web",outcome="sent"\} [1-9]/);
    expect(text).toMatch(/tongxin_schedule_runs_total\{kind="message",outcome="claimed"\} 1/);
    expect(text).toMatch(/tongxin_schedule_runs_total\{kind="message",outcome="missed"\} 1/);
    expect(text).not.toContain('tongxin_outbox_sends_total{channel="lark"');
    expect(text).toContain('tongxin_outbox_channel_messages{channel="lark",status="pending"} 1');
    expect(text).toMatch(/tongxin_inbox_oldest_pending_seconds \d+/);
  });
});
