/**
 * Sends through the official SDK client, with `domain` = LARK_API_BASE. The outbox row's uuid is
 * the message `uuid`, so the platform shows a retried send once. The SDK caches the tenant token
 * but never drops it on the expiry codes, so this client owns the cache and clears it on them.
 * Rate limits are kept before the platform has to refuse.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { ChannelSender, OutboundEnvelope, SendResult } from '../core/messenger.ts';
import { type RateLimit, RateLimiter } from '../core/rate-limiter.ts';
import { classifyLarkFailure } from './errors.ts';
import { renderLark } from './render.ts';

export interface LarkClientSettings {
  appId: string;
  appSecret: string;
  apiBase: string;
  limits: { appPerSecond: number; appPerMinute: number; chatPerSecond: number };
}

/** The SDK's cache contract, kept per client so a token can be dropped when the platform rejects it. */
class TokenCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  async set(key: unknown, value: unknown, expire?: number): Promise<boolean> {
    this.entries.set(String(key), { value, expiresAt: expire ?? Number.POSITIVE_INFINITY });
    return true;
  }
  async get(key: unknown): Promise<unknown> {
    const entry = this.entries.get(String(key));
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.value;
  }
  clear(): void {
    this.entries.clear();
  }
}

const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

interface ApiFailure {
  status: number;
  code: number | undefined;
  reset: string | undefined;
  message: string;
}

/** Reads an SDK rejection (an AxiosError on HTTP 4xx/5xx, or a network error). */
function failureOf(error: unknown): ApiFailure {
  const response = (
    error as { response?: { status?: number; data?: unknown; headers?: Record<string, unknown> } }
  ).response;
  const data = response?.data as { code?: unknown; msg?: unknown } | undefined;
  return {
    status: response?.status ?? 0,
    code: typeof data?.code === 'number' ? data.code : undefined,
    reset:
      typeof response?.headers?.['x-ogw-ratelimit-reset'] === 'string'
        ? response.headers['x-ogw-ratelimit-reset']
        : undefined,
    message:
      typeof data?.msg === 'string' ? data.msg : error instanceof Error ? error.message : 'request failed',
  };
}

export interface LarkClient {
  sender: ChannelSender;
  /** The bot's own open_id (for telling mentions of the bot apart), fetched once and cached. */
  botOpenId(): Promise<string | null>;
  /** The open_ids of a group chat's members (for a poll's reminder); throws when the platform refuses. */
  chatMembers(chatId: string): Promise<string[]>;
}

interface MembersPage {
  code?: number;
  msg?: string;
  data?: { items?: { member_id?: string }[]; has_more?: boolean; page_token?: string };
}

export function createLarkClient(settings: LarkClientSettings, limiter = new RateLimiter()): LarkClient {
  const cache = new TokenCache();
  const client = new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.apiBase,
    cache,
    logger: silent,
  });
  const second = (limit: number): RateLimit => ({ limit, windowMs: 1000 });
  /** When the platform last answered 429, over the last second. */
  const refusals: number[] = [];
  const { limits } = settings;

  /** Calls the API; on an invalid-token answer, drops the cached token and tries once more. */
  async function call<T extends { code?: number; msg?: string }>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await request();
        if (
          attempt === 0 &&
          typeof result.code === 'number' &&
          classifyLarkFailure(200, result.code).kind === 'token_invalid'
        ) {
          cache.clear();
          continue;
        }
        return result;
      } catch (error) {
        const failure = failureOf(error);
        if (attempt === 0 && classifyLarkFailure(failure.status, failure.code).kind === 'token_invalid') {
          cache.clear();
          continue;
        }
        throw error;
      }
    }
  }

  const sender: ChannelSender = {
    channel: 'lark',
    async send(envelope: OutboundEnvelope): Promise<SendResult> {
      const rendered = renderLark(envelope.message);
      const slot = await limiter.take([
        { key: 'app:s', limit: { ...second(limits.appPerSecond), even: true } },
        { key: 'app:m', limit: { limit: limits.appPerMinute, windowMs: 60_000 } },
        { key: `chat:${envelope.chatId}`, limit: second(limits.chatPerSecond) },
      ]);
      try {
        const result = await call(() =>
          client.im.message.create({
            // A person the bot has not chatted with yet is reached by open_id (ou_…); chats by chat_id (oc_…).
            params: { receive_id_type: envelope.chatId.startsWith('ou_') ? 'open_id' : 'chat_id' },
            data: {
              receive_id: envelope.chatId,
              msg_type: rendered.msgType,
              content: rendered.content,
              uuid: envelope.idempotencyKey,
            },
          }),
        );
        if (result.code === 0 && result.data?.message_id)
          return { ok: true, platformMessageId: result.data.message_id };
        return asResult({ status: 200, code: result.code, reset: undefined, message: result.msg ?? 'error' });
      } catch (error) {
        const failure = failureOf(error);
        // A server error or no answer at all: the platform did not take the message, so the
        // send is given back. So is a stray 429 (the platform refused it without counting it);
        // a run of them means the app's quota really is used up elsewhere too, and then the
        // slots are kept, so this client slows down instead of pressing on.
        const now = Date.now();
        if (failure.status === 429) refusals.push(now);
        while (refusals.length > 0 && refusals[0]! < now - 1000) refusals.shift();
        const strayRefusal =
          failure.status === 429 && refusals.length <= Math.max(1, limits.appPerSecond / 10);
        if (failure.status === 0 || failure.status >= 500 || strayRefusal) slot.giveBack();
        return asResult(failure);
      }
    },
  };

  async function chatMembers(chatId: string): Promise<string[]> {
    const ids: string[] = [];
    let pageToken = '';
    // 100 pages of 100 is the largest group Lark allows, several times over.
    for (let page = 0; page < 100; page++) {
      const result = await call(() =>
        client.request<MembersPage>({
          method: 'GET',
          url: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}/members`,
          params: {
            member_id_type: 'open_id',
            page_size: 100,
            ...(pageToken ? { page_token: pageToken } : {}),
          },
        }),
      );
      if (result.code !== 0) throw new Error(`chat members: code ${result.code ?? 'none'}`);
      for (const item of result.data?.items ?? []) if (item.member_id) ids.push(item.member_id);
      if (!result.data?.has_more || !result.data.page_token) break;
      pageToken = result.data.page_token;
    }
    return ids;
  }

  let botId: Promise<string | null> | null = null;
  let lastFailure = 0;
  return {
    sender,
    chatMembers,
    botOpenId() {
      if (!botId && Date.now() - lastFailure > 60_000) {
        botId = call(() =>
          client.request<{ code?: number; bot?: { open_id?: string } }>({
            method: 'GET',
            url: '/open-apis/bot/v3/info',
          }),
        )
          .then((res) => res.bot?.open_id ?? null)
          .catch(() => null)
          .then((id) => {
            if (id === null) {
              lastFailure = Date.now();
              botId = null;
            }
            return id;
          });
      }
      return botId ?? Promise.resolve(null);
    },
  };
}

function asResult(failure: ApiFailure): SendResult {
  const kind = classifyLarkFailure(failure.status, failure.code, failure.reset);
  const error =
    `HTTP ${failure.status}${failure.code === undefined ? '' : ` code ${failure.code}`}: ${failure.message}`.slice(
      0,
      300,
    );
  if (kind.kind === 'permanent') return { ok: false, retryable: false, error };
  return {
    ok: false,
    retryable: true,
    error,
    ...(kind.kind === 'retry' && kind.retryAfterMs ? { retryAfterMs: kind.retryAfterMs } : {}),
  };
}
