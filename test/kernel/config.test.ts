import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/kernel/config.ts';

describe('config', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8787,
      DATA_DIR: './data',
      TZ_DEFAULT: 'Asia/Shanghai',
      RUN_JOBS: true,
      CONVERSATION_TIMEOUT_MINUTES: 30,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ADMIN_TOKEN).toBeUndefined();
  });

  it('treats empty values as unset and ignores unrelated variables', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', HOME: '/root' }).PORT).toBe(8787);
  });

  it('names every bad variable and what it expects, in one message, without echoing secrets', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        TZ_DEFAULT: 'Mars/Olympus',
        DATABASE_URL: 'mysql://root@db/x',
        ADMIN_TOKEN: 'short',
        RUN_JOBS: 'maybe',
        LOG_LEVEL: 'loud',
        DATA_KEY: 'k1:c2hvcnQta2V5',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(7);
      const message = (error as ConfigError).message;
      expect(message).toContain('配置有误');
      expect(message).toContain('PORT: expected a port number 0-65535 (got "eighty")');
      expect(message).toContain('TZ_DEFAULT: expected an IANA time zone');
      expect(message).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL');
      expect(message).toContain('ADMIN_TOKEN: expected at least 16 characters');
      expect(message).not.toContain('short');
      expect(message).not.toContain('mysql://');
      expect(message).toContain('DATA_KEY: expected id:base64 keys of 32 bytes');
      expect(message).not.toContain('c2hvcnQta2V5');
      expect(message).toContain('RUN_JOBS: expected true or false');
      expect(message).toContain('LOG_LEVEL');
    }
  });

  it('reads PostgreSQL and tuning settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PORT: '9000',
      RUN_JOBS: 'false',
      CONVERSATION_TIMEOUT_MINUTES: '45',
    });
    expect(config).toMatchObject({ PORT: 9000, RUN_JOBS: false, CONVERSATION_TIMEOUT_MINUTES: 45 });
  });
  it('listens on every interface unless HOST names an address or host', () => {
    expect(loadConfig({}).HOST).toBe('0.0.0.0');
    for (const host of ['127.0.0.1', '::', '::1', '192.168.1.20', 'localhost', 'tongxin.internal'])
      expect(loadConfig({ HOST: host }).HOST).toBe(host);
    for (const bad of ['127.0.0.1:8787', 'http://0.0.0.0', '0.0.0.256', '[::1]', 'two words', '-x'])
      expect(() => loadConfig({ HOST: bad }), bad).toThrow(
        `HOST: expected an address to listen on: 0.0.0.0 (every interface), 127.0.0.1 (this machine only), :: or a host name (got "${bad}")`,
      );
  });
  it('reads TRUST_PROXY as how many proxies are in front', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: 'all' })).toThrow(
      /TRUST_PROXY: expected false, true, or how many/,
    );
  });
});
