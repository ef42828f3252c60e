/**
 * The long-connection side of the Lark stand-in. `POST /callback/ws/endpoint` hands out a socket
 * URL and the client settings, as the platform does; the socket speaks the platform's frames
 * (protobuf `pbbp2.Frame`): pings are answered with pongs carrying the settings, events are
 * pushed as data frames (split into fragments when asked), and the client's answers, sent back
 * on the same message id, are collected. It can drop every connection or stop answering, to
 * test reconnecting and the ping timeout.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import protobuf from 'protobufjs';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * The frame's type, built when first used rather than when this module loads: the SDK sets
 * protobufjs's shared `util.Long` as it loads, and a type built before then would disagree with
 * it about 64-bit fields.
 */
const frameTypeOnce = (() => {
  let built: protobuf.Type | null = null;
  return () => {
    if (built) return built;
    const header = new protobuf.Type('Header')
      .add(new protobuf.Field('key', 1, 'string', 'required'))
      .add(new protobuf.Field('value', 2, 'string', 'required'));
    built = new protobuf.Type('Frame')
      .add(new protobuf.Field('SeqID', 1, 'uint64', 'required'))
      .add(new protobuf.Field('LogID', 2, 'uint64', 'required'))
      .add(new protobuf.Field('service', 3, 'int32', 'required'))
      .add(new protobuf.Field('method', 4, 'int32', 'required'))
      .add(new protobuf.Field('headers', 5, 'Header', 'repeated'))
      .add(new protobuf.Field('payloadEncoding', 6, 'string', 'optional'))
      .add(new protobuf.Field('payloadType', 7, 'string', 'optional'))
      .add(new protobuf.Field('payload', 8, 'bytes', 'optional'))
      .add(new protobuf.Field('LogIDNew', 9, 'string', 'optional'));
    new protobuf.Root().define('pbbp2').add(header).add(built);
    return built;
  };
})();

interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

const control = 0;
const data = 1;
const serviceId = 7;

/** What the client is told to do (seconds, as the platform sends them). */
export interface ClientSettings {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

/** Quick pings and reconnects, so tests over the long connection take a second, not minutes. */
export const quickClientSettings: ClientSettings = {
  PingInterval: 1,
  ReconnectCount: -1,
  ReconnectInterval: 0.1,
  ReconnectNonce: 0,
};

export interface ClientAnswer {
  code: number;
  /** The handler's result, decoded from the frame's base64 `data`. */
  data?: Record<string, unknown>;
}

export interface LongConnectionGateway {
  settings: ClientSettings;
  /** Stop answering pings and sending anything, as a dead link would. */
  silent: boolean;
  endpointCalls: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections open now. */
  open(): number;
  /**
   * Open connections whose client has sent its first ping: the SDK starts listening for events
   * only after that, so an event pushed earlier would be dropped on the floor by the client.
   */
  ready(): number;
  pings(): number;
  /** Close codes of connections the client closed itself. */
  closedByClient: number[];
  /** Pushes an event over the newest open connection and resolves with the client's answer. */
  push(event: unknown, opts?: { fragments?: number; timeoutMs?: number }): Promise<ClientAnswer>;
  /** Cuts every connection without a close handshake. */
  dropAll(): void;
  /** The HTTP side: the answer to an endpoint request, or null for other paths. */
  endpoint(path: string, body: Record<string, unknown> | null): { status: number; body: unknown } | null;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createLongConnectionGateway(opts: {
  appId: string;
  appSecret: string;
  baseUrl: () => string;
}): LongConnectionGateway {
  const server = new WebSocketServer({ noServer: true });
  const sockets: WebSocket[] = [];
  const pinged = new WeakSet<WebSocket>();
  const waiting = new Map<string, (answer: ClientAnswer) => void>();
  let accepted = 0;
  let pings = 0;
  let pushSeq = 0;
  let ticketSeq = 0;
  const tickets = new Set<string>();

  const gateway: LongConnectionGateway = {
    settings: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 },
    silent: false,
    endpointCalls: 0,
    closedByClient: [],
    connections: () => accepted,
    open: () => sockets.filter((s) => s.readyState === s.OPEN).length,
    ready: () => sockets.filter((s) => s.readyState === s.OPEN && pinged.has(s)).length,
    pings: () => pings,

    endpoint(path, body) {
      if (path !== '/callback/ws/endpoint') return null;
      gateway.endpointCalls++;
      if (body?.AppID !== opts.appId || body?.AppSecret !== opts.appSecret) {
        return { status: 200, body: { code: 514, msg: 'auth failed', data: {} } };
      }
      const ticket = `t${++ticketSeq}`;
      tickets.add(ticket);
      const url = `${opts.baseUrl().replace(/^http/, 'ws')}/ws?ticket=${ticket}&device_id=d${ticketSeq}&service_id=${serviceId}`;
      return {
        status: 200,
        body: { code: 0, msg: 'ok', data: { URL: url, ClientConfig: gateway.settings } },
      };
    },

    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/ws' || !tickets.delete(ticket)) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      server.handleUpgrade(req, socket, head, (ws) => {
        accepted++;
        sockets.push(ws);
        ws.on('close', (code) => {
          if (code !== 1006) gateway.closedByClient.push(code);
        });
        ws.on('message', (raw: Buffer) => {
          const frameType = frameTypeOnce();
          const frame = frameType.toObject(frameType.decode(raw), { longs: Number }) as Frame;
          const headers = Object.fromEntries((frame.headers ?? []).map((h) => [h.key, h.value]));
          if (frame.method === control && headers.type === 'ping') {
            pings++;
            pinged.add(ws);
            if (gateway.silent) return;
            send(ws, {
              method: control,
              headers: [{ key: 'type', value: 'pong' }],
              payload: new TextEncoder().encode(JSON.stringify(gateway.settings)),
            });
            return;
          }
          if (frame.method === data && headers.message_id) {
            const answer = JSON.parse(new TextDecoder().decode(frame.payload)) as {
              code: number;
              data?: string;
            };
            const decoded =
              typeof answer.data === 'string'
                ? (JSON.parse(Buffer.from(answer.data, 'base64').toString('utf8')) as Record<string, unknown>)
                : undefined;
            waiting.get(headers.message_id)?.({ code: answer.code, ...(decoded ? { data: decoded } : {}) });
            waiting.delete(headers.message_id);
          }
        });
      });
    },

    push(event, { fragments = 1, timeoutMs = 10_000 } = {}) {
      const ws = [...sockets].reverse().find((s) => s.readyState === s.OPEN && pinged.has(s));
      if (!ws) return Promise.reject(new Error('no open long connection'));
      const messageId = `ws_msg_${++pushSeq}`;
      const bytes = new TextEncoder().encode(JSON.stringify(event));
      const size = Math.ceil(bytes.length / fragments);
      const answered = new Promise<ClientAnswer>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(messageId);
          reject(new Error(`no answer to ${messageId}`));
        }, timeoutMs);
        waiting.set(messageId, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
      });
      for (let seq = 0; seq < fragments; seq++) {
        send(ws, {
          method: data,
          headers: [
            { key: 'type', value: 'event' },
            { key: 'message_id', value: messageId },
            { key: 'sum', value: String(fragments) },
            { key: 'seq', value: String(seq) },
            { key: 'trace_id', value: `trace_${pushSeq}` },
          ],
          payload: bytes.slice(seq * size, (seq + 1) * size),
        });
      }
      return answered;
    },

    dropAll() {
      for (const ws of sockets) ws.terminate();
    },

    close() {
      for (const ws of sockets) ws.terminate();
      server.close();
    },
  };
  return gateway;
}

function send(ws: WebSocket, frame: Omit<Frame, 'SeqID' | 'LogID' | 'service'>) {
  ws.send(
    frameTypeOnce()
      .encode(frameTypeOnce().fromObject({ SeqID: 0, LogID: 0, service: serviceId, ...frame }))
      .finish(),
  );
}
