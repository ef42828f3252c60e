/**
 * Voter tokens: HMAC-SHA-256(poll secret, person id), hex. Web Crypto, so Node and Workers alike.
 * With the secret deleted, a token cannot be recomputed from a person id, nor a person id found
 * from a token. Polls cast and count with them; a merge of two people moves an open poll's vote
 * from one token to the other.
 */
const encoder = new TextEncoder();

const toHex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A signer for one poll's secret: import once, sign many (reminders sign every person asked). */
export async function tokenSigner(secret: string): Promise<(personId: string) => Promise<string>> {
  const raw = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
  // Stryker disable next-line BooleanLiteral: equivalent, the key never leaves the signer, so whether it could be exported is not observable.
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (personId) => toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(personId)));
}
