/**
 * The limit on guessing secrets over HTTP (ADMIN_TOKEN, console sign-in links): where a request
 * comes from, and the refusals counted per source for every instance (store/failed-sign-ins.ts).
 * A source past the limit is answered 429 with Retry-After and a message in both languages.
 */
import type { Context } from 'hono';
import { AppError, errorText } from '../../kernel/errors.ts';
import type { SourceOf } from './client-address.ts';
import type { FailedSignIns, RefusedSignIn } from './failed-sign-ins.ts';

export interface SignInLimit {
  sourceOf: SourceOf;
  failures: FailedSignIns;
}

/** The 429 for a source that must wait `seconds`; Retry-After is set on the answer. */
export function tooManyAttempts(c: Context, seconds: number): AppError {
  c.header('retry-after', String(seconds));
  return new AppError('too_many_requests', errorText.tooManyAttempts(seconds));
}

/**
 * One sign-in attempt from this request's source, counted before it is tried. Past the limit it
 * is refused without being tried (so a right guess gains nothing, and a link is not used up);
 * otherwise `attempt` runs and resolves to null on success (its count given back) or to what it
 * refused, which is audited.
 */
export async function attemptSignIn(
  limit: SignInLimit,
  c: Context,
  kind: RefusedSignIn,
  attempt: () => Promise<RefusedSignIn | null>,
): Promise<'ok' | 'refused' | { wait: number }> {
  const source = limit.sourceOf(c);
  const wait = await limit.failures.take(source);
  if (wait > 0) {
    await limit.failures.refuse(source, kind, true);
    return { wait };
  }
  const refusal = await attempt();
  if (refusal === null) {
    await limit.failures.release(source);
    return 'ok';
  }
  await limit.failures.refuse(source, refusal, false);
  return 'refused';
}
