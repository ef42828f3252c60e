/**
 * The officers' console in a real browser: an officer asks the bot for a link in the web chat,
 * signs in with it, sees the dashboard's charts, moves a suggestion on with a reply, and the
 * proposer sees the reply in their web chat; the items CSV downloads with its BOM.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, launchBrowser, startHttpServer, watchPage } from '../support/browser.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/databases.ts';
import { bubbleText, createStack, type Stack, verifiedVisitor, webPerson } from '../support/stack.ts';

let database: TestDatabase;
let stack: Stack;
let server: HttpServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let pump: ReturnType<typeof setInterval>;
/** The pump's pass in flight, awaited before the database closes. */
let pumping: Promise<unknown> | undefined;

beforeAll(async () => {
  database = await openTestDatabase(primaryKind);
  stack = createStack(database);
  // The jobs run by a pump through the stack's serialized drain (not the services' own loops), so
  // a person talking to the bot in-process here always reads their reply once their call returns.
  pump = setInterval(() => {
    if (pumping) return;
    pumping = stack
      .drain()
      .then(() => stack.services.jobs.polls())
      .finally(() => {
        pumping = undefined;
      });
  }, 100);
  server = await startHttpServer(stack.services);
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  problems = watchPage(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  clearInterval(pump);
  await pumping;
  await stack?.drain();
  await database?.close();
});

describe(`the console in Chromium (${primaryKind})`, () => {
  it('signs in with a link from the bot, moves a suggestion on, and the proposer is told', async () => {
    // A proposer of the machine shop files a suggestion in their web chat.
    const shop = await stack.api('/org-units', {
      method: 'POST',
      json: { nameZh: '机修车间', nameEn: 'Machine shop' },
    });
    const { id: unit } = (await shop.json()) as { id: string };
    const proposer = await webPerson(stack);
    await stack.api(`/people/${proposer.memberNo}`, { method: 'PATCH', json: { orgUnitId: unit } });
    await proposer.visitor.say('建议');
    await proposer.visitor.say('食堂增加夜班热饭窗口');
    await proposer.visitor.say('1');
    await proposer.visitor.say('夜班职工凌晨下班时食堂已关门，建议保留一个热饭窗口到凌晨一点。');
    await proposer.visitor.say('跳过');
    await proposer.visitor.say('1');
    const receipt = bubbleText(await proposer.visitor.press('提交'));
    const code = /JY-\d{4}-\d{4}/.exec(receipt)?.[0] ?? '';
    expect(code).toMatch(/^JY-/);

    // The officer, in the browser's web chat, is made the shop's officer and asks for a link.
    await page.goto(`${server.url}/chat`);
    const input = page.getByLabel('输入消息 Message');
    await input.fill('我的信息');
    await input.press('Enter');
    const profile = page.locator('.msg.out', { hasText: '成员号' });
    await profile.waitFor();
    const memberNo = /成员号\s*(\d+)/.exec((await profile.textContent()) ?? '')?.[1];
    const made = await stack.api(`/people/${memberNo}`, {
      method: 'PATCH',
      json: { role: 'officer', officerUnitIds: [unit] },
    });
    expect(made.status).toBe(200);
    await input.fill('后台');
    await input.press('Enter');
    const link = page.locator('.msg.out a.link', { hasText: '打开后台' });
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    const signInUrl = new URL(href);
    await page.goto(`${server.url}${signInUrl.pathname}${signInUrl.search}`);
    await page.getByRole('button', { name: /确认登录/ }).click();

    // The dashboard, with its charts drawn by Chart.js.
    await page.getByRole('heading', { name: '概览' }).waitFor();
    await page.waitForFunction(() => {
      const canvas = document.getElementById('by-status') as (HTMLCanvasElement & { chart?: unknown }) | null;
      return Boolean(canvas?.chart);
    });
    const figures = await page.locator('table[data-figures="by-status"]').textContent();
    expect(figures).toContain('已提交');

    // The item: filtered, opened, moved on with a reply.
    await page.getByRole('link', { name: '建议与提案' }).click();
    await page.getByLabel('搜索（编号、标题、内容）').fill('夜班');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('link', { name: code }).click();
    await page.getByLabel('改为').selectOption({ label: '审核中' });
    await page.getByLabel('答复（发给提出人）').fill('已转食堂管理科，下周答复。');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('status').getByText('已更新').waitFor();
    expect(await page.locator('[data-status]').textContent()).toBe('审核中');

    // The proposer reads the reply in their own web chat, in a browser.
    const theirs = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const [name, value] = proposer.visitor.cookie.split('=');
    await theirs.addCookies([{ name: name!, value: value!, url: server.url }]);
    const chat = await theirs.newPage();
    await chat.goto(`${server.url}/chat`);
    await chat.locator('.msg.out', { hasText: '已转食堂管理科，下周答复。' }).waitFor();
    await theirs.close();

    // The list as CSV, with the BOM Excel needs for Chinese.
    await page.getByRole('link', { name: '建议与提案' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 CSV' }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('食堂增加夜班热饭窗口');
    expect(problems).toEqual([]);
  });

  it('labels every control on its pages, and switches to English', async () => {
    for (const path of [
      '/console',
      '/console/items',
      '/console/polls/new',
      '/console/news/new',
      '/console/help',
    ]) {
      await page.goto(`${server.url}${path}`);
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('input:not([type="hidden"]), select, textarea, button'))
          .filter((el) => {
            const control = el as HTMLInputElement;
            const named =
              (control.labels?.length ?? 0) > 0 ||
              el.getAttribute('aria-label') ||
              (el.tagName === 'BUTTON' && el.textContent?.trim());
            return !named;
          })
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      expect(unlabelled, path).toEqual([]);
    }
    await page.goto(`${server.url}/console/items`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Suggestions & motions' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '建议与提案' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('publishes a news item after a preview', async () => {
    await page.getByRole('link', { name: '动态' }).click();
    await page.goto(`${server.url}/console/news/new`);
    await page.getByLabel('标题').fill('冬季送温暖活动通知');
    await page.getByLabel('正文（Markdown）').fill('## 报名\n\n请各基层工会于**本月底前**报送名单。');
    await page.getByRole('button', { name: '预览' }).click();
    await page.locator('strong', { hasText: '本月底前' }).waitFor();
    await page.getByRole('button', { name: '发布' }).click();
    await page.getByText('冬季送温暖活动通知').first().waitFor();
    const published = await stack.api('/news');
    const { items } = (await published.json()) as { items: { title: string }[] };
    expect(items.map((i) => i.title)).toContain('冬季送温暖活动通知');
    expect(problems).toEqual([]);
  });

  it('creates a poll, and after it closes reads its chart', async () => {
    // Three verified members who talk to the bot before the poll goes out, so they are asked.
    const voters = [];
    for (let i = 0; i < 3; i++) voters.push((await verifiedVisitor(stack)).visitor);
    await page.goto(`${server.url}/console/polls/new`);
    await page.getByLabel('问题').fill('班车发车时间是否合适？');
    await page.getByLabel('类型').selectOption('single');
    await page.getByLabel(/选项/).fill('合适\n太早\n太晚');
    await page.getByLabel('时长（小时）').fill('2');
    await page.getByLabel(/门槛/).first().fill('3');
    await page.getByRole('button', { name: '发起' }).click();
    await page.getByText('班车发车时间是否合适？').first().waitFor();
    const no = /\/console\/polls\/(\d+)/.exec(page.url())?.[1];
    const { items } = (await (await stack.api('/polls')).json()) as {
      items: { id: string; no: number; question: string }[];
    };
    const poll = items.find((p) => p.question === '班车发车时间是否合适？')!;
    expect(String(poll.no)).toBe(no ?? String(poll.no));
    // The poll job opens it; the three answer; it is closed early from the console.
    for (let i = 0; i < 50 && (await (await stack.api(`/polls/${poll.id}`)).json()).status !== 'open'; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const [i, voter] of voters.entries()) {
      const res = await stack.request(`/chat/polls/${poll.id}/vote`, {
        method: 'POST',
        headers: { cookie: voter.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ answer: [2, 2, 1][i] }),
      });
      expect(res.status).toBe(200);
    }
    await page.goto(`${server.url}/console/polls/${poll.no}`);
    await page.getByRole('button', { name: '提前结束' }).click();
    await page.getByText('投票已结束').first().waitFor();
    const drawn = await page.waitForFunction(() => {
      const canvas = document.querySelector('canvas[id^="poll"]') as
        | (HTMLCanvasElement & { chart?: { data: { labels: string[]; datasets: { data: number[] }[] } } })
        | null;
      return canvas?.chart
        ? { labels: canvas.chart.data.labels, data: canvas.chart.data.datasets[0]!.data }
        : null;
    });
    const chart = (await drawn.jsonValue()) as { labels: string[]; data: number[] };
    expect(chart.labels.join('|')).toContain('太早');
    expect(chart.data).toEqual([1, 2, 0]);
    expect(problems).toEqual([]);
  });
});
