/**
 * Checks a bearer token (ADMIN_TOKEN, for the officer API and /metrics) in constant time. A
 * wrong token is counted against its source and audited; a source past the limit is refused
 * with 429 whatever token it sends, so guessing cannot go faster than the limit.
 */
import { createMiddleware } from 'hono/factory';
import { AppError, errorText } from '../../kernel/errors.ts';
import type { RefusedSignIn } from './failed-sign-ins.ts';
import { attemptSignIn, type SignInLimit, tooManyAttempts } from './sign-in-limit.ts';

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Compares two secrets without leaking, through timing, how much of them matched. */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function requireBearer(
  token: string | undefined,
  limit: SignInLimit,
  what: Extract<RefusedSignIn, 'api' | 'metrics'>,
) {
  return createMiddleware(async (c, next) => {
    if (!token) throw new AppError('unauthorized', errorText.apiDisabled);
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // No token offered is no guess: refused, not counted.
    if (!match) throw new AppError('unauthorized', errorText.unauthorized);
    const outcome = await attemptSignIn(limit, c, what, async () =>
      (await secretsEqual(match[1]!, token)) ? null : what,
    );
    if (outcome === 'ok') return next();
    if (outcome === 'refused') throw new AppError('unauthorized', errorText.unauthorized);
    throw tooManyAttempts(c, outcome.wait);
  });
}
