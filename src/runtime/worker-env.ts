/**
 * What the Workers runtime hands the entry point, typed as far as this app uses it (the full
 * types come with Cloudflare's own package, which would clash with Node's in one project).
 */

/** waitUntil and the rest, as Hono (which passes it on to the app) types them. */
export type { ExecutionContext } from 'hono';

export interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
}

export interface QueueMessage<Body> {
  readonly id: string;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface MessageBatch<Body> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
}

export interface QueueProducer<Body> {
  sendBatch(messages: readonly { body: Body }[]): Promise<void>;
}

/** A broadcast batch handed to the queue: outbox rows by uuid. */
export interface HandOffMessage {
  outbox: string[];
}

export interface WorkerEnv {
  /** Hyperdrive in front of PostgreSQL; without it, DATABASE_URL connects directly. */
  HYPERDRIVE?: { connectionString: string };
  /** The queue broadcast batches fan out through, when bound. */
  BROADCAST_QUEUE?: QueueProducer<HandOffMessage>;
  /** Everything else: the same variables and secrets as on Node. */
  [name: string]: unknown;
}
