/**
 * The Lark client behind the ChannelSender: sends with the outbox row's uuid as the message
 * `uuid`, so the platform shows a retried send once; keeps the rate limits before the platform
 * has to refuse; drops the tenant token and tries once more when the platform calls it invalid.
 * The wire goes through a transport: the official SDK on Node, fetch on Workers.
 */
import type { ChannelSender, OutboundEnvelope, SendResult } from '../core/messenger.ts';
import { type RateLimit, RateLimiter, type SendLimiter } from '../core/rate-limiter.ts';
import { classifyLarkFailure } from './errors.ts';
import { renderLark } from './render.ts';
import type { LarkAnswer, LarkCall, LarkTransport } from './transport.ts';

export interface LarkClientSettings {
  limits: { appPerSecond: number; appPerMinute: number; chatPerSecond: number };
}

interface ApiFailure {
  status: number;
  code: number | undefined;
  reset: string | undefined;
  message: string;
}

/** Any Open API answer carries a Lark code and message. */
interface LarkBody {
  code?: number;
  msg?: string;
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

/** What the client learns once and may keep beyond one instance: plain data only. */
export interface LarkMemo {
  botOpenId?: string;
}

export function createLarkClient(
  settings: LarkClientSettings,
  transport: LarkTransport,
  limiter: SendLimiter = new RateLimiter(),
  memo: LarkMemo = {},
): LarkClient {
  const sending: Sending = { transport, limiter, limits: settings.limits, refusals: [] };
  const botInfo: BotInfo = { transport, memo, asking: null, lastFailure: 0 };
  const sender: ChannelSender = {
    channel: 'lark',
    send: (envelope: OutboundEnvelope): Promise<SendResult> => send(sending, envelope),
  };
  return {
    sender,
    chatMembers: (chatId: string): Promise<string[]> => chatMembers(transport, chatId),
    botOpenId: () => botOpenId(botInfo),
  };
}

/** What sending needs, and what it remembers between sends. */
interface Sending {
  transport: LarkTransport;
  limiter: SendLimiter;
  limits: LarkClientSettings['limits'];
  /** When the platform last answered 429, over the last second. */
  refusals: number[];
}

const second = (limit: number): RateLimit => ({ limit, windowMs: 1000 });

/**
 * Calls the API; on an invalid-token answer, drops the token and tries once more. Resolves to
 * the body when the call succeeded at the HTTP level, or to the failure; throws when nothing answered.
 */
export async function call<B extends LarkBody>(
  transport: LarkTransport,
  request: LarkCall,
): Promise<LarkAnswer<B>> {
  for (let attempt = 0; ; attempt++) {
    const answer = await transport.call<B>(request);
    const code = typeof answer.body?.code === 'number' ? answer.body.code : undefined;
    if (attempt === 0 && classifyLarkFailure(answer.status, code).kind === 'token_invalid') {
      transport.dropToken();
      continue;
    }
    return answer;
  }
}

/** Sends one message within the rate limits, the outbox row's uuid as its `uuid`. */
async function send(sending: Sending, envelope: OutboundEnvelope): Promise<SendResult> {
  const { limits } = sending;
  const rendered = renderLark(envelope.message);
  const slot = await sending.limiter.take([
    { key: 'app:s', limit: { ...second(limits.appPerSecond), even: true } },
    { key: 'app:m', limit: { limit: limits.appPerMinute, windowMs: 60_000 } },
    { key: `chat:${envelope.chatId}`, limit: second(limits.chatPerSecond) },
  ]);
  let answer: LarkAnswer<LarkBody & { data?: { message_id?: string } }>;
  try {
    answer = await call(sending.transport, {
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      // A person the bot has not chatted with yet is reached by open_id (ou_…); chats by chat_id (oc_…).
      query: { receive_id_type: envelope.chatId.startsWith('ou_') ? 'open_id' : 'chat_id' },
      body: {
        receive_id: envelope.chatId,
        msg_type: rendered.msgType,
        content: rendered.content,
        uuid: envelope.idempotencyKey,
      },
    });
  } catch (error) {
    // No answer at all: the platform did not take the message, so the send is given back.
    slot.giveBack();
    return asResult({
      status: 0,
      code: undefined,
      reset: undefined,
      message: error instanceof Error ? error.message : 'request failed',
    });
  }
  const { status, body } = answer;
  if (status === 200 && body?.code === 0 && body.data?.message_id)
    return { ok: true, platformMessageId: body.data.message_id };
  const failure: ApiFailure = {
    status,
    code: typeof body?.code === 'number' ? body.code : undefined,
    reset: answer.rateLimitReset,
    message: typeof body?.msg === 'string' ? body.msg : 'error',
  };
  if (status !== 200 && givesBack(sending, status)) slot.giveBack();
  return asResult(failure);
}

/**
 * Whether a refused send gives its slot back. A server error: the platform did not take the
 * message, so the send is given back. So is a stray 429 (the platform refused it without counting
 * it); a run of them means the app's quota really is used up elsewhere too, and then the slots are
 * kept, so this client slows down instead of pressing on.
 */
function givesBack(sending: Sending, status: number): boolean {
  const { refusals } = sending;
  const now = Date.now();
  if (status === 429) refusals.push(now);
  while (refusals.length > 0 && refusals[0]! < now - 1000) refusals.shift();
  const strayRefusal = status === 429 && refusals.length <= Math.max(1, sending.limits.appPerSecond / 10);
  return status >= 500 || strayRefusal;
}

/** The open_ids of a group chat's members, page by page; throws when the platform refuses. */
async function chatMembers(transport: LarkTransport, chatId: string): Promise<string[]> {
  const ids: string[] = [];
  let pageToken = '';
  // 100 pages of 100 is the largest group Lark allows, several times over.
  for (let page = 0; page < 100; page++) {
    const { body } = await call<MembersPage>(transport, {
      method: 'GET',
      path: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}/members`,
      query: {
        member_id_type: 'open_id',
        page_size: 100,
        ...(pageToken ? { page_token: pageToken } : {}),
      },
    });
    if (body?.code !== 0) throw new Error(`chat members: code ${body?.code ?? 'none'}`);
    for (const item of body.data?.items ?? []) if (item.member_id) ids.push(item.member_id);
    if (!body.data?.has_more || !body.data.page_token) break;
    pageToken = body.data.page_token;
  }
  return ids;
}

/** Where the bot's own open_id comes from: the memo once known, else one question at a time. */
interface BotInfo {
  transport: LarkTransport;
  memo: LarkMemo;
  /** The question being asked now, if any. */
  asking: Promise<string | null> | null;
  /** When asking last failed: asked again only a minute later. */
  lastFailure: number;
}

/** The bot's own open_id, fetched once and cached; null while it cannot be told. */
function botOpenId(info: BotInfo): Promise<string | null> {
  if (info.memo.botOpenId) return Promise.resolve(info.memo.botOpenId);
  if (!info.asking && Date.now() - info.lastFailure > 60_000) {
    info.asking = call<LarkBody & { bot?: { open_id?: string } }>(info.transport, {
      method: 'GET',
      path: '/open-apis/bot/v3/info',
    })
      .then((answer) => (answer.body?.code === 0 ? (answer.body.bot?.open_id ?? null) : null))
      .catch(() => null)
      .then((id) => {
        if (id === null) {
          info.lastFailure = Date.now();
          info.asking = null;
        } else info.memo.botOpenId = id;
        return id;
      });
  }
  return info.asking ?? Promise.resolve(null);
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
