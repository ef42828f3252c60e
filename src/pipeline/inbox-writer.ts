/**
 * Group commit for the inbox: events arriving while a write is in flight are written together
 * in the next one, so a burst of deliveries costs a few statements (and commits) instead of one
 * each. An idle server writes at once; nothing waits on a timer. Each caller still learns only
 * once its own row is durable.
 */
import type { Inbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { type AcceptResult, acceptInboundMany, type InboxKeys } from './inbox.ts';

interface Waiting {
  inbound: Inbound;
  resolve: (result: AcceptResult) => void;
  reject: (error: unknown) => void;
}

export interface InboxWriterOptions {
  /** Rows per statement. */
  maxBatch?: number;
  /**
   * Statements in flight at once. With one, rows get ids in the order their deliveries arrived,
   * which is the order a conversation's messages are processed in.
   */
  maxInFlight?: number;
}

export type InboxWriter = (inbound: Inbound) => Promise<AcceptResult>;

export function createInboxWriter(db: Db, keys: InboxKeys, opts: InboxWriterOptions = {}): InboxWriter {
  const maxBatch = opts.maxBatch ?? 100;
  const maxInFlight = opts.maxInFlight ?? 1;
  const queue: Waiting[] = [];
  let inFlight = 0;

  const write = async (batch: Waiting[]) => {
    try {
      const results = await acceptInboundMany(
        db,
        keys,
        batch.map((w) => w.inbound),
      );
      for (const [i, w] of batch.entries()) w.resolve(results[i]!);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad row must not refuse the others: write them one at a time, each with its own outcome.
      for (const w of batch) {
        await acceptInboundMany(db, keys, [w.inbound]).then(([result]) => w.resolve(result!), w.reject);
      }
    }
  };

  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      inFlight++;
      void write(queue.splice(0, maxBatch)).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (inbound) =>
    new Promise<AcceptResult>((resolve, reject) => {
      queue.push({ inbound, resolve, reject });
      pump();
    });
}

/**
 * A group commit per channel, each made when its channel's first message comes: one channel's
 * burst (WeChat's, say) never holds up another's acknowledgements (Lark's, within its deadline).
 */
export function createChannelInboxWriters(
  db: Db,
  keys: InboxKeys,
  opts: InboxWriterOptions = {},
): InboxWriter {
  const writers = new Map<Inbound['channel'], InboxWriter>();
  return (inbound) => {
    let writer = writers.get(inbound.channel);
    if (!writer) {
      writer = createInboxWriter(db, keys, opts);
      writers.set(inbound.channel, writer);
    }
    return writer(inbound);
  };
}
