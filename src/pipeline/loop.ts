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

/** What a loop keeps between rounds: whether it runs, and how to end its sleep or its hold-off early. */
interface LoopState {
  running: boolean;
  done: Promise<void>;
  wake: (() => void) | null;
  kicked: boolean;
  endPause: (() => void) | null;
}

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
  const state: LoopState = {
    running: false,
    done: Promise.resolve(),
    wake: null,
    kicked: false,
    endPause: null,
  };
  return {
    kick() {
      if (state.wake) state.wake();
      else state.kicked = true;
    },
    start() {
      if (state.running) return;
      state.running = true;
      state.done = run(state, name, work, opts);
    },
    async stop() {
      state.running = false;
      state.wake?.();
      state.endPause?.();
      await state.done;
    },
  };
}

type LoopOptions = Parameters<typeof createLoop>[2];

/** Runs rounds while the loop runs: sleeps when there was nothing to do, backs off after an error. */
async function run(state: LoopState, name: string, work: () => Promise<boolean | number>, opts: LoopOptions) {
  let failures = 0;
  while (state.running) {
    const pause = opts.pause?.() ?? 0;
    if (pause > 0) {
      await holdOff(state, pause);
      continue;
    }
    try {
      const did = await work();
      failures = 0;
      if (did === false || did === 0) await sleep(state, opts.idleMs);
      // Embedded PGlite answers on this thread; without a break for I/O between rounds a long
      // backlog would starve HTTP requests until it is done.
      else await yieldToEventLoop();
    } catch (error) {
      failures++;
      opts.log.error('job.error', { job: name, failures, ...errorFields(error) });
      await sleep(state, Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
    }
  }
}

/** Waits out a pause; only stopping ends it early. */
const holdOff = (state: LoopState, ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      state.endPause = null;
      resolve();
    }, ms);
    state.endPause = () => {
      clearTimeout(timer);
      state.endPause = null;
      resolve();
    };
  });

/** Sleeps until the time passes or a kick comes (one that came while awake ends it at once). */
const sleep = (state: LoopState, ms: number) =>
  new Promise<void>((resolve) => {
    if (state.kicked) {
      state.kicked = false;
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      state.wake = null;
      resolve();
    }, ms);
    state.wake = () => {
      clearTimeout(timer);
      state.wake = null;
      resolve();
    };
  });
