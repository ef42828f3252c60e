/**
 * Voter tokens and the poll's randomness: a token is HMAC-SHA-256(poll secret, person id) in hex,
 * the same for one person and poll, different across polls; random numbers are unbiased. Pure.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newPollSecret, randomBelow, secureRandom } from '../../../src/domains/polls/token.ts';
import { tokenSigner } from '../../../src/kernel/crypto/voter-token.ts';

const seed = 20261202;

describe('voter tokens', () => {
  it('are HMAC-SHA-256 of the person id under the poll secret, as lowercase hex', async () => {
    const secret = newPollSecret();
    const sign = await tokenSigner(secret);
    const key = Buffer.from(secret, 'base64');
    // Over many ids, so digests with small bytes (a leading zero in hex) are among them.
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }), async (personId) => {
        const token = await sign(personId);
        expect(token).toBe(createHmac('sha256', key).update(personId).digest('hex'));
        expect(token).toMatch(/^[0-9a-f]{64}$/);
      }),
      { seed, numRuns: 200 },
    );
  });

  it('are the same for one person and poll, and differ between people and between polls', async () => {
    const first = await tokenSigner(newPollSecret());
    const second = await tokenSigner(newPollSecret());
    const person = '0b6c3f0e-6a55-4f8e-9d2a-1c2b3d4e5f60';
    expect(await first(person)).toBe(await first(person));
    expect(await first(person)).not.toBe(await first(`${person}x`));
    expect(await first(person)).not.toBe(await second(person));
  });

  it('use secrets of 32 fresh random bytes', () => {
    const secrets = Array.from({ length: 20 }, () => newPollSecret());
    for (const secret of secrets) expect(Buffer.from(secret, 'base64')).toHaveLength(32);
    expect(secrets[0]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(new Set(secrets).size).toBe(20);
  });
});

describe('random numbers', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Makes the platform's random source give these 32-bit values, in order. */
  function scripted(values: number[]) {
    const queue = [...values];
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(
      <T extends ArrayBufferView | null>(array: T): T => {
        const next = queue.shift();
        if (next === undefined) throw new Error('the script ran out of values');
        if (array instanceof Uint32Array) array[0] = next;
        return array;
      },
    );
    return queue;
  }

  it('draws below the bound by rejecting the values that would favour small numbers', () => {
    // 2^32 = 3·1431655765 + 1: the single top value 2^32-1 would make 0 a little likelier.
    const left = scripted([0xffff_ffff, 0xffff_fffe]);
    expect(randomBelow(3)).toBe(0xffff_fffe % 3);
    expect(left).toEqual([]);
    // With a bound of 3·2^30 only values below it are taken: the rest would double [0, 2^30).
    const bound = 3 * 2 ** 30;
    scripted([bound, 0xffff_ffff, bound + 5, bound - 1]);
    expect(randomBelow(bound)).toBe(bound - 1);
    scripted([7, 0]);
    expect(randomBelow(bound)).toBe(7);
    expect(randomBelow(bound)).toBe(0);
  });

  it('spreads evenly over the bound from the real source', () => {
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[randomBelow(6)]! += 1;
    // Each face expects 1000 with a spread of about 29: 700 is more than ten spreads away.
    for (const n of counts) expect(n).toBeGreaterThan(700);
    expect(counts.reduce((a, b) => a + b)).toBe(6000);
  });

  it('gives numbers in [0, 1) for shuffling', () => {
    scripted([0, 0xffff_ffff, 0x8000_0000]);
    expect(secureRandom()).toBe(0);
    expect(secureRandom()).toBe(0xffff_ffff / 2 ** 32);
    expect(secureRandom()).toBe(0.5);
    vi.restoreAllMocks();
    for (let i = 0; i < 1000; i++) {
      const r = secureRandom();
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(1);
    }
  });
});
