import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/kernel/log.ts';
import { createIntakePressure, inboxWorkerPause } from '../../src/pipeline/intake-pressure.ts';
import { createLoop } from '../../src/pipeline/loop.ts';

describe('intake pressure', () => {
  it('rises when deliveries come faster than the threshold and falls once they stop', () => {
    let t = 0;
    const pressure = createIntakePressure({ perSecond: 100, now: () => t });
    // 20 per second: calm.
    for (let i = 0; i < 10; i++) {
      pressure.note();
      t += 50;
    }
    expect(pressure.high()).toBe(false);
    expect(inboxWorkerPause(pressure, 0)).toBe(0);
    // 400 per second: 25 in the current quarter second already counts.
    for (let i = 0; i < 30; i++) {
      pressure.note();
      t += 2.5;
    }
    expect(pressure.high()).toBe(true);
    expect(inboxWorkerPause(pressure, 0)).toBeGreaterThan(0);
    expect(inboxWorkerPause(pressure, 1)).toBeGreaterThan(inboxWorkerPause(pressure, 0));
    // The busy window is remembered for the next quarter second, then forgotten.
    t += 250;
    expect(pressure.high()).toBe(true);
    t += 600;
    expect(pressure.high()).toBe(false);
  });
});

describe('a job loop that is told to hold off', () => {
  // The loop's timers run on a fake clock: what happens is decided by the order of events, not
  // by how fast this machine is.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs no work while paused, even when kicked, and stops promptly', async () => {
    let paused = true;
    let rounds = 0;
    const loop = createLoop(
      'test',
      async () => {
        rounds++;
        return false;
      },
      { idleMs: 60_000, log: createLogger('error', () => {}), pause: () => (paused ? 20 : 0) },
    );
    loop.start();
    for (let i = 0; i < 5; i++) {
      loop.kick();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(rounds).toBe(0);
    paused = false;
    // The pause in progress runs out (kicks do not cut it short), then the work runs.
    await vi.advanceTimersByTimeAsync(20);
    // It ran (once, and again for the kicks it saw while paused) and now sleeps until kicked.
    const ran = rounds;
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThanOrEqual(2);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(rounds).toBe(ran);
    loop.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds).toBe(ran + 1);
    // Unkicked, it looks again once the idle interval has passed.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rounds).toBe(ran + 2);
    // Stopping while paused ends at once, with no time passing at all.
    paused = true;
    loop.kick();
    await vi.advanceTimersByTimeAsync(5);
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await stopping;
    expect(rounds).toBe(ran + 2);
  });

  it('stops at once while asleep for its idle interval', async () => {
    let rounds = 0;
    const loop = createLoop(
      'test',
      async () => {
        rounds++;
        return 0;
      },
      { idleMs: 60_000, log: createLogger('error', () => {}) },
    );
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds).toBe(1);
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await stopping;
    expect(rounds).toBe(1);
  });
});
