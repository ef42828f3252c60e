/**
 * What the Lark webhook tests share, bound to a test file's server: a signed (optionally
 * encrypted) delivery posted to the webhook, the jobs run until the outbox settles, the inbox and
 * outbox counted, and what the Lark stand-in received for a chat.
 */
import { count, eq, inArray } from 'drizzle-orm';
import { inbox, outbox } from '../../../db/schema/index.ts';
import { patienceMs } from '../../support/eventually.ts';
import { delivery } from '../../support/lark-events.ts';
import type { LarkServer } from '../../support/lark-server.ts';

/** A message the stand-in received, as text to search. */
export const textOfSent = (m: { content: Record<string, unknown> }) => JSON.stringify(m.content);

/** The webhook and what followed it, for the server `lark` returns (started in a `beforeAll`). */
export function webhookDriver(lark: () => LarkServer) {
  /** Posts a signed delivery to the webhook (`opts`: encrypted, another time or key). */
  async function post(payload: unknown, opts: Parameters<typeof delivery>[1] = {}) {
    const { body, headers } = await delivery(payload, opts);
    return fetch(`${lark().server.url}/webhooks/lark`, { method: 'POST', headers, body });
  }

  /**
   * Runs the jobs until every outbox row is sent or given up (retries included). With `hurry`, a
   * retry's backoff is cut short each round, as if its time had passed, so how many retries there
   * are does not depend on how fast the machine is.
   */
  async function settle(timeoutMs = patienceMs, opts: { hurry?: boolean } = {}) {
    const { database, stack } = lark();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (opts.hurry)
        await database.db
          .update(outbox)
          .set({ nextAttemptAt: new Date(0) })
          .where(eq(outbox.status, 'pending'));
      await stack.drain();
      const [row] = await database.db
        .select({ n: count() })
        .from(outbox)
        .where(inArray(outbox.status, ['pending', 'sending']));
      if (row!.n === 0) return;
      if (Date.now() > deadline) throw new Error(`${row!.n} messages still waiting`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** How many rows the inbox and the outbox hold. */
  const counts = async () => {
    const { database } = lark();
    const [[i], [o]] = await Promise.all([
      database.db.select({ n: count() }).from(inbox),
      database.db.select({ n: count() }).from(outbox),
    ]);
    return { inbox: i!.n, outbox: o!.n };
  };

  /** Everything the stand-in received for a chat, newest last. */
  const sentTo = (chatId: string) => lark().standIn.sent.filter((m) => m.receiveId === chatId);

  return { post, settle, counts, sentTo };
}
