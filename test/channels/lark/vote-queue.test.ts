import { describe, expect, it } from 'vitest';
import { answerWithin } from '../../../bots/lark/answer-budget.ts';
import { createVoteQueue, type VoteQueue } from '../../../bots/lark/vote-queue.ts';

/** A task the test finishes by hand. */
function task<T>() {
  let finish!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Queues `n` tasks the test finishes by hand, noting the order in which the queue starts them. */
function queueTasks<T>(queue: VoteQueue, n: number) {
  const tasks = Array.from({ length: n }, () => task<T>());
  const started: number[] = [];
  const runs = tasks.map((t, i) =>
    queue.run(() => {
      started.push(i);
      return t.promise;
    }),
  );
  return { tasks, started, runs };
}

describe('the vote queue', () => {
  it('runs at most its width at once and starts the rest in the order they came', async () => {
    const queue = createVoteQueue(2);
    const { tasks, started, runs: results } = queueTasks<number>(queue, 5);
    await turn();
    expect(started).toEqual([0, 1]);
    expect(queue.size()).toBe(5);
    tasks[1]!.finish(1);
    await turn();
    expect(started).toEqual([0, 1, 2]);
    // A failure gives up its place too.
    tasks[0]!.fail(new Error('failed'));
    await expect(results[0]).rejects.toThrow('failed');
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
    let settled = false;
    void queue.settled().then(() => {
      settled = true;
    });
    tasks[2]!.finish(2);
    tasks[3]!.finish(3);
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(settled).toBe(false);
    tasks[4]!.finish(4);
    await expect(Promise.all(results.slice(1))).resolves.toEqual([1, 2, 3, 4]);
    await turn();
    expect(settled).toBe(true);
    expect(queue.size()).toBe(0);
    await queue.settled();
  });

  it('expects a vote queued now to wait for those ahead of it, a width at a time', async () => {
    let now = 0;
    const queue = createVoteQueue(2, () => now);
    expect(queue.expectedMs()).toBe(0);
    const first = task<void>();
    const done = queue.run(() => first.promise);
    now = 100;
    first.finish();
    await done;
    // One vote took 100 ms: with a free place, a new one takes about that.
    expect(queue.expectedMs()).toBe(100);
    const held = Array.from({ length: 5 }, () => task<void>());
    const runs = held.map((t) => queue.run(() => t.promise));
    await turn();
    // Two running, three waiting: the three go in two rounds, then this one: three rounds of 100 ms.
    expect(queue.expectedMs()).toBe(300);
    for (const t of held) t.finish();
    await Promise.all(runs);
    // Those five took no time by this clock: the average moves toward 0.
    expect(queue.expectedMs()).toBeLessThan(100);
  });
});

describe('a slowed vote queue', () => {
  it('casts one at a time while slowed, and its full width after', async () => {
    let now = 0;
    const queue = createVoteQueue(4, () => now);
    queue.slowFor(100);
    const { tasks, started, runs } = queueTasks<void>(queue, 7);
    await turn();
    expect(started).toEqual([0]);
    tasks[0]!.finish();
    await turn();
    expect(started).toEqual([0, 1]);
    // The slow spell is over: the next finish starts as many as the width allows.
    now = 100;
    tasks[1]!.finish();
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    for (const t of tasks) t.finish();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await queue.settled();
  });
});

describe('a slow spell that goes on', () => {
  it('ends after its longest, though it is asked to go on', async () => {
    let now = 0;
    const queue = createVoteQueue(3, () => now);
    queue.slowFor(250);
    const { tasks, started, runs } = queueTasks<void>(queue, 6);
    await turn();
    expect(started).toEqual([0]);
    // Presses keep pouring in: the spell is extended again and again...
    for (let at = 200; at < 3000; at += 200) {
      now = at;
      queue.slowFor(250);
    }
    tasks[0]!.finish();
    await turn();
    expect(started).toEqual([0, 1]);
    // ...until it has lasted its longest: then the full width, though it is still being extended.
    now = 3000;
    queue.slowFor(250);
    tasks[1]!.finish();
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const t of tasks) t.finish();
    await Promise.all(runs);
  });
});

describe('the answer budget', () => {
  it('gives the work’s value or error when it is done in time', async () => {
    await expect(answerWithin(Promise.resolve(7), 60_000)).resolves.toEqual({ done: true, value: 7 });
    await expect(answerWithin(Promise.reject(new Error('no')), 60_000)).rejects.toThrow('no');
  });

  it('gives up on work not done in time, which goes on and may fail without an unhandled rejection', async () => {
    const slow = task<number>();
    await expect(answerWithin(slow.promise, 0)).resolves.toEqual({ done: false });
    const caught = slow.promise.catch((error: Error) => error.message);
    slow.fail(new Error('late failure'));
    await expect(caught).resolves.toBe('late failure');
  });
});
