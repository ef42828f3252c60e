/** What a Lark API failure means for the outbox: retry later, retry now with a new token, or give up. */

/** The tenant token is invalid or expired: fetch a new one and try once more. */
export const tokenInvalidCodes: ReadonlySet<number> = new Set([99991661, 99991663, 99991664, 99991671]);

/** Rate limited (app-wide 99991400, IM's own 230020). */
const rateLimitCodes: ReadonlySet<number> = new Set([99991400, 230020]);

/** The message can never be delivered as it is: bot not in chat, user gone or blocked the bot, … */
const permanentCodes: ReadonlySet<number> = new Set([
  230001, 230002, 230006, 230013, 230017, 230018, 230019, 230022, 230025, 230027, 230028, 230029, 230034,
  230035, 230038, 230053, 230099, 232009,
]);

export type LarkFailure =
  | { kind: 'token_invalid' }
  | { kind: 'retry'; retryAfterMs?: number }
  | { kind: 'permanent' };

/** Classifies a failed call by HTTP status (0 when no response came), Lark code and rate-limit reset header. */
export function classifyLarkFailure(
  status: number,
  code: number | undefined,
  resetSeconds?: string,
): LarkFailure {
  if (code !== undefined && tokenInvalidCodes.has(code)) return { kind: 'token_invalid' };
  if (status === 429 || (code !== undefined && rateLimitCodes.has(code))) {
    const reset = Number(resetSeconds);
    return Number.isFinite(reset) && reset > 0
      ? { kind: 'retry', retryAfterMs: reset * 1000 }
      : { kind: 'retry' };
  }
  if (code !== undefined && permanentCodes.has(code)) return { kind: 'permanent' };
  if (status === 0 || status >= 500) return { kind: 'retry' };
  return status >= 400 ? { kind: 'permanent' } : { kind: 'retry' };
}
