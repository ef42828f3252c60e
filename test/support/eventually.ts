/**
 * Waiting in tests for something to happen, never for a length of time. A check is looked at
 * again and again until it holds; only a deadline generous enough for a busy shared machine ends
 * the wait, and then with what was awaited named. A test passes as soon as the thing happens, so
 * the deadline costs nothing when all is well.
 */

/** How long a test waits for any one thing before it gives up: a minute, on the busiest machine. */
export const patienceMs = 60_000;

/**
 * Resolves with the first value `look` gives that is neither undefined, null nor false; rejects
 * naming `what` once `timeoutMs` has passed without one.
 */
export async function eventually<T>(
  look: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  { timeoutMs = patienceMs, everyMs = 50 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await look();
    if (found !== undefined && found !== null && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The promise's value, or a rejection naming `what` if it has not settled within `timeoutMs`. */
export function within<T>(promise: T | PromiseLike<T>, what: string, timeoutMs = patienceMs): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  return Promise.race([Promise.resolve(promise), late]).finally(() => clearTimeout(timer));
}

/** A gate a test holds work at: `wait` resolves only once `open` is called. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
