/**
 * What the server says at start: one line with where to open the web chat and the console (under
 * PUBLIC_URL, else at the listen address), and a warning, Chinese first with English beside it,
 * when links sent to phones through a messenger would lead to this machine. The real server is
 * started once and its output read; the addresses it names are then opened, and with HOST unset
 * it answers on every interface. Which settings warn is checked on the function that decides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/kernel/config.ts';
import { opening, phoneLinkWarning } from '../../src/runtime/start-banner.ts';
import { otherAddress, reach } from '../support/addresses.ts';
import { primaryKind } from '../support/databases.ts';
import { larkApp, larkEnv } from '../support/lark-events.ts';
import { type ServerDatabase, serverDatabase } from '../support/server-database.ts';
import { startServerProcess } from '../support/server-process.ts';

// Nothing is sent in these tests; a port where nothing listens stands for the Open API.
const lark = larkEnv('http://127.0.0.1:9');
const wechat = { WECHATY_PUPPET: 'wechaty-puppet-service' };
const warningOf = (env: Record<string, string>) => phoneLinkWarning(loadConfig(env));

describe('where to open, and whether links reach phones', () => {
  it('names the web chat and the console under PUBLIC_URL, else at the listen address', () => {
    expect(opening(undefined, { address: '0.0.0.0', port: 8787 })).toMatchObject({
      chat: 'http://localhost:8787/chat',
      console: 'http://localhost:8787/console',
    });
    expect(opening(undefined, { address: '::', port: 80 }).chat).toBe('http://localhost/chat');
    expect(opening(undefined, { address: '127.0.0.1', port: 9000 }).chat).toBe('http://127.0.0.1:9000/chat');
    expect(opening(undefined, { address: '::1', port: 9000 }).chat).toBe('http://[::1]:9000/chat');
    const proxied = opening('https://ops:pa55@union.example.com/tongxin', { address: '0.0.0.0', port: 8787 });
    expect(proxied).toMatchObject({
      chat: 'https://union.example.com/tongxin/chat',
      console: 'https://union.example.com/tongxin/console',
    });
    // A password written into PUBLIC_URL is not repeated in the log.
    expect(JSON.stringify(proxied)).not.toContain('pa55');
    expect(opening('https://union.example.com', { address: '0.0.0.0', port: 8787 }).message).toBe(
      '网页聊天 https://union.example.com/chat，干部后台 https://union.example.com/console / ' +
        "Web chat https://union.example.com/chat, officers' console https://union.example.com/console",
    );
  });

  it('warns only when a messenger is set up and PUBLIC_URL is unset or leads to this machine', () => {
    expect(warningOf({})).toBeNull();
    expect(warningOf({ PUBLIC_URL: 'http://localhost:8787' })).toBeNull();
    expect(warningOf({ ...lark, PUBLIC_URL: 'https://union.example.com' })).toBeNull();
    expect(warningOf({ ...wechat, PUBLIC_URL: 'http://10.0.0.5:8787' })).toBeNull();

    const unset = warningOf(lark);
    expect(unset).toMatchObject({ channels: 'lark', links: 'http://localhost:8787' });
    expect(unset!.message).toMatch(
      /^未设置 PUBLIC_URL：发到飞书的消息里的链接.*指向 http:\/\/localhost:8787，手机上打不开。/,
    );
    expect(unset!.message).toContain(
      " / PUBLIC_URL is not set: links in messages sent to Lark (a news item's full text, a console sign-in link) point at http://localhost:8787, which no phone can open. Set PUBLIC_URL",
    );

    for (const local of [
      'http://localhost:8787',
      'http://127.0.0.1',
      'http://127.0.0.2:80',
      'http://[::1]:8787',
      'http://a.localhost',
    ]) {
      const warning = warningOf({ ...lark, ...wechat, PUBLIC_URL: local });
      expect(warning, local).toMatchObject({ channels: 'lark,wechat' });
      expect(warning!.message, local).toMatch(/^PUBLIC_URL 指向本机：发到飞书、微信的消息/);
      expect(warning!.message, local).toContain(
        ' / PUBLIC_URL points at this machine: links in messages sent to Lark and WeChat',
      );
    }

    // Unset, on an address of its own: links lead there, which only its own network reaches.
    const lan = warningOf({ ...wechat, HOST: '192.168.1.20', PORT: '8080' });
    expect(lan).toMatchObject({ channels: 'wechat', links: 'http://192.168.1.20:8080' });
    expect(lan!.message).toContain('不在同一网络的手机打不开');
    expect(lan!.message).toContain('which phones outside this network cannot open');
  });
});

describe(`the server's first words on ${primaryKind}`, () => {
  let database: ServerDatabase;
  beforeAll(async () => {
    database = await serverDatabase();
  });
  afterAll(() => database.drop());

  /** Starts the real server, hands its output so far (JSON lines) and its URL to `look`, then stops it. */
  async function started(env: Record<string, string>, look: (lines: Line[], url: string) => Promise<void>) {
    const server = await startServerProcess({ ...database.env, RUN_JOBS: 'false', ...env });
    try {
      await look(
        server.logs.map((line) => JSON.parse(line) as Line),
        server.url,
      );
      expect(server.logs.join('\n')).not.toContain(larkApp.appSecret);
    } finally {
      await server.kill('SIGTERM');
    }
  }

  type Line = Record<string, unknown> & { event: string; level: string };
  const listening = (lines: Line[]) => lines.find((line) => line.event === 'server.listening')!;

  it('with Lark set up and PUBLIC_URL unset: one line to open both, after a warning in both languages', async () => {
    await started(lark, async (lines) => {
      const ready = listening(lines);
      const port = ready.port as number;
      const chat = `http://localhost:${port}/chat`;
      const officers = `http://localhost:${port}/console`;
      expect(ready).toMatchObject({ level: 'info', host: '0.0.0.0', chat, console: officers });
      expect(ready.message).toBe(
        `网页聊天 ${chat}，干部后台 ${officers} / Web chat ${chat}, officers' console ${officers}`,
      );
      // Both addresses in one line, and no other line names them.
      expect(lines.filter((line) => JSON.stringify(line).includes(officers))).toEqual([ready]);

      const warnings = lines.filter((line) => line.event === 'public_url.unreachable');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 'warn', channels: 'lark' });
      const text = warnings[0]!.message as string;
      expect(text.startsWith('未设置 PUBLIC_URL')).toBe(true);
      expect(text.indexOf('PUBLIC_URL is not set')).toBeGreaterThan(text.indexOf('手机上打不开'));
      expect(lines.indexOf(warnings[0]!)).toBeLessThan(lines.indexOf(ready));

      // HOST unset: every interface, this machine's other addresses too.
      expect(await reach(otherAddress, String(port))).toBe(200);

      // The addresses it names are where the web chat and the console answer.
      const page = await fetch(chat);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('同心');
      const console = await fetch(officers);
      expect(console.status).toBe(200);
      expect(new URL(console.url).pathname).toBe('/console/signin');
    });
  }, 240_000);
});
