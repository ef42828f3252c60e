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

/** A file downloaded from the Open API (a message's resource), or the JSON answer that refused it. */
export interface LarkDownload {
  status: number;
  /** The content, when the platform sent it and it was within the limit. */
  bytes?: Uint8Array;
  /** The content ran past the limit; reading stopped there. */
  tooLarge?: boolean;
  contentType?: string;
  /** The JSON body of a refusal (`code`, `msg`). */
  body?: { code?: number; msg?: string };
}

export interface LarkTransport {
  /** Makes the call with the tenant token; throws only when no answer came (network, timeout). */
  call<T>(request: LarkCall): Promise<LarkAnswer<T>>;
  /** Downloads a file with the tenant token, reading at most `maxBytes`; throws only when no answer came. */
  download(request: Omit<LarkCall, 'method' | 'body'>, maxBytes: number): Promise<LarkDownload>;
  /** Forgets the tenant token, after the platform called it invalid or expired. */
  dropToken(): void;
}

export interface LarkAppCredentials {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn, https://open.larksuite.com, or the stand-in in tests. */
  apiBase: string;
}
