/**
 * Lark as a channel: the Open API client (sending, the bot's own id, group members), and the way
 * events come in, by webhook (`LARK_MODE=webhook`: a route) or over the SDK's long connection
 * (`ws`: started by the runtime). Either way every payload goes through one intake.
 */

import type { Channel } from '../core/channel.ts';
import type { Intake } from '../core/intake.ts';
import type { SendLimiter } from '../core/rate-limiter.ts';
import type { ChannelLog, ChannelMetrics } from '../core/telemetry.ts';
import type { LarkCrypto } from './crypto.ts';
import { webLarkCrypto } from './crypto-web.ts';
import { larkDirectory } from './directory.ts';
import { fetchTransport } from './fetch-transport.ts';
import { larkFiles } from './files.ts';
import type { LarkIntakeDeps } from './intake.ts';
import type { startLarkLongConnection } from './long-connection.ts';
import { createLarkClient, type LarkClient, type LarkMemo } from './sender.ts';
import type { LarkAppCredentials, LarkTransport } from './transport.ts';
import { createVoteQueue } from './vote-queue.ts';
import { larkWebhookRoutes } from './webhook.ts';

export interface LarkSettings {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey: string | undefined;
  apiBase: string;
  mode: 'webhook' | 'ws';
  /** How old a signed webhook request may be (seconds). */
  windowSeconds: number;
  limits: { appPerSecond: number; appPerMinute: number; chatPerSecond: number };
}

export interface LarkChannelDeps {
  log: ChannelLog;
  metrics: ChannelMetrics;
  now: () => Date;
  /** The runtime's crypto for requests (Web Crypto when not given). */
  crypto?: LarkCrypto;
  /** How the client reaches the Open API: the official SDK on Node, fetch (the default) elsewhere. */
  transport?: (credentials: LarkAppCredentials) => LarkTransport;
  /** Where the send limits are kept (this instance's memory when not given). */
  sendLimiter?: SendLimiter;
  /** What the client learns once and may keep beyond this instance. */
  memo?: LarkMemo;
  /** Opens the SDK's long connection (Node only, so given by the runtime that has it). */
  longConnection?: typeof startLarkLongConnection;
  /** How long a poll card press may take before it is answered "still being processed" (ms; 1 s unless given). */
  cardAnswerMs?: number;
}

export interface LarkChannel extends Channel {
  readonly client: LarkClient;
  /** What a Lark payload needs to be taken in through `intake` (the webhook and the long connection share it). */
  intakeDeps(intake: Intake): LarkIntakeDeps;
  /** Opens the long connection (whatever the mode; `start` does so in `ws` mode). */
  connect(intake: Intake, options?: { pingTimeoutSeconds?: number }): { close(): void };
}

export function createLarkChannel(settings: LarkSettings, deps: LarkChannelDeps): LarkChannel {
  const transport = (deps.transport ?? fetchTransport)({
    appId: settings.appId,
    appSecret: settings.appSecret,
    apiBase: settings.apiBase,
  });
  const client = createLarkClient({ limits: settings.limits }, transport, deps.sendLimiter, deps.memo);
  // Card votes taken a few at a time, leaving the database pool's other connections to the rest.
  const voteQueue = createVoteQueue();
  const intakeDeps = (intake: Intake): LarkIntakeDeps => ({
    intake,
    log: deps.log,
    metrics: deps.metrics,
    now: deps.now,
    appId: settings.appId,
    verificationToken: settings.verificationToken,
    botOpenId: () => client.botOpenId(),
    crypto: deps.crypto ?? webLarkCrypto,
    voteQueue,
    ...(deps.cardAnswerMs !== undefined ? { cardAnswerMs: deps.cardAnswerMs } : {}),
  });
  const connect = (intake: Intake, options: { pingTimeoutSeconds?: number } = {}) => {
    if (!deps.longConnection)
      throw new Error(
        'LARK_MODE=ws 需要 Node 运行时（SDK 的长连接） · LARK_MODE=ws needs the Node runtime (the SDK’s long connection)',
      );
    return deps.longConnection(intakeDeps(intake), {
      appId: settings.appId,
      appSecret: settings.appSecret,
      apiBase: settings.apiBase,
      ...options,
    });
  };
  let connection: { close(): void } | null = null;
  return {
    name: 'lark',
    sender: client.sender,
    directory: larkDirectory(transport),
    files: larkFiles(transport),
    client,
    intakeDeps,
    connect,
    ...(settings.mode === 'webhook'
      ? {
          routes: (intake: Intake) =>
            larkWebhookRoutes({
              ...intakeDeps(intake),
              encryptKey: settings.encryptKey,
              windowSeconds: settings.windowSeconds,
            }),
        }
      : {
          start(intake: Intake) {
            connection ??= connect(intake);
          },
          stop() {
            connection?.close();
            connection = null;
          },
        }),
    async members(chatId) {
      // The bot is a member of its groups too, and is not asked.
      const bot = await client.botOpenId();
      return (await client.chatMembers(chatId)).filter((id) => id !== bot);
    },
    settled: () => voteQueue.settled(),
    pending: () => voteQueue.size(),
  };
}
