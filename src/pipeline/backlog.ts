/** How much work is waiting, for the operator's gauges: read from the indexes on status. */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/handle.ts';

export interface Backlog {
  inboxPending: number;
  inboxFailed: number;
  outboxPending: number;
  outboxFailed: number;
  /** Age of the oldest event still waiting to be processed (0 when none). */
  oldestPendingSeconds: number /** Messages waiting (pending or being sent) and given up, by channel. */;
  outboxByChannel: { channel: string; pending: number; failed: number }[];
}

export async function readBacklog(db: Db): Promise<Backlog> {
  const [row] = await queryRows<Record<keyof Backlog, number | string | null>>(
    db,
    sql`select
      (select count(*) from inbox where status = 'pending')::int as "inboxPending",
      (select count(*) from inbox where status = 'failed')::int as "inboxFailed",
      (select count(*) from outbox where status in ('pending', 'sending'))::int as "outboxPending",
      (select count(*) from outbox where status = 'failed')::int as "outboxFailed",
      coalesce((select extract(epoch from now() - min(received_at)) from inbox where status = 'pending'), 0)::float8
        as "oldestPendingSeconds"`,
  );
  const channels = await queryRows<{ channel: string; pending: number; failed: number }>(
    db,
    sql`select channel,
               (count(*) filter (where status in ('pending', 'sending')))::int as pending,
               (count(*) filter (where status = 'failed'))::int as failed
        from outbox where status in ('pending', 'sending', 'failed') group by channel order by channel`,
  );
  return {
    outboxByChannel: channels.map((c) => ({
      channel: c.channel,
      pending: Number(c.pending),
      failed: Number(c.failed),
    })),
    inboxPending: Number(row?.inboxPending ?? 0),
    inboxFailed: Number(row?.inboxFailed ?? 0),
    outboxPending: Number(row?.outboxPending ?? 0),
    outboxFailed: Number(row?.outboxFailed ?? 0),
    oldestPendingSeconds: Math.max(0, Math.round(Number(row?.oldestPendingSeconds ?? 0))),
  };
}
