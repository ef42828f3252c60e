/**
 * Voter tokens: HMAC-SHA-256(poll secret, person id), hex. Web Crypto, so Node and Workers alike.
 * With the secret deleted, a token cannot be recomputed from a person id, nor a person id found
 * from a token.
 */
const encoder = new TextEncoder();

const toHex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A fresh secret: 32 random bytes, base64. */
export function newPollSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/** A signer for one poll's secret: import once, sign many (reminders sign every person asked). */
export async function tokenSigner(secret: string): Promise<(personId: string) => Promise<string>> {
  const raw = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
  // Stryker disable next-line BooleanLiteral: equivalent, the key never leaves the signer, so whether it could be exported is not observable.
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (personId) => toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(personId)));
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
