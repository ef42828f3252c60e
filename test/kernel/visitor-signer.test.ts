/**
 * The web chat cookie's signer: keys derived from DATA_KEY (one per key of the ring, so a rotated
 * ring still accepts the cookies of the key before it) or WEB_COOKIE_SECRET. Pure and fast.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing, generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import {
  ringVisitorSigner,
  secretVisitorSigner,
  visitorSigner,
} from '../../src/kernel/crypto/visitor-signer.ts';

const visitor = 'v_AAAAAAAAAAAAAAAAAAAAAA';
const split = (signed: string) => {
  const [keyId, signature] = signed.split('.') as [string, string];
  return { keyId, signature };
};

describe('signing web chat visitors', () => {
  it('signs with the current data key and verifies under any key of the ring', async () => {
    const old = generateDataKey('k1');
    const before = split(await ringVisitorSigner(createKeyRing(old)).sign(visitor));
    expect(before.keyId).toBe('k1');
    expect(before.signature).toMatch(/^[0-9a-f]{64}$/);
    const rotated = ringVisitorSigner(createKeyRing(`${generateDataKey('k2')},${old}`));
    expect(await rotated.verify(visitor, before.keyId, before.signature)).toBe(true);
    const after = split(await rotated.sign(visitor));
    expect(after.keyId).toBe('k2');
    expect(await rotated.verify(visitor, after.keyId, after.signature)).toBe(true);
    // With the old key dropped, its cookies no longer verify.
    const dropped = ringVisitorSigner(createKeyRing(generateDataKey('k2')));
    expect(await dropped.verify(visitor, before.keyId, before.signature)).toBe(false);
  });

  it('refuses another visitor, another key id, a changed signature and another ring', async () => {
    const ring = createKeyRing(`${generateDataKey('k2')},${generateDataKey('k1')}`);
    const signer = ringVisitorSigner(ring);
    const { keyId, signature } = split(await signer.sign(visitor));
    expect(await signer.verify('v_BBBBBBBBBBBBBBBBBBBBBB', keyId, signature)).toBe(false);
    expect(await signer.verify(visitor, 'k1', signature)).toBe(false);
    expect(await signer.verify(visitor, 'k9', signature)).toBe(false);
    const last = signature.at(-1) === '0' ? '1' : '0';
    expect(await signer.verify(visitor, keyId, `${signature.slice(0, -1)}${last}`)).toBe(false);
    expect(await signer.verify(visitor, keyId, signature.slice(0, -2))).toBe(false);
    expect(
      await ringVisitorSigner(createKeyRing(generateDataKey('k2'))).verify(visitor, keyId, signature),
    ).toBe(false);
  });

  it('uses WEB_COOKIE_SECRET, under the key id env, when the operator set one', async () => {
    const ring = createKeyRing(generateDataKey());
    const chosen = visitorSigner('a-web-cookie-secret-of-32-characters-or-more', ring);
    const { keyId, signature } = split(await chosen.sign(visitor));
    expect(keyId).toBe('env');
    expect(await chosen.verify(visitor, 'env', signature)).toBe(true);
    expect(await chosen.verify(visitor, 'k1', signature)).toBe(false);
    expect(
      await secretVisitorSigner('another-secret-of-32-characters-or-more').verify(visitor, 'env', signature),
    ).toBe(false);
    // Another visitor's signature does not verify this one.
    const other = split(await chosen.sign('v_BBBBBBBBBBBBBBBBBBBBBB'));
    expect(await chosen.verify(visitor, 'env', other.signature)).toBe(false);
    // It is HMAC-SHA-256 of the purpose and the visitor under the secret, as documented.
    expect(signature).toBe(
      createHmac('sha256', 'a-web-cookie-secret-of-32-characters-or-more')
        .update(`web-cookie\n${visitor}`)
        .digest('hex'),
    );
    // Without it, the data key's key for the web cookie (and no other purpose) signs.
    expect(await visitorSigner(undefined, ring).sign(visitor)).toBe(
      `${ring.currentId}.${await ring.mac('web-cookie', visitor)}`,
    );
  });

  it('says which key ids it holds, so a cookie under a dropped key is told apart from a forged one', () => {
    const ring = ringVisitorSigner(createKeyRing(`${generateDataKey('k2')},${generateDataKey('k1')}`));
    expect(ring.currentKeyId).toBe('k2');
    expect([ring.holds('k2'), ring.holds('k1'), ring.holds('k9'), ring.holds('env')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const secret = secretVisitorSigner('a-web-cookie-secret-of-32-characters-or-more');
    expect(secret.currentKeyId).toBe('env');
    expect([secret.holds('env'), secret.holds('k2'), secret.holds('')]).toEqual([true, false, false]);
  });
});
