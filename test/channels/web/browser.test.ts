/**
 * The web chat in a real browser on a phone-sized screen: the page served over HTTP by the whole
 * server with its background jobs running, and a person who only taps and types.
 */
import { count } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbox } from '../../../db/schema/index.ts';
import {
  chatDriver,
  type HttpServer,
  launchBrowser,
  phone,
  startHttpServer,
  watchPage,
} from '../../support/browser.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../../support/databases.ts';
import { createStack, type Stack } from '../../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let server: HttpServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let chat: ReturnType<typeof chatDriver>;
let code = '';

beforeAll(async () => {
  database = await openTestDatabase(primaryKind);
  stack = createStack(database);
  stack.services.startJobs();
  server = await startHttpServer(stack.services);
  browser = await launchBrowser();
  context = await browser.newContext(phone);
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  problems = watchPage(page);
  chat = chatDriver(page);
  await page.goto(`${server.url}/chat`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stack?.services.stopJobs();
  await database?.close();
});

/** Errors the server logged while the page was in use (the log holds ids and codes only). */
const serverErrors = () => stack.logLines.filter((line) => JSON.parse(line).level === 'error');
const inboxCount = async () => (await database.db.select({ n: count() }).from(inbox))[0]!.n;

describe(`web chat in Chromium on a phone (${primaryKind})`, () => {
  it('files a suggestion by tapping and typing, then finds it under 我的', async () => {
    await page.getByText('您好！我是同心工会助手').waitFor();

    const askTitle = await chat.chip('提建议 Suggest');
    expect(await askTitle.textContent()).toContain('标题');

    const askCategory = await chat.say('检修车间增加防滑垫');
    expect(await askCategory.textContent()).toContain('哪一类');
    // Answering by typing retires the earlier question's buttons too (an old 取消 must not cancel).
    expect(await askTitle.getByRole('button', { name: '取消' }).isDisabled()).toBe(true);
    const askDetail = await chat.press('安全生产');
    expect(await askDetail.textContent()).toContain('具体描述');
    // The earlier choices cannot be tapped twice.
    expect(await askCategory.getByRole('button', { name: '技术与工艺' }).isDisabled()).toBe(true);

    const askBenefit = await chat.say('检修车间地面常有油污，雨天更滑，建议在通道铺设防滑垫并每日清理。', {
      click: true,
    });
    expect(await askBenefit.textContent()).toContain('效益');
    const askAnonymity = await chat.say('减少滑倒事故');
    expect(await askAnonymity.textContent()).toContain('匿名');
    const askName = await chat.press('署名提交');
    expect(await askName.textContent()).toContain('您怎么称呼？');
    const confirm = await chat.say('孙师傅');
    expect(await confirm.textContent()).toContain('请确认');
    expect(await confirm.textContent()).toContain('孙师傅');
    expect(await confirm.textContent()).toContain('检修车间增加防滑垫');

    const receipt = await chat.press('提交');
    const receiptText = (await receipt.textContent()) ?? '';
    expect(receiptText).toContain('建议已提交');
    code = /JY-\d{4}-\d{4}/.exec(receiptText)?.[0] ?? '';
    expect(code).toMatch(/^JY-\d{4}-\d{4}$/);
    expect(await receipt.getByText(code, { exact: true }).isVisible()).toBe(true);

    const mine = await chat.chip('我的 Mine');
    const mineText = (await mine.textContent()) ?? '';
    expect(mineText).toContain(`${code} 检修车间增加防滑垫`);
    expect(mineText).toContain('已提交');
    // A long item name goes above its status, which stays readable rather than one character a line.
    const status = await mine.locator('dd').first().boundingBox();
    expect(status?.height).toBeLessThan(60);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // What the person typed is shown on their side of the conversation.
    await page.locator('.msg.in', { hasText: '减少滑倒事故' }).waitFor();
    expect(problems).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });

  it('shows the conversation again after a reload', async () => {
    expect(code).not.toBe('');
    await page.reload();
    const receipt = page.locator('.msg.out', { hasText: '建议已提交' });
    await receipt.waitFor();
    expect(await receipt.textContent()).toContain(code);
    await page.locator('.msg.in', { hasText: '检修车间增加防滑垫' }).first().waitFor();
    // History replaces the greeting that a new visitor sees.
    expect(await page.getByText('您好！我是同心工会助手').count()).toBe(0);
    expect(problems).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });

  it('shows a news item with a link to read it in full', async () => {
    const published = await stack.api('/news', {
      method: 'POST',
      json: {
        topic: 'notice',
        title: '冬季送温暖活动通知',
        body: '各基层工会：请于本月底前报送困难职工名单。',
        audience: { kind: 'everyone' },
      },
    });
    expect(published.status).toBe(201);
    const { url } = (await published.json()) as { url: string };
    const card = page.locator('.msg.out', { hasText: '冬季送温暖活动通知' });
    await card.waitFor();
    expect(await card.textContent()).toContain('请于本月底前报送困难职工名单');
    const link = card.locator('a.link');
    expect(await link.textContent()).toBe('阅读全文');
    expect(await link.getAttribute('href')).toBe(url);
    expect(problems).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });

  it('answers a poll with a tap, changes the answer, and keeps it out of the conversation', async () => {
    // A visitor nobody has vouched for is asked only by a poll sent to their own chat.
    const cookie = (await context.cookies()).find((c) => c.name === 'tx_visitor');
    const visitorId = cookie?.value.split('.')[0];
    expect(visitorId).toMatch(/^v_/);
    const created = await stack.api('/polls', {
      method: 'POST',
      json: {
        question: '您对本月职工之家活动满意吗？',
        kind: 'single',
        options: ['满意', '一般', '不满意'],
        allowComment: true,
        audience: { kind: 'chats', chats: [{ channel: 'web', chatId: visitorId }] },
        durationMinutes: 60,
      },
    });
    expect(created.status).toBe(201);
    const card = page.locator('.msg.out', { hasText: '您对本月职工之家活动满意吗？' });
    await card.waitFor();
    const shownBefore = await page.locator('.msg').count();
    const before = await inboxCount();
    await card.getByRole('button', { name: '2. 一般' }).click();
    const note = card.getByTestId('vote-note');
    await note.getByText('已匿名记录').waitFor();
    // The first vote explains what is stored.
    expect(await note.textContent()).toContain('/polls/privacy');
    await card.getByRole('button', { name: '3. 不满意' }).click();
    await note.getByText('之前的回答不再计入').waitFor();
    await card.getByRole('textbox').fill('希望多办读书会');
    await card.getByRole('button', { name: '提交意见 Send' }).click();
    await note.getByText('已匿名记录您的意见').waitFor();
    // Nothing was added to the conversation, and nothing went through the inbox.
    expect(await page.locator('.msg').count()).toBe(shownBefore);
    expect(await inboxCount()).toBe(before);
    await page.reload();
    await page.locator('.msg.out', { hasText: '您对本月职工之家活动满意吗？' }).waitFor();
    expect(await page.locator('.msg.in', { hasText: '不满意' }).count()).toBe(0);
    expect(problems).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });

  it('refuses an over-long message with an error and sends nothing', async () => {
    const before = { inbox: await inboxCount(), shown: await page.locator('.msg.in').count() };
    const long = '长'.repeat(4001);
    await chat.input.fill(long);
    await chat.input.press('Enter');

    const alert = page.getByRole('alert').filter({ hasText: '最多 4000 字' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('4001');
    // The text stays in the box to be shortened, and nothing reached the server's inbox.
    await expect.poll(() => chat.input.inputValue()).toBe(long);
    expect(await inboxCount()).toBe(before.inbox);
    expect(await page.locator('.msg.in').count()).toBe(before.shown);

    // The browser reports the refused request (HTTP 400) on the console; nothing else may go wrong.
    const unexpected = problems.filter((p) => !/status of 400 .*\/chat\/messages$/.test(p));
    expect(unexpected).toEqual([]);
    expect(serverErrors()).toEqual([]);
  });

  it('runs no script injected into the page: only this server’s own', { timeout: 20_000 }, async () => {
    await page.goto(`${server.url}/chat`);
    // The page's script has run once the conversation (or the greeting) shows.
    await page.locator('.msg').first().waitFor();
    const before = problems.length;
    // What an injection that got markup into the page would try: an inline script and a handler.
    const ran = await page.evaluate(() => {
      const flags = window as unknown as { injected?: boolean; handled?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.injected = true;';
      document.body.append(script);
      const image = document.createElement('img');
      image.setAttribute('onerror', 'window.handled = true;');
      image.src = 'data:,';
      document.body.append(image);
      return new Promise<boolean>((resolve) =>
        setTimeout(() => resolve(flags.injected === true || flags.handled === true), 200),
      );
    });
    expect(ran).toBe(false);
    // The browser says why, and nothing else went wrong.
    const said = problems.splice(before);
    expect(
      said.every((p) => /Content Security Policy/i.test(p)),
      said.join('\n'),
    ).toBe(true);
    // The page's own script still works: the chat answers.
    const reply = await chat.say('菜单');
    expect(await reply.textContent()).toContain('请选择要办的事');
    expect(problems.slice(before)).toEqual([]);
  });
});
