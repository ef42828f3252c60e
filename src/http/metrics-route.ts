/**
 * GET /metrics (bearer ADMIN_TOKEN): this instance's counters and the shared backlog, in
 * Prometheus's text format, for the operator's monitoring.
 */
import { Hono } from 'hono';
import type { Db } from '../../db/handle.ts';
import type { Metrics } from '../kernel/metrics.ts';
import { readBacklog } from '../pipeline/backlog.ts';
import { requireBearer } from './bearer.ts';
import type { SignInLimit } from './sign-in-limit.ts';

export function metricsRoutes(deps: {
  db: Db;
  metrics: Metrics;
  adminToken: string | undefined;
  signIns: SignInLimit;
}) {
  return new Hono().get('/metrics', requireBearer(deps.adminToken, deps.signIns, 'metrics'), async (c) => {
    const backlog = await readBacklog(deps.db);
    const body = deps.metrics.render([
      {
        name: 'tongxin_inbox_events',
        help: 'Inbox events by status.',
        value: backlog.inboxPending,
        labels: { status: 'pending' },
      },
      {
        name: 'tongxin_inbox_events',
        help: 'Inbox events by status.',
        value: backlog.inboxFailed,
        labels: { status: 'failed' },
      },
      {
        name: 'tongxin_outbox_messages',
        help: 'Outgoing messages by status.',
        value: backlog.outboxPending,
        labels: { status: 'pending' },
      },
      {
        name: 'tongxin_outbox_messages',
        help: 'Outgoing messages by status.',
        value: backlog.outboxFailed,
        labels: { status: 'failed' },
      },
      ...backlog.outboxByChannel.flatMap((c) =>
        (['pending', 'failed'] as const).map((status) => ({
          name: 'tongxin_outbox_channel_messages',
          help: 'Outgoing messages waiting or given up, by channel.',
          value: c[status],
          labels: { channel: c.channel, status },
        })),
      ),
      {
        name: 'tongxin_inbox_oldest_pending_seconds',
        help: 'Age of the oldest event waiting to be processed.',
        value: backlog.oldestPendingSeconds,
      },
    ]);
    return c.body(body, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
