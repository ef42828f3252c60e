/** Checks the officer API's bearer token in constant time. */
import { createMiddleware } from 'hono/factory';
import { AppError, errorText } from '../errors.ts';

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

export function requireBearer(token: string | undefined) {
  return createMiddleware(async (c, next) => {
    if (!token) throw new AppError('unauthorized', errorText.apiDisabled);
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !(await secretsEqual(match[1]!, token)))
      throw new AppError('unauthorized', errorText.unauthorized);
    await next();
  });
}
