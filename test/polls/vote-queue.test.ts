import { describe, expect, it } from 'vitest';
import { answerWithin } from '../../src/intake/answer-budget.ts';
import { createVoteQueue } from '../../src/polls/vote-queue.ts';

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

describe('the vote queue', () => {
  it('runs at most its width at once and starts the rest in the order they came', async () => {
    const queue = createVoteQueue(2);
    const tasks = Array.from({ length: 5 }, () => task<number>());
    const started: number[] = [];
    const results = tasks.map((t, i) =>
      queue.run(() => {
        started.push(i);
        return t.promise;
      }),
    );
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
