/**
 * A poll's randomness: its secret (the key of its voter tokens, src/kernel/crypto/voter-token.ts),
 * and random numbers from the platform's cryptographic source.
 */

/** A fresh secret: 32 random bytes, base64. */
export function newPollSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/** A random integer below `bound`, from the platform's cryptographic source. */
export function randomBelow(bound: number): number {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  for (;;) {
    const [value] = crypto.getRandomValues(new Uint32Array(1));
    if (value! < limit) return value! % bound;
  }
}

/** A cryptographic random number in [0, 1), for shuffling what is stored and shown. */
export const secureRandom = () => randomBelow(0x1_0000_0000) / 0x1_0000_0000;
