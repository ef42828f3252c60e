/**
 * How the Lark client reaches the Open API: one call with the tenant token, answered with the
 * HTTP status and the JSON body. The official SDK does it on Node; `fetch` does it on Workers.
 * Either way the caller sees the same answer, so rate limits, retries and refusals are handled
 * once, in sender.ts.
 */

export interface LarkCall {
  method: 'GET' | 'POST';
  /** The API path, `/open-apis/…`. */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

export interface LarkAnswer<T> {
  /** The HTTP status (200 even when the Lark code says the call failed). */
  status: number;
  /** The JSON body, when there was one. */
  body: T | undefined;
  /** `x-ogw-ratelimit-reset`: seconds until the frequency limit resets, on a 429. */
  rateLimitReset: string | undefined;
}

export interface LarkTransport {
  /** Makes the call with the tenant token; throws only when no answer came (network, timeout). */
  call<T>(request: LarkCall): Promise<LarkAnswer<T>>;
  /** Forgets the tenant token, after the platform called it invalid or expired. */
  dropToken(): void;
}

export interface LarkAppCredentials {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn, https://open.larksuite.com, or the stand-in in tests. */
  apiBase: string;
}
