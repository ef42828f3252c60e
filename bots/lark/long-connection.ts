/**
 * LARK_MODE=ws: events and card callbacks over the SDK's long connection, for deployments
 * without a public URL. Same intake, same inbox and processing as the webhook. The SDK
 * reconnects by itself; a ping timeout is set so a dead connection is noticed.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { AppError } from '../../kernel/errors.ts';
import type { ChannelLog } from '../core/telemetry.ts';
import { type LarkIntakeDeps, takeLarkPayload, unflattenLarkEvent } from './intake.ts';

export const longConnectionEvents = [
  'im.message.receive_v1',
  'im.chat.member.bot.added_v1',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
  'card.action.trigger',
] as const;

/**
 * The SDK's logger, quiet but for problems, which go to our log as their text only (no objects,
 * which could hold payloads). The SDK passes its arguments as one array.
 */
function sdkLogger(log: ChannelLog) {
  const say =
    (level: 'warn' | 'error') =>
    (...parts: unknown[]) =>
      log[level]('lark.ws', {
        detail: parts
          .flat()
          .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : ''))
          .filter(Boolean)
          .join(' ')
          .slice(0, 200),
      });
  return { error: say('error'), warn: say('warn'), info() {}, debug() {}, trace() {} };
}

/**
 * Handlers keyed by event type, taking the SDK's flattened data into the intake. A refused event
 * is answered (the platform would only send it again); a failure to store one is thrown, so the
 * SDK answers 500 and the platform delivers it again later.
 */
export function longConnectionHandlers(deps: LarkIntakeDeps) {
  const handle = async (data: unknown) => {
    const receivedAt = performance.now();
    try {
      return await takeLarkPayload(deps, unflattenLarkEvent(data as Record<string, unknown>), {
        trusted: true,
        receivedAt,
      });
    } catch (error) {
      if (!(error instanceof AppError)) {
        deps.log.failed('lark.ws_intake_failed', error);
        throw error;
      }
      deps.log.warn('lark.ws_refused', { error: error.code });
      return {};
    }
  };
  return Object.fromEntries(longConnectionEvents.map((type) => [type, handle]));
}

export function startLarkLongConnection(
  deps: LarkIntakeDeps,
  settings: { appId: string; appSecret: string; apiBase: string; pingTimeoutSeconds?: number },
) {
  const { log } = deps;
  const dispatcher = new lark.EventDispatcher({ logger: sdkLogger(log) }).register(
    longConnectionHandlers(deps),
  );
  const client = new lark.WSClient({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.apiBase,
    logger: sdkLogger(log),
    autoReconnect: true,
    // A link that stops answering pings is cut and dialled again; so is a stuck handshake.
    wsConfig: { pingTimeout: settings.pingTimeoutSeconds ?? 30 },
    handshakeTimeoutMs: 10_000,
    onReady: () => log.info('lark.ws_connected', {}),
    onReconnecting: () => log.warn('lark.ws_reconnecting', {}),
    onReconnected: () => log.info('lark.ws_reconnected', {}),
    onError: (error: Error) =>
      log.error('lark.ws_error', { error: error.name, message: error.message.slice(0, 200) }),
  });
  void client.start({ eventDispatcher: dispatcher });
  return {
    close() {
      client.close({ force: false });
    },
  };
}
