/**
 * The Open API over `fetch`, for runtimes where the Node SDK does not run (Cloudflare Workers).
 * The wire is the SDK's: the tenant token from `auth/v3/tenant_access_token/internal`, sent as a
 * bearer token and renewed a few minutes before the expiry the platform gave. The token is kept
 * as plain data in `tokens`, which may outlive one request; a token request in flight is shared
 * only by the calls of this transport.
 */
import { chunksOf, readLimited, refusalBody } from './read-limited.ts';
import type { LarkAnswer, LarkAppCredentials, LarkCall, LarkDownload, LarkTransport } from './transport.ts';

/** Where the tenant token is kept between calls (a module-level object on Workers). */
export interface TokenStore {
  token?: { value: string; expiresAt: number; appId: string } | undefined;
}

interface TokenAnswer {
  code?: number;
  msg?: string;
  tenant_access_token?: string;
  expire?: number;
}

/** Renewed this long before the platform's expiry, as the SDK does. */
const renewBeforeMs = 3 * 60_000;
const timeoutMs = 10_000;
/** A file of up to the platform's 100 MB may take a while. */
const downloadTimeoutMs = 120_000;

export function fetchTransport(
  credentials: LarkAppCredentials,
  tokens: TokenStore = {},
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): LarkTransport {
  const base = credentials.apiBase.replace(/\/+$/, '');

  const urlOf = (request: Pick<LarkCall, 'path' | 'query'>) => urlWith(base, request);
  const send = <T>(request: LarkCall, token: string | null) =>
    sendWith<T>(fetcher, urlOf(request), request, token);

  let fetching: Promise<string> | null = null;
  /** The token the last call went with, so that dropping it never drops a newer one. */
  let used: string | null = null;

  /**
   * The cached token, or a new one. A refusal throws, as no answer would: the call never reached
   * the API, and a wrong secret, once corrected, should not have failed anything for good.
   */
  function tenantToken(): Promise<string> {
    const held = tokens.token;
    if (held && held.appId === credentials.appId && held.expiresAt > Date.now())
      return Promise.resolve(held.value);
    // Calls made together share one request for a new token (within this transport).
    fetching ??= newToken().finally(() => {
      fetching = null;
    });
    return fetching;
  }

  async function newToken(): Promise<string> {
    const answer = await send<TokenAnswer>(
      {
        method: 'POST',
        path: '/open-apis/auth/v3/tenant_access_token/internal',
        body: { app_id: credentials.appId, app_secret: credentials.appSecret },
      },
      null,
    );
    const value = answer.body?.tenant_access_token;
    if (answer.status !== 200 || answer.body?.code !== 0 || !value)
      throw new Error(`tenant token refused: HTTP ${answer.status} code ${answer.body?.code ?? 'none'}`);
    const lifetimeMs = Math.max(60_000, (answer.body.expire ?? 7200) * 1000 - renewBeforeMs);
    tokens.token = { value, expiresAt: Date.now() + lifetimeMs, appId: credentials.appId };
    return value;
  }

  return {
    async call<T>(request: LarkCall): Promise<LarkAnswer<T>> {
      const token = await tenantToken();
      used = token;
      return send<T>(request, token);
    },
    async download(request, maxBytes): Promise<LarkDownload> {
      const token = await tenantToken();
      used = token;
      return downloadWith(fetcher, urlOf(request), token, maxBytes);
    },
    dropToken() {
      if (!tokens.token || tokens.token.value === used) tokens.token = undefined;
    },
  };
}

/** A file fetched with the token, read up to `maxBytes`; a JSON answer is the platform's refusal. */
async function downloadWith(
  fetcher: typeof fetch,
  url: URL,
  token: string,
  maxBytes: number,
): Promise<LarkDownload> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), downloadTimeoutMs);
  try {
    const response = await fetcher(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type') ?? undefined;
    const read = await readLimited(chunksOf(response.body), maxBytes, () => controller.abort());
    if ('tooLarge' in read) return { status: response.status, tooLarge: true };
    if (response.status !== 200 || contentType?.startsWith('application/json')) {
      const body = refusalBody(read.bytes);
      return { status: response.status, ...(body ? { body } : {}) };
    }
    return { status: 200, bytes: read.bytes, ...(contentType ? { contentType } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

function urlWith(base: string, request: Pick<LarkCall, 'path' | 'query'>): URL {
  const url = new URL(`${base}${request.path}`);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, String(value));
  return url;
}

/** One JSON call, with the token when there is one; the body as JSON when it parses. */
async function sendWith<T>(
  fetcher: typeof fetch,
  url: URL,
  request: LarkCall,
  token: string | null,
): Promise<LarkAnswer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetcher(url, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: T | undefined;
  try {
    body = text ? (JSON.parse(text) as T) : undefined;
  } catch {
    body = undefined;
  }
  return {
    status: response.status,
    body,
    rateLimitReset: response.headers.get('x-ogw-ratelimit-reset') ?? undefined,
  };
}
