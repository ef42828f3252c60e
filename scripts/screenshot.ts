/**
 * Takes docs/web-chat.png: the whole server on an in-memory PGlite, served over HTTP, and a
 * person on a phone filing a safety suggestion in the web chat until the receipt shows.
 *
 *   npx tsx scripts/screenshot.ts [output.png]
 *
 * Needs the system's Chromium (apt-get install -y chromium) and, for Chinese text, a CJK font
 * (apt-get install -y fonts-noto-cjk).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { chatDriver, launchBrowser, phone, startHttpServer, watchPage } from '../test/support/browser.ts';
import { openTestDatabase } from '../test/support/databases.ts';
import { createStack } from '../test/support/stack.ts';

const output = resolve(process.argv[2] ?? 'docs/web-chat.png');

const database = await openTestDatabase('pglite');
const stack = createStack(database);
stack.services.startJobs();
const server = await startHttpServer(stack.services);
const browser = await launchBrowser();

try {
  const context = await browser.newContext(phone);
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = watchPage(page);
  const chat = chatDriver(page);

  await page.goto(`${server.url}/chat`);
  await page.getByText('您好！我是同心工会助手').waitFor();
  await chat.chip('提建议 Suggest');
  await chat.say('检修车间通道铺设防滑垫');
  await chat.press('安全生产');
  await chat.say(
    '检修车间主通道和洗件区地面常有油污和积水，雨天更滑，上个月已有两名同事险些滑倒。' +
      '建议在主通道、洗件区和台架周边铺设耐油防滑垫，并由当班人员每日清理。',
  );
  await chat.say('减少滑倒摔伤事故，雨季也能安全通行；防滑垫约 3000 元，可用两年以上。');
  await chat.press('署名提交');
  const receipt = await chat.press('提交');
  const code = /JY-\d{4}-\d{4}/.exec((await receipt.textContent()) ?? '')?.[0];
  if (!code) throw new Error('the receipt shows no reference code');

  await page.evaluate(() => document.fonts.ready);
  await receipt.scrollIntoViewIfNeeded();
  await mkdir(dirname(output), { recursive: true });
  await page.screenshot({ path: output });
  if (problems.length > 0) console.warn(`page problems:\n${problems.join('\n')}`);
  console.log(`saved ${output} (receipt ${code})`);
} finally {
  await browser.close();
  await server.close();
  await stack.services.stopJobs();
  await database.close();
}
