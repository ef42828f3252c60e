/**
 * The Open API through the official Node SDK (`@larksuiteoapi/node-sdk`), with `domain` set to
 * the configured API base. The SDK fetches and caches the tenant token; the cache is this file's,
 * so a token the platform rejects can be dropped. Node only: the Worker build sends with fetch.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { readLimited, refusalBody } from './read-limited.ts';
import type { LarkAnswer, LarkAppCredentials, LarkCall, LarkDownload, LarkTransport } from './transport.ts';

/** The SDK's cache contract, kept per transport so a token can be dropped when it is rejected. */
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

export function sdkTransport(credentials: LarkAppCredentials): LarkTransport {
  const cache = new TokenCache();
  const client = new lark.Client({
    appId: credentials.appId,
    appSecret: credentials.appSecret,
    domain: credentials.apiBase,
    cache,
    logger: silent,
  });
  return {
    async call<T>(request: LarkCall): Promise<LarkAnswer<T>> {
      try {
        const body = await client.request<T>({
          method: request.method,
          url: request.path,
          ...(request.query ? { params: request.query } : {}),
          ...(request.body === undefined ? {} : { data: request.body }),
        });
        return { status: 200, body, rateLimitReset: undefined };
      } catch (error) {
        // The SDK rejects with an AxiosError on HTTP 4xx/5xx; without a response, nothing answered.
        // A refused tenant token is not the API's answer either: the call itself never went.
        const failed = error as {
          response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
          config?: { url?: string };
        };
        const response = failed.response;
        if (!response?.status || failed.config?.url?.includes('/auth/v3/')) throw error;
        const reset = response.headers?.['x-ogw-ratelimit-reset'];
        return {
          status: response.status,
          body: response.data as T | undefined,
          rateLimitReset: typeof reset === 'string' ? reset : undefined,
        };
      }
    },
    download: (request, maxBytes) => download(client, request, maxBytes),
    dropToken: () => cache.clear(),
  };
}

type Readable = AsyncIterable<Uint8Array> & { destroy(error?: Error): void };

/** How long a file may take to arrive, answer and body together (the fetch job's claim is longer). */
const downloadTimeoutMs = 120_000;

/**
 * A message's resource through the SDK's own call (`im.messageResource.get`, a stream); the path
 * is the one that call takes, `/open-apis/im/v1/messages/:message_id/resources/:file_key`.
 */
async function download(
  client: lark.Client,
  request: Omit<LarkCall, 'method' | 'body'>,
  maxBytes: number,
): Promise<LarkDownload> {
  const match = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(request.path);
  if (!match) throw new Error(`not a message resource: ${request.path}`);
  const type = String(request.query?.type ?? 'file');
  // One deadline for the whole download (the answer and its body), well within the fetch job's claim.
  const deadline = Date.now() + downloadTimeoutMs;
  try {
    const call = client.im.messageResource.get({
      path: { message_id: decodeURIComponent(match[1]!), file_key: decodeURIComponent(match[2]!) },
      params: { type },
    });
    const answer = await withTimeout(call, downloadTimeoutMs).catch((error: unknown) => {
      // An answer that comes after the deadline is closed, not left holding its connection.
      call.then(
        (late) => (late.getReadableStream() as unknown as Readable).destroy(),
        () => {},
      );
      throw error;
    });
    const stream = answer.getReadableStream() as unknown as Readable;
    const timer = setTimeout(
      () => stream.destroy(new Error('download timed out')),
      Math.max(0, deadline - Date.now()),
    );
    const read = await readLimited(stream, maxBytes, () => stream.destroy()).finally(() =>
      clearTimeout(timer),
    );
    if ('tooLarge' in read) return { status: 200, tooLarge: true };
    const contentType = (answer.headers as Record<string, unknown> | undefined)?.['content-type'];
    return { status: 200, bytes: read.bytes, ...(typeof contentType === 'string' ? { contentType } : {}) };
  } catch (error) {
    // The SDK rejects with an AxiosError on HTTP 4xx/5xx, the refusal's JSON as a stream.
    const response = (error as { response?: { status?: number; data?: unknown } }).response;
    if (!response?.status) throw error;
    const data = response.data as Readable | undefined;
    const read =
      data && typeof data === 'object' && Symbol.asyncIterator in data
        ? await readLimited(data, 64 * 1024, () => data.destroy())
        : null;
    const body = read && 'bytes' in read ? refusalBody(read.bytes) : undefined;
    return { status: response.status, ...(body ? { body } : {}) };
  }
}

/** The SDK's call, or a failure once the download's time is up (the SDK takes no timeout of its own). */
function withTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('download timed out')), ms);
  });
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}
