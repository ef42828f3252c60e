/**
 * A local stand-in for the Lark Open API, speaking its wire format over real HTTP: tenant token,
 * send, reply, update card, bot info, chat members, the contact directory and message files. It records every call, deduplicates sends on `uuid` as the
 * platform does, and can refuse a share of calls with 429 (code 99991400) or 5xx, or expire the
 * token it issued (code 99991663), so senders are tested against the faults they will meet.
 * It also serves the long connection (see lark-ws-gateway.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { contactAnswer, type StandInDirectory } from './lark-contact-stand-in.ts';
import { resourceAnswer, type StandInFiles } from './lark-resource-stand-in.ts';
import { createLongConnectionGateway, type LongConnectionGateway } from './lark-ws-gateway.ts';

export interface StandInCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | null;
  authorization: string | undefined;
  /** What the stand-in answered: HTTP status and Lark code. */
  status: number;
  code: number;
  /** Refused for going over a frequency limit. */
  limited?: boolean /** When it arrived (performance.now() of the stand-in's process). */;
  at: number;
}

export interface SentMessage {
  messageId: string;
  receiveIdType: string;
  receiveId: string;
  msgType: string;
  content: Record<string, unknown>;
  uuid: string | undefined;
  /** For replies, the message replied to. */
  replyTo?: string;
}

export interface StandInOptions {
  appId: string;
  appSecret: string;
  botOpenId?: string;
}

export interface Faults {
  /** Share of send/reply/update calls refused (0..1). */
  rate: number;
  /** What a refusal looks like. */
  kind: '429' | '500' | 'mixed';
  /** Delay added to every send, in ms (for slow-platform tests). */
  delayMs?: number;
  /**
   * Sends, replies and card updates that arrive while this is set wait for it before anything
   * else, so a test can hold the sender at a known point (a send in flight) and release it later.
   */
  hold?: Promise<void>;
  /**
   * Frequency limits on sends, as the platform keeps them: per app and per receiver, in any
   * 1-second window. A send over either is refused with 429 (code 99991400) and counts for
   * nothing; calls refused by `rate` above never reach the limiter.
   */
  appPerSecond?: number;
  userPerSecond?: number;
}

/** The largest card message Lark takes: 30 KB of request body. */
export const maxCardRequestBytes = 30 * 1024;

/** Chats the bot is not in: sends there get code 230002 (permanent). */
export interface StandIn {
  url: string;
  calls: StandInCall[];
  /** Messages the platform accepted, once per uuid. */
  sent: SentMessage[];
  updates: { messageId: string; content: Record<string, unknown> }[];
  faults: Faults;
  /** Chats where sending fails permanently (bot not in chat). */
  closedChats: Set<string>;
  /** Who is in each group chat (open_ids), for the chat members API; a chat not here is 232011. */
  chatMembers: Map<string, string[]>;
  /** The tenant's contact directory (departments and users), read by the contact API. */
  directory: StandInDirectory;
  /** The files of messages sent to the bot, served by the message resource API. */
  files: StandInFiles;
  /** Invalidates every issued token, as when it expires. */
  expireTokens(): void;
  tokensIssued(): number;
  /** The long-connection endpoint and socket. */
  gateway: LongConnectionGateway;
  close(): Promise<void>;
}

export async function startLarkStandIn(options: StandInOptions): Promise<StandIn> {
  const calls: StandInCall[] = [];
  const sent: SentMessage[] = [];
  const updates: StandIn['updates'] = [];
  const byUuid = new Map<string, SentMessage>();
  const validTokens = new Set<string>();
  let issued = 0;
  let messageSeq = 0;
  const faults: Faults = { rate: 0, kind: '429' };
  const closedChats = new Set<string>();
  const chatMembers = new Map<string, string[]>();
  const directory: StandInDirectory = { departments: [], users: [] };
  const files: StandInFiles = new Map();
  /** Accepted send times in the last second: '' for the app, else per receiver. */
  const windows = new Map<string, number[]>();
  let baseUrl = '';
  const gateway = createLongConnectionGateway({ ...options, baseUrl: () => baseUrl });

  /** A frequency limit's headers, as the platform sends them: the limit and the seconds to its reset. */
  const limitHeaders = (limit: number) => ({
    'x-ogw-ratelimit-limit': String(limit),
    'x-ogw-ratelimit-reset': '1',
  });

  const reply = (res: ServerResponse, status: number, body: Record<string, unknown>, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  /** The request body as JSON (null when empty or not JSON), and its size in bytes as sent. */
  const readBody = (req: IncomingMessage) =>
    new Promise<{ json: Record<string, unknown> | null; bytes: number }>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (raw.length === 0) return resolve({ json: null, bytes: 0 });
        try {
          resolve({ json: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, bytes: raw.length });
        } catch {
          resolve({ json: null, bytes: raw.length });
        }
      });
    });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const { json: body, bytes } = await readBody(req);
    const call: StandInCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
      status: 200,
      code: 0,
      at: performance.now(),
    };
    calls.push(call);
    const answer = (status: number, code: number, payload: Record<string, unknown>, headers = {}) => {
      call.status = status;
      call.code = code;
      reply(res, status, { code, msg: code === 0 ? 'success' : `error ${code}`, ...payload }, headers);
    };

    const endpoint = call.method === 'POST' ? gateway.endpoint(url.pathname, body) : null;
    if (endpoint) {
      const code = (endpoint.body as { code: number }).code;
      call.code = code;
      res.writeHead(endpoint.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(endpoint.body));
      return;
    }

    if (call.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body?.app_id !== options.appId || body?.app_secret !== options.appSecret) {
        return answer(400, 10014, {});
      }
      const token = `t-standin-${++issued}`;
      validTokens.add(token);
      return answer(200, 0, { tenant_access_token: token, expire: 7200 });
    }

    const token = /^Bearer (.+)$/.exec(call.authorization ?? '')?.[1];
    if (!token || !validTokens.has(token)) return answer(400, 99991663, {});

    const contact = call.method === 'GET' ? contactAnswer(directory, url.pathname, call.query) : null;
    if (contact) return answer(contact.status, contact.code, contact.payload);

    const resource = call.method === 'GET' ? resourceAnswer(files, url.pathname, call.query) : null;
    if (resource && 'bytes' in resource) {
      res.writeHead(200, {
        'content-type': resource.contentType,
        'content-length': String(resource.bytes.length),
      });
      res.end(resource.bytes);
      return;
    }
    if (resource) return answer(400, resource.code, {});

    if (call.method === 'GET' && url.pathname === '/open-apis/bot/v3/info') {
      return answer(200, 0, { bot: { open_id: options.botOpenId ?? 'ou_bot_standin', app_name: '同心' } });
    }

    const membersMatch = /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/.exec(url.pathname);
    if (call.method === 'GET' && membersMatch) {
      // Paged as the platform pages it: page_size (at most 100) per page, an opaque page_token.
      const members = chatMembers.get(decodeURIComponent(membersMatch[1]!));
      if (!members) return answer(400, 232011, {});
      if (call.query.member_id_type !== 'open_id') return answer(400, 232001, {});
      const size = Math.min(100, Math.max(1, Number(call.query.page_size ?? 20)));
      const start = call.query.page_token ? Number(call.query.page_token.replace(/^p/, '')) : 0;
      const page = members.slice(start, start + size);
      const more = start + size < members.length;
      return answer(200, 0, {
        data: {
          items: page.map((id) => ({
            member_id_type: 'open_id',
            member_id: id,
            name: `成员 ${id.slice(-4)}`,
          })),
          has_more: more,
          page_token: more ? `p${start + size}` : '',
          member_total: members.length,
        },
      });
    }

    const isSend = call.method === 'POST' && url.pathname === '/open-apis/im/v1/messages';
    const replyMatch = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(url.pathname);
    const updateMatch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if (!isSend && !(call.method === 'POST' && replyMatch) && !(call.method === 'PATCH' && updateMatch)) {
      return answer(404, 404, {});
    }

    if (faults.hold) await faults.hold;
    if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    if (faults.rate > 0 && Math.random() < faults.rate) {
      const kind = faults.kind === 'mixed' ? (Math.random() < 0.5 ? '429' : '500') : faults.kind;
      if (kind === '429') return answer(429, 99991400, {}, limitHeaders(50));
      return answer(500, 1, {});
    }

    if ((isSend || replyMatch) && (faults.appPerSecond || faults.userPerSecond)) {
      const now = performance.now();
      const receiver = String(body?.receive_id ?? replyMatch?.[1] ?? '');
      const recent = (times: number[]) => times.filter((t) => t > now - 1000);
      const app = recent(windows.get('') ?? []);
      const user = recent(windows.get(receiver) ?? []);
      windows.set('', app);
      windows.set(receiver, user);
      if (
        (faults.appPerSecond && app.length >= faults.appPerSecond) ||
        (faults.userPerSecond && user.length >= faults.userPerSecond)
      ) {
        call.limited = true;
        return answer(429, 99991400, {}, limitHeaders(faults.appPerSecond ?? faults.userPerSecond ?? 50));
      }
      app.push(now);
      user.push(now);
    }

    if (call.method === 'PATCH' && updateMatch) {
      updates.push({ messageId: updateMatch[1]!, content: JSON.parse(String(body?.content ?? '{}')) });
      return answer(200, 0, {});
    }

    const receiveId = String(body?.receive_id ?? '');
    if (closedChats.has(receiveId)) return answer(400, 230002, {});
    // Lark's limit on a card message is on the request body as sent (30 KB), escaping included.
    if (body?.msg_type === 'interactive' && bytes > maxCardRequestBytes) return answer(400, 230025, {});
    const uuid = typeof body?.uuid === 'string' ? body.uuid : undefined;
    const existing = uuid ? byUuid.get(uuid) : undefined;
    if (existing) return answer(200, 0, { data: { message_id: existing.messageId } });
    const message: SentMessage = {
      messageId: `om_standin_${++messageSeq}`,
      receiveIdType: call.query.receive_id_type ?? '',
      receiveId,
      msgType: String(body?.msg_type ?? ''),
      content: JSON.parse(String(body?.content ?? '{}')),
      uuid,
      ...(replyMatch ? { replyTo: replyMatch[1]! } : {}),
    };
    sent.push(message);
    if (uuid) byUuid.set(uuid, message);
    return answer(200, 0, {
      data: { message_id: message.messageId, chat_id: receiveId, msg_type: message.msgType },
    });
  });

  server.on('upgrade', (req, socket, head) => gateway.upgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    gateway,
    calls,
    sent,
    updates,
    faults,
    closedChats,
    chatMembers,
    directory,
    files,
    expireTokens: () => validTokens.clear(),
    tokensIssued: () => issued,
    close: () =>
      new Promise<void>((resolve) => {
        gateway.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
