/** Constant-time comparison of hex digests (signatures, MACs): pure, for every runtime. */

/** Compares two hex strings in time that does not depend on where they differ. */
export function sameHex(given: string, expected: string): boolean {
  const a = given.toLowerCase();
  const b = expected.toLowerCase();
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}
