/**
 * The roster's import preview in Chromium: an admin signs in with the token, uploads a file with
 * bad rows and sees each problem with its row and column (and no import button), uploads the
 * LibreOffice roster, sees what it would do, imports it, reloads the page without importing twice,
 * and finds the people by name in 人员与单位.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, launchBrowser, startHttpServer, watchPage } from '../support/browser.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/databases.ts';
import { adminToken, createStack } from '../support/stack.ts';

let database: TestDatabase;
let server: HttpServer;
let browser: Browser;
let page: Page;
let problems: string[];
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/roster/${name}`, import.meta.url));

beforeAll(async () => {
  database = await openTestDatabase(primaryKind);
  server = await startHttpServer(createStack(database).services);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  problems = watchPage(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.close();
});

describe(`the roster import in Chromium (${primaryKind})`, () => {
  it('previews problems, then imports a roster once, and the people are there by name', async () => {
    await page.goto(`${server.url}/console/signin`);
    await page.getByLabel('管理员令牌（ADMIN_TOKEN）').fill(adminToken);
    await page.getByRole('button', { name: /登录/ }).click();
    await page.goto(`${server.url}/console/people`);
    await page.getByRole('link', { name: '花名册导入导出 →' }).click();

    await page.getByLabel('文件').setInputFiles(fixture('libreoffice-bad-rows.xlsx'));
    await page.getByRole('button', { name: '上传并检查' }).click();
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('有 6 处问题');
    const rows = page.locator('[data-problems] tbody tr');
    expect(await rows.count()).toBe(6);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['4', '工号', '工号与第 2 行重复。']);
    expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);

    await page.getByRole('link', { name: '← 重新上传' }).click();
    await page.getByLabel('文件').setInputFiles(fixture('libreoffice-roster.xlsx'));
    await page.getByRole('button', { name: '上传并检查' }).click();
    await expect
      .poll(() => page.locator('[data-summary]').textContent())
      .toBe('将新增 8 人，更新 0 人，0 人不变，新建单位 5 个。');
    expect(await page.locator('[data-create] tbody tr').count()).toBe(8);
    const preview = page.url();
    await page.getByRole('button', { name: '确认导入' }).click();
    await expect.poll(() => page.locator('[data-imported]').textContent()).toContain('已导入：新增 8 人');
    expect(page.url()).toBe(preview);
    await page.reload();
    expect(await page.locator('[data-imported]').textContent()).toContain('已导入：新增 8 人');

    await page.goto(`${server.url}/console/people?q=${encodeURIComponent('赵敏')}`);
    expect(await page.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
      expect.stringMatching(/^\d+$/),
      '赵敏',
      '工会干部',
      '东风林场工会',
      '',
    ]);
    expect(problems).toEqual([]);
  });
});
