/**
 * Takes docs/console.png: the whole server on an in-memory PGlite with some weeks of work in it
 * (suggestions filed in chat and moved on, ratings, a closed poll), and the dashboard as an admin
 * sees it on a laptop.
 *
 *   npx tsx scripts/console-screenshot.ts [output.png]
 *
 * Needs the system's Chromium and, for Chinese text, a CJK font (apt-get install -y fonts-noto-cjk).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { launchBrowser, startHttpServer } from '../test/support/browser.ts';
import { openTestDatabase } from '../test/support/databases.ts';
import { adminToken, createStack, webVisitor } from '../test/support/stack.ts';

const output = resolve(process.argv[2] ?? 'docs/console.png');
const database = await openTestDatabase('pglite');
const stack = createStack(database);
const server = await startHttpServer(stack.services);
const browser = await launchBrowser();

const ideas: [string, string][] = [
  ['检修车间通道铺设防滑垫', '1'],
  ['锅炉节能改造', '3'],
  ['班组安全交底改用短视频', '1'],
  ['食堂增加夜班热饭窗口', '6'],
  ['林区巡护配发卫星电话', '1'],
  ['木材堆场增设喷淋降尘', '2'],
  ['职工书屋延长开放时间', '6'],
  ['推行电子派工单', '3'],
];

try {
  const people = [];
  for (const [title, category] of ideas) {
    const visitor = await webVisitor(stack);
    await visitor.say('建议');
    await visitor.say(title);
    await visitor.say(category);
    await visitor.say(`${title}：现场情况和具体做法见附件说明，已与班组同事商量过。`);
    await visitor.say('跳过');
    await visitor.say('1');
    await visitor.press('提交');
    people.push(visitor);
  }
  // Some weeks of handling: items moved on, and ratings spread over the past weeks.
  await database.db.execute(sql`
    update submissions set status = case when random() < 0.4 then 'closed' else 'in_review' end`);
  await database.db.execute(sql`
    insert into submissions (reference_code, kind, status, title, category, details, person_id, origin_channel, origin_chat_id,
                             created_at, updated_at, rating, rated_at)
    select 'JY-2026-9' || lpad(g::text, 3, '0'), 'suggestion', 'closed', '往期建议 ' || g, 'management', '{}'::jsonb,
           (select id from people limit 1), 'web', 'seed', now() - (g || ' days')::interval,
           now() - (g || ' days')::interval, 1 + (g % 7 = 0)::int + (g % 11 = 0)::int,
           now() - (g || ' days')::interval
    from generate_series(1, 50) g`);
  // A poll the people answered, closed.
  const created = await stack.api('/polls', {
    method: 'POST',
    json: {
      question: '您对本季度职工之家活动满意吗？',
      kind: 'rating',
      audience: { kind: 'everyone' },
      durationMinutes: 60,
      threshold: 5,
    },
  });
  const poll = (await created.json()) as { id: string };
  while ((await stack.services.jobs.polls()) > 0) {}
  for (const [i, visitor] of people.entries()) {
    await stack.request(`/chat/polls/${poll.id}/vote`, {
      method: 'POST',
      headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ answer: [5, 4, 4, 5, 3, 4, 5, 2][i] }),
    });
  }
  await stack.api(`/polls/${poll.id}/close`, { method: 'POST' });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${server.url}/console/signin`);
  await page.getByLabel(/管理员令牌/).fill(adminToken);
  await page.getByRole('button', { name: /用令牌登录/ }).click();
  await page.getByRole('heading', { name: '概览' }).waitFor();
  await page.waitForFunction(() => {
    const canvas = document.getElementById('satisfaction-trend') as
      | (HTMLCanvasElement & { chart?: unknown })
      | null;
    return Boolean(canvas?.chart);
  });
  await page.evaluate(() => document.fonts.ready);
  await mkdir(dirname(output), { recursive: true });
  await page.screenshot({ path: output, fullPage: true });
  console.log(`saved ${output}`);
} finally {
  await browser.close();
  await server.close();
  await database.close();
}
