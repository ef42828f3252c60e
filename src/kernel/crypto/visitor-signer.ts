/**
 * The web chat cookie's signer. Its keys come from the environment only: derived from DATA_KEY
 * (one per key of the ring, so a rotated ring still accepts cookies signed before, until the old
 * key is dropped) or, when set, WEB_COOKIE_SECRET. Nothing in the database can sign a cookie.
 */

import type { VisitorSigner } from '../../../bots/web/identity.ts';
import { sameHex } from '../../../kernel/same-hex.ts';
import { hex, type KeyRing } from './sealed.ts';

const purpose = 'web-cookie';

/** Signs with the ring's current key; verifies under any key of the ring. */
export function ringVisitorSigner(ring: KeyRing): VisitorSigner {
  return {
    currentKeyId: ring.currentId,
    holds: (keyId) => ring.ids.includes(keyId),
    sign: async (value) => `${ring.currentId}.${await ring.mac(purpose, value)}`,
    verify: async (value, keyId, signature) =>
      ring.ids.includes(keyId) && sameHex(signature, await ring.mac(purpose, value, keyId)),
  };
}

/** Signs and verifies with one operator-chosen secret (WEB_COOKIE_SECRET), key id `env`. */
export function secretVisitorSigner(secret: string): VisitorSigner {
  const encoder = new TextEncoder();
  const key = crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    // Stryker disable next-line BooleanLiteral: equivalent, the key never leaves this module, so whether it could be exported is not observable.
    false,
    ['sign'],
  );
  const mac = async (value: string) =>
    hex(new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(`${purpose}\n${value}`))));
  return {
    currentKeyId: 'env',
    holds: (keyId) => keyId === 'env',
    sign: async (value) => `env.${await mac(value)}`,
    verify: async (value, keyId, signature) => keyId === 'env' && sameHex(signature, await mac(value)),
  };
}

/** WEB_COOKIE_SECRET when the operator set one, else keys derived from DATA_KEY. */
export function visitorSigner(webCookieSecret: string | undefined, ring: KeyRing): VisitorSigner {
  return webCookieSecret ? secretVisitorSigner(webCookieSecret) : ringVisitorSigner(ring);
}
