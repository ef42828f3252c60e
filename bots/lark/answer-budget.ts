/**
 * Lark waits 3 s for the answer to a card callback; past that the person sees an error and the
 * click is not sent again. An answer that depends on slow work is raced against what is left of
 * a budget counted from the moment the request came in: the work's own answer when it is done in
 * time, otherwise nothing (the caller answers without it, and the work goes on).
 */

/**
 * How long a card callback may take here before it is answered without its result: a third of
 * Lark's 3 s, leaving the rest for the way there and back and for the time a request waits to be
 * read when a thousand arrive at once, which this server cannot count: its clock starts when it
 * reads the request.
 */
export const cardAnswerBudgetMs = 1000;

export type Raced<T> = { done: true; value: T } | { done: false };

/** Settles with the work's value (or its error) if it is done within `ms`, else with `{done: false}`. */
export async function answerWithin<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
  });
  const finished = work.then((value) => ({ done: true as const, value }));
  // A failure after the answer is the caller's to report, on `work`; not an unhandled one here.
  finished.catch(() => undefined);
  try {
    return await Promise.race([finished, late]);
  } finally {
    clearTimeout(timer);
  }
}
