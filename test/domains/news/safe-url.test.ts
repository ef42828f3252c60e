/**
 * Public link check: only http(s) to public hosts, with every spelling of an internal address
 * that the WHATWG parser accepts refused after normalisation.
 */
import { describe, expect, it } from 'vitest';
import { checkPublicHttpUrl } from '../../../src/domains/news/safe-url.ts';

const refused = (raw: string) => {
  const result = checkPublicHttpUrl(raw);
  return result.ok ? 'accepted' : result.reason;
};

describe('checkPublicHttpUrl', () => {
  it.each([
    ['https://union.example.org/news?id=1#top', 'https://union.example.org/news?id=1#top'],
    ['HTTP://Example.COM', 'http://example.com/'],
    ['  https://example.com/a b  ', 'https://example.com/a%20b'],
    ['https://例子.中国/新闻', 'https://xn--fsqu00a.xn--fiqs8s/%E6%96%B0%E9%97%BB'],
    ['https://example.com:8443/', 'https://example.com:8443/'],
    ['http://8.8.8.8/', 'http://8.8.8.8/'],
    ['http://172.32.0.1/', 'http://172.32.0.1/'],
    ['http://100.128.0.1/', 'http://100.128.0.1/'],
    ['http://198.20.0.1/', 'http://198.20.0.1/'],
    ['http://223.255.255.255/', 'http://223.255.255.255/'],
    ['http://[2606:4700:4700::1111]/', 'http://[2606:4700:4700::1111]/'],
    ['http://[::ffff:8.8.8.8]/', 'http://[::ffff:808:808]/'],
    ['http://[64:ff9b::8.8.8.8]/', 'http://[64:ff9b::808:808]/'],
    ['http://[2002:808:808::1]/', 'http://[2002:808:808::1]/'],
    ['http://[2400:cb00:2048:1::c629:d7a2]/', 'http://[2400:cb00:2048:1::c629:d7a2]/'],
    ['http://[2001:200::1]/', 'http://[2001:200::1]/'],
    ['http://[3fff:1000::1]/', 'http://[3fff:1000::1]/'],
    ['http://192.0.3.1/', 'http://192.0.3.1/'],
    ['http://203.0.114.1/', 'http://203.0.114.1/'],
    ['http://mylocal.example/', 'http://mylocal.example/'],
  ])('accepts %s as %s', (raw, url) => {
    expect(checkPublicHttpUrl(raw)).toEqual({ ok: true, url });
  });

  it.each(['', 'not a url', 'example.com/news', '/news/1', 'http://', 'https://exa mple.com/'])(
    'refuses %j as not a URL',
    (raw) => {
      expect(refused(raw)).toBe('not_url');
    },
  );

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.com/file',
    'file:///etc/passwd',
    'mailto:office@union.example',
    'ws://example.com/',
  ])('refuses %s as not http', (raw) => {
    expect(refused(raw)).toBe('not_http');
  });

  it.each(['https://user:pass@example.com/', 'https://user@example.com/', 'https://:secret@example.com/'])(
    'refuses credentials in %s',
    (raw) => {
      expect(refused(raw)).toBe('credentials');
    },
  );

  it('ignores an empty userinfo, which the parser drops', () => {
    expect(checkPublicHttpUrl('https://@example.com/')).toEqual({ ok: true, url: 'https://example.com/' });
  });

  describe('refuses internal names', () => {
    it.each([
      'http://localhost/',
      'http://LOCALHOST:3000/',
      'http://localhost./',
      'http://localhost../',
      'http://localhost%2e/',
      'http://ｌｏｃａｌｈｏｓｔ/',
      'http://api.localhost/',
      'http://printer.local/',
      'http://metadata.google.internal/',
      'http://nas.lan/',
      'http://router.home.arpa/',
      'http://home.arpa/',
      'http://intranet/',
      'http://intranet./',
    ])('%s', (raw) => {
      expect(refused(raw)).toBe('private_address');
    });
  });

  describe('refuses internal IPv4 addresses', () => {
    it.each([
      'http://0.0.0.0/',
      'http://0.1.2.3/',
      'http://10.0.0.1/',
      'http://10.255.255.255/',
      'http://100.64.0.1/',
      'http://100.127.255.255/',
      'http://127.0.0.1/',
      'http://127.255.255.254:8080/',
      'http://169.254.169.254/latest/meta-data/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.0.0.8/',
      'http://192.0.2.1/',
      'http://192.0.2.255/',
      'http://192.88.99.1/',
      'http://192.168.1.1/',
      'http://198.18.0.1/',
      'http://198.19.255.255/',
      'http://198.51.100.1/',
      'http://203.0.113.1/',
      'http://203.0.113.255/',
      'http://224.0.0.1/',
      'http://239.255.255.250/',
      'http://240.0.0.1/',
      'http://255.255.255.255/',
    ])('%s', (raw) => {
      expect(refused(raw)).toBe('private_address');
    });
  });

  describe('refuses other spellings of loopback, which the parser normalises', () => {
    it.each([
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0x7f000001/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://127.0.0.1./',
      'http://0/',
      'http://017700000001/',
    ])('%s', (raw) => {
      expect(refused(raw)).toBe('private_address');
    });
  });

  describe('refuses internal IPv6 addresses', () => {
    it.each([
      'http://[::]/',
      'http://[0::0]/',
      'http://[::1]/',
      'http://[0:0:0:0:0:0:0:1]:8080/',
      'http://[fc00::1]/',
      'http://[fd12:3456:789a::1]/',
      'http://[fe80::1]/',
      'http://[febf::1]/',
      'http://[fec0::1]/',
      'http://[feff::1]/',
      'http://[ff02::1]/',
      'http://[ff0e::1]/',
      'http://[::127.0.0.1]/',
      'http://[::8.8.8.8]/',
      'http://[64:ff9b::10.0.0.1]/',
      'http://[64:ff9b::127.0.0.1]/',
      'http://[64:ff9b::7f00:1]/',
    ])('%s', (raw) => {
      expect(refused(raw)).toBe('private_address');
    });
  });

  // The forms from the security review (#51), and every spelling of them the parser takes.
  describe('refuses every IPv6 form of an internal IPv4 address, and IPv6 transition ranges', () => {
    it.each([
      // IPv4-mapped ::ffff:0:0/96, however written
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[::FFFF:7F00:0001]/',
      'http://[0:0:0:0:0:ffff:127.0.0.1]/',
      'http://[0000:0000:0000:0000:0000:ffff:7f00:0001]/',
      'http://[::ffff:10.0.0.1]/',
      'http://[::ffff:c0a8:101]/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:0.0.0.0]/',
      'http://[::ffff:192.0.2.1]/',
      // SIIT ::ffff:0:0:0/96
      'http://[::ffff:0:7f00:1]/',
      'http://[::ffff:0:127.0.0.1]/',
      'http://[0:0:0:0:ffff:0:a00:1]/',
      'http://[::ffff:0:a9fe:a9fe]/',
      // 6to4 2002::/16 carrying an internal IPv4 address
      'http://[2002:7f00:1::]/',
      'http://[2002:7f00:1::1]/',
      'http://[2002:a00:1::]/',
      'http://[2002:c0a8:101::1]/',
      'http://[2002:a9fe:a9fe::]/',
      'http://[2002::]/',
      // NAT64 local-use 64:ff9b:1::/48, whatever it carries
      'http://[64:ff9b:1::7f00:1]/',
      'http://[64:ff9b:1::808:808]/',
      'http://[64:ff9b:1:ffff::1]/',
      // discard 100::/64, Teredo 2001::/32 (and the rest of 2001::/23)
      'http://[100::1]/',
      'http://[100::]/',
      'http://[2001::1]/',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
      'http://[2001:2::1]/',
      'http://[2001:10::1]/',
      // documentation 2001:db8::/32 and 3fff::/20
      'http://[2001:db8::]/',
      'http://[2001:db8::1]/',
      'http://[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]/',
      'http://[3fff::1]/',
      'http://[3fff:fff::1]/',
      // space outside 2000::/3 that is not allocated
      'http://[1::1]/',
      'http://[5f00::1]/',
      'http://[4000::1]/',
    ])('%s', (raw) => {
      expect(refused(raw)).toBe('private_address');
    });
  });
});
