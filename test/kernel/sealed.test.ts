/**
 * Sealing sensitive text (AES-256-GCM under DATA_KEY): which key texts are accepted, that a sealed
 * value opens only unchanged and under the key id it names, and that rotation keeps old values
 * readable. Pure and fast: no database, no server.
 */

import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeAesGcm } from '../../src/kernel/crypto/aes-gcm-node.ts';
import {
  type AesGcm,
  createKeyRing,
  generateDataKey,
  hex,
  KeyRingError,
  parseDataKeys,
  UnknownKeyError,
  webAesGcm,
} from '../../src/kernel/crypto/sealed.ts';

const base64Of = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
/** A key of `n` bytes counting up from `first`, so two keys differ and a test is repeatable. */
const keyBytes = (n: number, first = 1) => Uint8Array.from({ length: n }, (_, i) => (first + i) % 256);
const key = (n = 32, first = 1) => base64Of(keyBytes(n, first));

/** The parts of a sealed value: its format tag, key id, IV, cipher text and tag. */
function parts(sealed: string) {
  const [format, id, body] = sealed.split('.') as [string, string, string];
  const data = bytesOf(body);
  return { format, id, iv: data.slice(0, 12), cipher: data.slice(12, -16), tag: data.slice(-16), data };
}

/** A sealed value with one byte of its body changed. */
function flip(sealed: string, at: number): string {
  const { format, id, data } = parts(sealed);
  const changed = data.slice();
  changed[at] = changed[at]! ^ 0x01;
  return `${format}.${id}.${base64Of(changed)}`;
}

/** Both ways of doing AES-256-GCM: Web Crypto (every runtime) and node:crypto (Node). */
const ciphers: [string, () => AesGcm][] = [
  ['Web Crypto', webAesGcm],
  ['node:crypto', () => nodeAesGcm],
];

describe('reading DATA_KEY', () => {
  it('reads id:base64 pairs in order, trimmed, a bare key taking the id k1', () => {
    expect(parseDataKeys(` k2:${key(32, 2)} , old_key-1:${key(32, 3)},`)).toEqual([
      { id: 'k2', raw: keyBytes(32, 2) },
      { id: 'old_key-1', raw: keyBytes(32, 3) },
    ]);
    expect(parseDataKeys(key())).toEqual([{ id: 'k1', raw: keyBytes(32) }]);
  });

  it('refuses an empty DATA_KEY, also one of only commas and spaces', () => {
    for (const text of ['', ' ', ',', ' , ,']) {
      expect(() => parseDataKeys(text)).toThrow(new KeyRingError('DATA_KEY is empty'));
      expect(() => createKeyRing(text)).toThrow(KeyRingError);
    }
  });

  it('refuses keys that are not exactly 32 bytes: AES-128 and AES-192 keys are not taken for AES-256', () => {
    for (const n of [0, 1, 16, 24, 31, 33, 64]) {
      expect(() => parseDataKeys(`k1:${key(n)}`)).toThrow(
        new KeyRingError(`key "k1" should be 32 bytes, it is ${n}`),
      );
    }
    expect(() => parseDataKeys(`k1:${key()},k2:${key(24)}`)).toThrow('key "k2" should be 32 bytes, it is 24');
  });

  it('refuses a key that is not base64', () => {
    expect(() => parseDataKeys('k1:not base64!')).toThrow(new KeyRingError('key "k1" is not base64'));
  });

  it('refuses the same key id twice, which would leave values sealed under the first unreadable', () => {
    expect(() => parseDataKeys(`k1:${key(32, 1)},k2:${key(32, 2)},k1:${key(32, 3)}`)).toThrow(
      new KeyRingError('key id "k1" appears twice'),
    );
    // A bare key is k1 too.
    expect(() => parseDataKeys(`${key(32, 1)},k1:${key(32, 2)}`)).toThrow('appears twice');
  });

  it('refuses key ids that would break the tx1.<id>.<body> format or are too long', () => {
    const refused = ['k.1', '', 'k 1', 'k:1', 'ключ', '密钥', 'k1\n', `${'a'.repeat(33)}`];
    for (const id of refused) {
      expect(() => parseDataKeys(`${id}:${key()}`), JSON.stringify(id)).toThrow(KeyRingError);
    }
    expect(() => parseDataKeys(`k.1:${key()}`)).toThrow(
      new KeyRingError('key id "k.1" should be letters, digits, - or _'),
    );
    // The message shows at most 40 characters of what was given.
    expect(() => parseDataKeys(`${'x'.repeat(50)}:${key()}`)).toThrow(`key id "${'x'.repeat(40)}" should be`);
    const longest = 'A-z_09'.padEnd(32, 'q');
    expect(parseDataKeys(`${longest}:${key()}`)[0]?.id).toBe(longest);
    expect(parseDataKeys(`a:${key()}`)[0]?.id).toBe('a');
  });

  it('generates keys in its own format: 32 fresh random bytes under the given id, k1 by default', () => {
    const [first] = parseDataKeys(generateDataKey());
    expect(first?.id).toBe('k1');
    expect(first?.raw).toHaveLength(32);
    const [named] = parseDataKeys(generateDataKey('k7'));
    expect(named?.id).toBe('k7');
    expect(generateDataKey()).toMatch(/^k1:[A-Za-z0-9+/]{43}=$/);
    const many = new Set(Array.from({ length: 20 }, () => generateDataKey()));
    expect(many.size).toBe(20);
  });
});

describe.each(ciphers)('sealing and opening with %s', (_, aes) => {
  // Made inside each test, so a key ring that fails to build fails that test.
  const ringOf = () => createKeyRing(`k1:${key()}`, aes());

  it('seals as tx1.<key id>.<base64 of IV, cipher text and tag>, a fresh IV each time, and opens it', async () => {
    const ring = ringOf();
    const plain = '住院押金 3000 元 / hospital deposit 👍';
    const sealed = await ring.seal(plain);
    expect(sealed).toMatch(/^tx1\.k1\.[A-Za-z0-9+/]+=*$/);
    const { iv, cipher, tag } = parts(sealed);
    expect(iv).toHaveLength(12);
    expect(tag).toHaveLength(16);
    expect(cipher).toHaveLength(new TextEncoder().encode(plain).length);
    expect(sealed).not.toContain(btoa('hospital'));
    expect(await ring.open(sealed)).toBe(plain);
    expect(await ring.open(await ring.seal(''))).toBe('');
    const again = await ring.seal(plain);
    expect(parts(again).iv).not.toEqual(iv);
    expect(again).not.toBe(sealed);
    expect(ring.currentId).toBe('k1');
  });

  it('seals bytes as <key id>. then IV, cipher text and tag, opens them only unchanged, and under a rotated ring', async () => {
    const ring = ringOf();
    const plain = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256);
    const sealed = await ring.sealBytes(plain);
    expect(new TextDecoder().decode(sealed.subarray(0, 3))).toBe('k1.');
    expect(sealed).toHaveLength(3 + 12 + plain.length + 16);
    expect(await ring.openBytes(sealed)).toEqual(plain);
    expect((await ring.sealBytes(plain)).subarray(3, 15)).not.toEqual(sealed.subarray(3, 15));
    const changed = sealed.slice();
    changed[40] = changed[40]! ^ 1;
    await expect(ring.openBytes(changed)).rejects.toThrow();
    await expect(ring.openBytes(new TextEncoder().encode('no key here'))).rejects.toThrow(KeyRingError);
    const rotated = createKeyRing(`k2:${key(32, 9)},k1:${key()}`, aes());
    expect(await rotated.openBytes(sealed)).toEqual(plain);
    await expect(createKeyRing(`k3:${key(32, 5)}`, aes()).openBytes(sealed)).rejects.toThrow(UnknownKeyError);
  });

  it('opens a value it sealed only unchanged: a changed IV, cipher text or tag is refused', async () => {
    const ring = ringOf();
    const sealed = await ring.seal('申请人电话 13800000000');
    const length = parts(sealed).data.length;
    for (const at of [0, 11, 12, length - 17, length - 16, length - 1]) {
      await expect(ring.open(flip(sealed, at)), `byte ${at}`).rejects.toThrow();
    }
    const { format, id, data } = parts(sealed);
    await expect(ring.open(`${format}.${id}.${base64Of(data.slice(0, -1))}`)).rejects.toThrow();
    expect(await ring.open(sealed)).toBe('申请人电话 13800000000');
  });

  it('binds the key id into the seal: the same key under another id does not open it', async () => {
    const raw = key(32, 9);
    const twins = createKeyRing(`a:${raw},b:${raw}`, aes());
    const sealed = await twins.seal('同一把钥匙');
    expect(parts(sealed).id).toBe('a');
    expect(await twins.open(sealed)).toBe('同一把钥匙');
    await expect(twins.open(sealed.replace(/^tx1\.a\./, 'tx1.b.'))).rejects.toThrow();
  });

  it('refuses what is not a tx1 value, naming why', async () => {
    const ring = ringOf();
    const sealed = await ring.seal('x');
    const body = sealed.slice('tx1.k1.'.length);
    for (const text of [
      `tx2.k1.${body}`,
      `TX1.k1.${body}`,
      `k1.${body}`,
      `tx1..${body}`,
      'tx1.k1',
      'plain',
    ]) {
      await expect(ring.open(text), text).rejects.toThrow(new KeyRingError('not a sealed value'));
    }
    await expect(ring.open(`tx1.k9.${body}`)).rejects.toThrow(
      new KeyRingError('no key "k9" in DATA_KEY to open this value'),
    );
  });

  it('refuses sealed bytes that are not UTF-8 text rather than guessing at them', async () => {
    const raw = keyBytes(32, 5);
    const own = createKeyRing(`k1:${base64Of(raw)}`, aes());
    const cryptoKey = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt']);
    const iv = new Uint8Array(12);
    const cipher = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('k1') },
        cryptoKey,
        Uint8Array.from([0x61, 0xff, 0xfe, 0x62]),
      ),
    );
    const joined = new Uint8Array([...iv, ...cipher]);
    await expect(own.open(`tx1.k1.${base64Of(joined)}`)).rejects.toThrow();
    // The same construction over text opens, so the refusal above is about the bytes alone.
    const text = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('k1') },
        cryptoKey,
        new TextEncoder().encode('ab'),
      ),
    );
    expect(await own.open(`tx1.k1.${base64Of(new Uint8Array([...iv, ...text]))}`)).toBe('ab');
  });

  it('tells sealed values from plain text by the tx1. prefix alone', () => {
    const ring = ringOf();
    expect(ring.isSealed('tx1.k1.AAAA')).toBe(true);
    expect(ring.isSealed('tx1.')).toBe(true);
    for (const text of ['', 'tx1', 'tx1x.k1.AAAA', 'tx2.k1.AAAA', 'see tx1.k1.AAAA', 'plain text']) {
      expect(ring.isSealed(text), text).toBe(false);
    }
  });
});

describe.each(ciphers)('rotating keys with %s', (_, aes) => {
  it('seals with the first key and opens values sealed with any key of the ring', async () => {
    const oldKey = `k1:${key(32, 1)}`;
    const before = await createKeyRing(oldKey, aes()).seal('旧值');
    const rotated = createKeyRing(`k2:${key(32, 2)},${oldKey}`, aes());
    expect(rotated.currentId).toBe('k2');
    const after = await rotated.seal('新值');
    expect(parts(after).id).toBe('k2');
    expect(await rotated.open(before)).toBe('旧值');
    expect(await rotated.open(after)).toBe('新值');
    // Once k1 is dropped, its values no longer open; the new ones still do.
    const dropped = createKeyRing(`k2:${key(32, 2)}`, aes());
    await expect(dropped.open(before)).rejects.toThrow('no key "k1"');
    expect(await dropped.open(after)).toBe('新值');
    // A different key under the same id does not open it either.
    await expect(createKeyRing(`k1:${key(32, 7)}`, aes()).open(before)).rejects.toThrow();
  });
});

describe('node:crypto and Web Crypto', () => {
  it('seal alike: what one seals the other opens, and a change either way is refused', async () => {
    const text = `k1:${key()}`;
    const web = createKeyRing(text, webAesGcm());
    const node = createKeyRing(text, nodeAesGcm);
    for (const plain of ['', '短', '家里老人重病住院'.repeat(50)]) {
      expect(await node.open(await web.seal(plain))).toBe(plain);
      expect(await web.open(await node.seal(plain))).toBe(plain);
    }
    const sealed = await node.seal('原文');
    for (const at of [0, 11, 12, 20]) {
      await expect(web.open(flip(sealed, at))).rejects.toThrow();
      await expect(node.open(flip(sealed, at))).rejects.toThrow();
    }
    // Shorter than the tag: refused, not read as empty.
    await expect(
      nodeAesGcm.decrypt(keyBytes(32), new Uint8Array(12), new Uint8Array(0), new Uint8Array(15)),
    ).rejects.toThrow();
  });
});

describe('keyed hashes derived from the data key', () => {
  /** The same derivation done independently with node:crypto: HKDF-SHA-256, empty salt, info `tongxin:<purpose>`. */
  const expected = (raw: Uint8Array, purpose: string, data: string) =>
    createHmac('sha256', Buffer.from(hkdfSync('sha256', raw, new Uint8Array(0), `tongxin:${purpose}`, 32)))
      .update(data)
      .digest('hex');

  it('is HMAC-SHA-256 under a key derived per data key and purpose, in full lower-case hex', async () => {
    const ring = createKeyRing(`k2:${key(32, 2)},k1:${key(32, 1)}`);
    expect(ring.ids).toEqual(['k2', 'k1']);
    for (const data of ['', 'person-1', '张三', 'x'.repeat(1000)]) {
      expect(await ring.mac('item-author', data)).toBe(expected(keyBytes(32, 2), 'item-author', data));
      expect(await ring.mac('item-author', data, 'k1')).toBe(expected(keyBytes(32, 1), 'item-author', data));
      expect(await ring.mac('web-cookie', data, 'k2')).toBe(expected(keyBytes(32, 2), 'web-cookie', data));
    }
    // Purposes and keys never share a value.
    const values = new Set([
      await ring.mac('a', 'same'),
      await ring.mac('b', 'same'),
      await ring.mac('a', 'same', 'k1'),
      await ring.mac('b', 'same', 'k1'),
    ]);
    expect(values.size).toBe(4);
    // Asked again (the derived key kept), the same value.
    expect(await ring.mac('a', 'same')).toBe([...values][0]);
  });

  it('refuses a key id the ring does not hold', async () => {
    const ring = createKeyRing(`k1:${key()}`);
    await expect(ring.mac('item-author', 'x', 'k9')).rejects.toThrow(KeyRingError);
    await expect(ring.mac('item-author', 'x', 'k9')).rejects.toThrow('no key "k9" in DATA_KEY');
  });

  it('writes bytes as two hex digits each, leading zeros kept', () => {
    expect(hex(Uint8Array.from([0, 1, 15, 16, 127, 128, 255]))).toBe('00010f107f80ff');
    expect(hex(new Uint8Array(0))).toBe('');
  });
});
