/**
 * The app over HTTP with Lark configured against a fresh stand-in, on this run's primary database:
 * the setup of every test that talks to the server as Lark does.
 */
import type { Channel } from '../../bots/core/channel.ts';
import { type HttpServer, startHttpServer } from './browser.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from './databases.ts';
import { cardAction, delivery, larkApp, larkEnv } from './lark-events.ts';
import { type StandIn, startLarkStandIn } from './lark-stand-in.ts';
import { createStack, type Stack } from './stack.ts';

export interface LarkServer {
  standIn: StandIn;
  database: TestDatabase;
  stack: Stack;
  server: HttpServer;
  /** Sends a signed delivery to the webhook as Lark does. */
  post(payload: unknown): Promise<Response>;
  /** Presses a card button as this person; resolves to the webhook's answer (a toast, a card). */
  click(openId: string, chatId: string, value: unknown): Promise<LarkAnswer>;
  close(): Promise<void>;
}

export interface LarkAnswer {
  toast?: { type: string; content: string; i18n: Record<string, string> };
  card?: unknown;
}

export async function startLarkServer(
  opts: {
    env?: Record<string, string>;
    now?: () => Date;
    channels?: Channel[];
    /** Keep the limits in the database, as several instances on one PostgreSQL do. */
    sharedLimits?: boolean;
  } = {},
): Promise<LarkServer> {
  const standIn = await startLarkStandIn({ ...larkApp });
  const database = await openTestDatabase(primaryKind);
  const stack = createStack(database, {
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.channels ? { channels: opts.channels } : {}),
    ...(opts.sharedLimits ? { sharedLimits: true } : {}),
    env: { ...larkEnv(standIn.url), ...opts.env },
  });
  const server = await startHttpServer(stack.services);
  const post = async (payload: unknown) => {
    const { body, headers } = await delivery(payload);
    return fetch(`${server.url}/webhooks/lark`, { method: 'POST', headers, body });
  };
  return {
    standIn,
    database,
    stack,
    server,
    post,
    async click(openId, chatId, value) {
      const res = await post(cardAction({ openId, chatId, value }));
      if (res.status !== 200) throw new Error(`card press answered ${res.status}`);
      return (await res.json()) as LarkAnswer;
    },
    async close() {
      await server.close();
      await standIn.close();
      await database.close();
    },
  };
}
