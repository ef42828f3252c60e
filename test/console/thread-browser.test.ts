/**
 * A help case as a two-way thread in Chromium: the worker files it in the web chat on a phone with
 * a photo picked through 📎 (a program renamed as one refused on the page), the officer (signed in with the link the bot sends) asks a question
 * from the case's page without changing its status, the worker just types the answer and then adds
 * another photo with 补充, and the officer, reloading, reads it all on the case's page: both photos
 * shown (decoded by the browser) and the answers on the timeline; reloading after sending sends
 * nothing twice.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatDriver,
  type HttpServer,
  launchBrowser,
  phone,
  startHttpServer,
  watchPage,
} from '../support/browser.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/databases.ts';
import { pngPhoto, renamedProgram } from '../support/files.ts';
import { createStack, type Stack, webPerson } from '../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let server: HttpServer;
let browser: Browser;
let pump: ReturnType<typeof setInterval>;
let pumping: Promise<unknown> | undefined;

beforeAll(async () => {
  database = await openTestDatabase(primaryKind);
  stack = createStack(database);
  pump = setInterval(() => {
    if (!pumping) pumping = stack.drain().finally(() => (pumping = undefined));
  }, 100);
  server = await startHttpServer(stack.services);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  clearInterval(pump);
  await pumping;
  await stack?.drain();
  await database?.close();
});

describe(`a help case as a thread in Chromium (${primaryKind})`, () => {
  it('asks from the case page, the worker types the answer, and it is on the timeline', async () => {
    // An admin handles every unit, the worker's (none yet) included.
    const officer = await webPerson(stack);
    await stack.api(`/people/${officer.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });

    // The worker, on a phone, files a help request to be answered here.
    const worker = await browser.newContext(phone);
    const workerPage = await worker.newPage();
    const problems = watchPage(workerPage);
    await workerPage.goto(`${server.url}/chat`);
    const chat = chatDriver(workerPage);
    await chat.say('求助');
    await chat.say('日常');
    await chat.say('爱人住院，家里孩子没人照看，想请工会帮忙想想办法。');
    // A program renamed as a photo is refused on the page, the limit stated.
    await workerPage
      .locator('#file')
      .setInputFiles({ name: '照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(renamedProgram) });
    await workerPage.locator('.msg.error', { hasText: '不接收程序、脚本或含宏的文件' }).waitFor();
    await workerPage.locator('#file').setInputFiles({
      name: '住院证明.png',
      mimeType: 'image/png',
      buffer: Buffer.from(pngPhoto({ width: 8, height: 6 })),
    });
    await workerPage.locator('.msg.in', { hasText: '📎 住院证明.png' }).waitFor();
    await workerPage.locator('.msg.out', { hasText: '已收到“住院证明.png”（共 1 个附件）' }).waitFor();
    await chat.say('一般');
    await chat.say('这里');
    // Each answer is waited for by what it says, not by counting bubbles (one step may send two).
    await chat.say('孙师傅');
    await workerPage.locator('.msg.out', { hasText: '请确认' }).waitFor();
    await workerPage.locator('.msg.out').last().getByRole('button', { name: '提交', exact: true }).click();
    const receipt = workerPage.locator('.msg.out', { hasText: /BF-\d{4}-\d{4}/ });
    await receipt.waitFor();
    const ref = /BF-\d{4}-\d{4}/.exec((await receipt.textContent()) ?? '')![0];

    // The officer signs in with the bot's link and asks a question on the case's page.
    const replies = (await officer.visitor.say('后台')) as { link?: { url: string } }[];
    const link = new URL(replies.find((r) => r.link)!.link!.url);
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    desk.setDefaultTimeout(10_000);
    const page = await desk.newPage();
    await page.goto(`${server.url}${link.pathname}${link.search}`);
    await page.getByRole('button', { name: /确认登录/ }).click();
    await page.goto(`${server.url}/console/help/${ref}`);
    await page.getByLabel(/内容（最多/).fill('您好，明天上午我们去医院看望，方便吗？');
    await page.getByLabel('提问（请提出人回复）').check();
    await page.getByRole('button', { name: '发送' }).click();
    await page.getByRole('status').getByText('已向提出人提问').waitFor();
    expect(page.url()).toBe(`${server.url}/console/help/${ref}?message=asked`);
    await page.reload();
    const asked = page.locator('ol.timeline li', { hasText: '工会干部提问' });
    expect(await asked.count()).toBe(1);

    // The worker sees the question and just types the answer.
    await workerPage.locator('.msg.out', { hasText: '明天上午我们去医院看望' }).waitFor();
    const thanked = await chat.say('方便，谢谢！我在市二院三楼');
    expect(await thanked.textContent()).toContain(`已把您的话转给负责 ${ref} 的工会干部`);

    // Then adds a photo to the case with 补充.
    await chat.say(`补充 ${ref}`);
    await workerPage.locator('#file').setInputFiles({
      name: '病房.png',
      mimeType: 'image/png',
      buffer: Buffer.from(pngPhoto({ width: 4, height: 4 })),
    });
    await workerPage
      .locator('.msg.out', { hasText: `已把您的话转给负责 ${ref}` })
      .nth(1)
      .waitFor();

    await page.reload();
    const answer = page.locator('ol.timeline li', { hasText: '提出人回复' });
    await answer.first().waitFor();
    expect(await answer.first().textContent()).toContain('我在市二院三楼');
    expect(await answer.nth(1).textContent()).toContain('📎 病房.png');
    // Both photos are on the page, served to the officer and decoded by the browser.
    const photos = page.locator('[data-files] img');
    expect(await photos.count()).toBe(2);
    for (const img of await photos.all()) {
      await img.scrollIntoViewIfNeeded();
      await expect
        .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
        .toBeGreaterThan(0);
    }
    expect(await photos.first().evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(8);
    expect(await page.locator('p.muted').first().textContent()).toContain('待受理');
    // The refused upload's 415 is the browser's only complaint.
    expect(problems.filter((p) => !/status of 415 .*\/chat\/files$/.test(p))).toEqual([]);
    expect(problems).toHaveLength(1);
    await worker.close();
    await desk.close();
  });
});
