/**
 * The app over HTTP with Lark configured against a fresh stand-in, on this run's primary database:
 * the setup of every test that talks to the server as Lark does.
 */
import type { ChannelSender } from '../../bots/core/messenger.ts';
import { type HttpServer, startHttpServer } from './browser.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from './databases.ts';
import { larkApp, larkEnv } from './lark-events.ts';
import { type StandIn, startLarkStandIn } from './lark-stand-in.ts';
import { createStack, type Stack } from './stack.ts';

export interface LarkServer {
  standIn: StandIn;
  database: TestDatabase;
  stack: Stack;
  server: HttpServer;
  close(): Promise<void>;
}

export async function startLarkServer(
  opts: { env?: Record<string, string>; now?: () => Date; senders?: ChannelSender[] } = {},
): Promise<LarkServer> {
  const standIn = await startLarkStandIn({ ...larkApp });
  const database = await openTestDatabase(primaryKind);
  const stack = createStack(database, {
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.senders ? { senders: opts.senders } : {}),
    env: { ...larkEnv(standIn.url), ...opts.env },
  });
  const server = await startHttpServer(stack.services);
  return {
    standIn,
    database,
    stack,
    server,
    async close() {
      await server.close();
      await standIn.close();
      await database.close();
    },
  };
}
