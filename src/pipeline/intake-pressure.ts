/**
 * How hard deliveries are arriving. Acknowledging a delivery has a deadline (the platform retries
 * what it does not get an answer to) and processing it does not, so while deliveries pour in
 * the inbox workers step back: one keeps going at a measured pace, the others wait, and all of
 * them resume full speed once the burst is over. Nothing is dropped; replies only come later.
 */

export interface IntakePressure {
  /** Called for every accepted delivery. */
  note(): void;
  /** Whether deliveries are arriving faster than the threshold. */
  high(): boolean;
}

export interface IntakePressureOptions {
  /** Deliveries per second above which processing steps back. */
  perSecond?: number;
  now?: () => number;
}

const windowMs = 250;

export function createIntakePressure(opts: IntakePressureOptions = {}): IntakePressure {
  const perWindow = ((opts.perSecond ?? 100) * windowMs) / 1000;
  const now = opts.now ?? (() => performance.now());
  let windowStart = now();
  let count = 0;
  let previous = 0;

  const roll = (t: number) => {
    if (t - windowStart < windowMs) return;
    // A window with no deliveries after the last one ended means the burst is over.
    previous = t - windowStart < 2 * windowMs ? count : 0;
    windowStart = t;
    count = 0;
  };

  return {
    note() {
      roll(now());
      count++;
    },
    high() {
      roll(now());
      return previous >= perWindow || count >= perWindow;
    },
  };
}

/**
 * How long inbox worker `index` should wait before its next step: nothing while pressure is
 * low; under pressure the first worker paces itself and the others hold off.
 */
export function inboxWorkerPause(pressure: IntakePressure, index: number): number {
  if (!pressure.high()) return 0;
  return index === 0 ? 20 : 100;
}
