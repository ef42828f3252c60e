/**
 * A background worker loop: runs a job while it finds work, then sleeps until kicked or until
 * the idle interval passes. Errors (such as the database going away) back off and retry.
 */
import { errorFields, type Logger } from '../kernel/log.ts';

export interface Loop {
  /** Wakes the loop now (new work was just written). */
  kick(): void;
  start(): void;
  /** Stops after the current round; resolves when it has. */
  stop(): Promise<void>;
}

/** Lets pending I/O (HTTP requests) run before the next round: setImmediate runs right after the poll phase. */
const yieldToEventLoop = () =>
  new Promise<void>((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

export function createLoop(
  name: string,
  work: () => Promise<boolean | number>,
  opts: {
    idleMs: number;
    log: Logger;
    /** Milliseconds to hold off before the next round (0: go); kicks do not cut it short. */
    pause?: () => number;
  },
): Loop {
  let running = false;
  let done: Promise<void> = Promise.resolve();
  let wake: (() => void) | null = null;
  let kicked = false;
  let endPause: (() => void) | null = null;

  const holdOff = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        endPause = null;
        resolve();
      }, ms);
      endPause = () => {
        clearTimeout(timer);
        endPause = null;
        resolve();
      };
    });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (kicked) {
        kicked = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  const run = async () => {
    let failures = 0;
    while (running) {
      const pause = opts.pause?.() ?? 0;
      if (pause > 0) {
        await holdOff(pause);
        continue;
      }
      try {
        const did = await work();
        failures = 0;
        if (did === false || did === 0) await sleep(opts.idleMs);
        // Embedded PGlite answers on this thread; without a break for I/O between rounds a long
        // backlog would starve HTTP requests until it is done.
        else await yieldToEventLoop();
      } catch (error) {
        failures++;
        opts.log.error('job.error', { job: name, failures, ...errorFields(error) });
        await sleep(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      }
    }
  };

  return {
    kick() {
      if (wake) wake();
      else kicked = true;
    },
    start() {
      if (running) return;
      running = true;
      done = run();
    },
    async stop() {
      running = false;
      wake?.();
      endPause?.();
      await done;
    },
  };
}
