/**
 * A real browser over a real HTTP server: the system's Chromium driven by playwright-core (no
 * browser is ever downloaded), the app served on a random loopback port, and a few steps a
 * person takes in the web chat page.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import type { Services } from '../../src/runtime/services.ts';

export const chromiumPath = '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the system's Chromium, headless; says how to install it when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** A phone: the size of a common handset, touch, Chinese locale and the union's time zone. */
export const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export interface HttpServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/** Serves the app over real HTTP on 127.0.0.1, on a port the system picks. */
export function startHttpServer(services: Pick<Services, 'app'>): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: services.app.fetch, port: 0, hostname: '127.0.0.1' },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              // Long polls would otherwise keep the server open for up to their full wait.
              (server as Server).closeAllConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}

/** What went wrong inside a page: uncaught errors and console errors, as text. */
export function watchPage(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    problems.push(`console: ${message.text()} @ ${where}`);
  });
  return problems;
}

/** The web chat as a person uses it: type or tap, then wait for the assistant's next bubble. */
export function chatDriver(page: Page) {
  const outgoing = page.locator('.msg.out');
  const input = page.getByLabel('输入消息 Message');

  /** Runs `act` and resolves with the first bot bubble that appears after it. */
  async function nextReply(act: () => Promise<void>): Promise<Locator> {
    const before = await outgoing.count();
    await act();
    const reply = outgoing.nth(before);
    await reply.waitFor();
    return reply;
  }

  return {
    input,
    outgoing,
    /** Types into the message box and presses Enter (or taps 发送 with `{ click: true }`). */
    say: (text: string, opts: { click?: boolean } = {}) =>
      nextReply(async () => {
        await input.fill(text);
        if (opts.click) await page.getByRole('button', { name: '发送' }).click();
        else await input.press('Enter');
      }),
    /** Taps a button in the latest bot bubble. */
    press: (label: string) =>
      nextReply(() => outgoing.last().getByRole('button', { name: label, exact: true }).click()),
    /** Taps one of the shortcut chips above the message box. */
    chip: (label: string) =>
      nextReply(() =>
        page
          .getByRole('toolbar', { name: '快捷操作 Shortcuts' })
          .getByRole('button', { name: label })
          .click(),
      ),
  };
}
