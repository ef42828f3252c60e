import { describe, expect, it } from 'vitest';
import { createIntakePressure, inboxWorkerPause } from '../../src/jobs/intake-pressure.ts';
import { createLoop } from '../../src/jobs/loop.ts';
import { createLogger } from '../../src/log.ts';

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
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(rounds).toBe(0);
    paused = false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // It ran (once, or twice for the kicks it saw while paused) and now sleeps until kicked.
    const ran = rounds;
    expect(ran).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rounds).toBe(ran);
    loop.kick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rounds).toBe(ran + 1);
    // Stopping while paused (or asleep for a minute) ends at once.
    paused = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await loop.stop();
  });
});
