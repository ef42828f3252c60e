/**
 * An anonymous suggestion names nobody, through every channel (the web chat, Lark over its
 * webhook, WeChat through its intake): each author files one, an officer answers it and the
 * author is told, and then every surface an officer or admin can read (the API and its CSV, the
 * console's lists, item pages, audit log and CSVs, officers' notices and digests, the logs and
 * the metrics) and a full copy of the database (every table, with each row's transaction id; and
 * pg_dump on PostgreSQL) are searched for the authors' names, member numbers, person ids and
 * channel ids beside any trace of their items. The authors still find their own items (我的).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelSender, Inbound, OutboundEnvelope } from '../../bots/core/messenger.ts';
import { queryRows } from '../../db/handle.ts';
import { consoleClient } from '../support/console.ts';
import { postgresUrl } from '../support/databases.ts';
import { pngPhoto } from '../support/files.ts';
import { delivery, nextId, textMessage } from '../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../support/lark-server.ts';
import { openedOutbox } from '../support/outbox.ts';
import { bubbleText, webPerson } from '../support/stack.ts';
import { larkPhoto, webUpload } from './photo-senders.ts';

const run = promisify(execFile);

/** A WeChat account that records what the bot sends it. */
const wechatSent: OutboundEnvelope[] = [];
const wechatSender: ChannelSender = {
  channel: 'wechat',
  async send(envelope) {
    wechatSent.push(envelope);
    return { ok: true, platformMessageId: `wx_${wechatSent.length}` };
  },
};

let lark: LarkServer;
const stack = () => lark.stack;
const console_ = consoleClient(stack, 'http://localhost');

/** One author: what names them anywhere, and the item they filed. */
interface Author {
  channel: 'web' | 'lark' | 'wechat';
  ids: string[];
  name: string;
  memberNo: number;
  personId: string;
  title: string;
  code: string;
}
const authors: Author[] = [];

/** The suggestion's answers, the same on every channel; the title says whose it is. */
const answers = (title: string) => [
  '建议',
  title,
  '安全生产',
  '夜班巡检路线照明不足，台阶处容易踩空，建议加装感应灯并定期检查。',
  '减少夜班摔伤',
  '匿名',
];

async function personOf(channel: string, externalId: string) {
  const [row] = await queryRows<{ id: string; display_name: string; member_no: number }>(
    lark.database.db,
    sql`select p.id, p.display_name, p.member_no from people p join channel_identities ci on ci.person_id = p.id
        where ci.channel = ${channel} and ci.external_id = ${externalId}`,
  );
  if (!row) throw new Error(`no person for ${channel}:${externalId}`);
  return { personId: row.id, name: row.display_name, memberNo: Number(row.member_no) };
}

async function larkSay(openId: string, chatId: string, text: string) {
  const { body, headers } = await delivery(textMessage({ openId, chatId, text }), { encrypt: true });
  const res = await fetch(`${lark.server.url}/webhooks/lark`, { method: 'POST', body, headers });
  expect(res.status).toBe(200);
  await stack().drain();
}

async function wechatSay(externalId: string, displayName: string, text: string) {
  const inbound: Inbound = {
    channel: 'wechat',
    dedupeKey: `wechat:${nextId('msg')}`,
    sender: { externalId, displayName },
    chat: { id: externalId, type: 'private' },
    content: { type: 'text', text },
    receivedAt: new Date().toISOString(),
  };
  expect((await stack().services.intake.take(inbound)).outcome).toBe('accepted');
  await stack().drain();
}

/** The web chat's person behind a cookie. */
async function personOfCookie(cookie: string) {
  return personOf('web', decodeURIComponent(cookie.split('=')[1] ?? '').split('.')[0]!);
}

beforeAll(async () => {
  lark = await startLarkServer({
    channels: [{ name: 'wechat', sender: wechatSender }],
    env: { PUBLIC_URL: 'http://localhost' },
  });
  // An admin and an officer who receive notices in their own chats, and who handle every unit.
  const admin = await webPerson(stack());
  await stack().api(`/people/${admin.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });
  await admin.visitor.say('菜单');
  const adminId = (
    await queryRows<{ id: string }>(
      lark.database.db,
      sql`select id from people where member_no = ${admin.memberNo}`,
    )
  )[0]!.id;

  // The web chat, with a photo whose file name is the author's own.
  const web = await webPerson(stack());
  const webName = (await personOfCookie(web.visitor.cookie)).name;
  for (const [i, said] of answers('网页匿名建议 照明').entries()) {
    await web.visitor.say(said);
    if (i === 3)
      await webUpload(stack(), web.visitor.cookie, pngPhoto({ author: webName }), `${webName}的照片.png`);
  }
  const webCode = /JY-\d{4}-\d{4}/.exec(bubbleText(await web.visitor.say('提交')))?.[0] ?? '';
  const webId = decodeURIComponent(web.visitor.cookie.split('=')[1] ?? '').split('.')[0]!;
  authors.push({
    channel: 'web',
    ids: [webId],
    ...(await personOf('web', webId)),
    title: '网页匿名建议 照明',
    code: webCode,
  });

  // Lark, signed and encrypted deliveries to the webhook.
  const openId = 'ou_anon_author_lark';
  const chatId = 'oc_anon_author_p2p';
  for (const [i, said] of answers('飞书匿名建议 照明').entries()) {
    await larkSay(openId, chatId, said);
    if (i === 3) await larkPhoto(lark, openId, chatId);
  }
  await larkSay(openId, chatId, '提交');
  const larkCode = /JY-\d{4}-\d{4}/.exec(JSON.stringify(lark.standIn.sent.map((m) => m.content)))?.[0];
  authors.push({
    channel: 'lark',
    ids: [openId, chatId, `on_${openId}`],
    ...(await personOf('lark', openId)),
    title: '飞书匿名建议 照明',
    code: '',
  });

  // WeChat, through the same intake the wechaty adapter uses.
  const wxid = 'wxid_anon_author_wechat';
  for (const said of answers('微信匿名建议 照明')) await wechatSay(wxid, '王小梅', said);
  await wechatSay(wxid, '王小梅', '提交');
  authors.push({
    channel: 'wechat',
    ids: [wxid],
    ...(await personOf('wechat', wxid)),
    title: '微信匿名建议 照明',
    code: '',
  });

  // Each item's code, as officers see it in their list.
  const list = (await (await stack().api('/submissions?kind=suggestion&limit=100')).json()) as {
    items: { referenceCode: string; title: string; anonymous: boolean; proposer: unknown }[];
  };
  for (const author of authors) {
    const item = list.items.find((i) => i.title === author.title);
    expect(item, author.title).toBeDefined();
    expect(item).toMatchObject({ anonymous: true, proposer: null });
    author.code = item!.referenceCode;
  }
  expect(authors[0]!.code).toBe(webCode);
  expect(JSON.stringify(lark.standIn.sent.map((m) => m.content))).toContain(authors[1]!.code);
  expect(larkCode).toBeDefined();

  // An officer answers each; the author is told where they filed it.
  for (const author of authors) {
    const res = await stack().api(`/submissions/${author.code}/status`, {
      method: 'POST',
      json: { status: 'in_review', reply: '已转后勤处核实，本周内答复。' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  await stack().drain();
  // The admin's daily digest, run now (the tick creates every officer's digest schedule first).
  await stack().services.jobs.tick();
  const [digest] = await queryRows<{ id: string }>(
    lark.database.db,
    sql`select id from schedules where kind = 'digest' and payload->>'personId' = ${adminId}`,
  );
  expect(await stack().services.jobs.runSchedule(digest!.id)).toBe(true);
  await stack().drain();
}, 120_000);

afterAll(() => lark?.close());

/** Everything that names an author, as it could appear in text. */
const namesOf = (author: Author) => [
  ...author.ids,
  author.personId,
  author.name,
  `"member_no":${author.memberNo}`,
  `"memberNo":${author.memberNo}`,
  `#${author.memberNo}`,
  `成员号: ${author.memberNo}`,
];
/** Everything that points at an author's item. */
const traceOf = (author: Author, itemId: string) => [author.code, author.title, itemId];

function expectNoAuthor(surface: string, text: string) {
  for (const author of authors) {
    for (const name of namesOf(author)) expect(text.includes(name), `${surface} names ${name}`).toBe(false);
  }
}

/**
 * Every table of the database with each row's transaction id: no row that shows an author's item
 * names the author, and no row naming them was written by a transaction that wrote the item.
 */
async function expectCopyUnlinked() {
  const db = lark.database.db;
  const tables = (
    await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    )
  ).map((r) => r.table_name);
  const rows: { table: string; xmin: string; row: string }[] = [];
  for (const table of tables) {
    for (const r of await queryRows<{ xmin: string; row: string }>(
      db,
      sql`select t.xmin::text as xmin, row_to_json(t)::text as row from ${sql.identifier(table)} t`,
    ))
      rows.push({ table, ...r });
  }
  for (const author of authors) {
    const [item] = await queryRows<{ id: string }>(
      db,
      sql`select id from submissions where reference_code = ${author.code}`,
    );
    const traces = traceOf(author, item!.id);
    const names = namesOf(author);
    const touching = rows.filter((r) => traces.some((t) => r.row.includes(t)));
    const naming = rows.filter((r) => names.some((n) => r.row.includes(n)));
    expect(touching.length).toBeGreaterThan(0);
    expect(naming.length).toBeGreaterThan(0);
    for (const r of touching) {
      for (const name of names) expect(r.row.includes(name), `${r.table} ${r.row}`).toBe(false);
    }
    // No row naming the author was written by a transaction that wrote anything of the item.
    const itemTransactions = new Set(touching.map((r) => r.xmin));
    for (const r of naming)
      expect(itemTransactions.has(r.xmin), `${r.table} shares a transaction`).toBe(false);
  }
}

describe('an anonymous suggestion, through every channel', () => {
  it('is told to its author where they filed it, and found under their 我的', async () => {
    expect(authors.map((a) => a.code).every((c) => /^JY-\d{4}-\d{4}$/.test(c))).toBe(true);
    // Web: in the visitor's history (opened for them alone).
    const larkTold = JSON.stringify(lark.standIn.sent.filter((m) => m.receiveId === 'oc_anon_author_p2p'));
    expect(larkTold).toContain('已转后勤处核实');
    expect(JSON.stringify(wechatSent.filter((m) => m.chatId === 'wxid_anon_author_wechat'))).toContain(
      '已转后勤处核实',
    );
    await larkSay('ou_anon_author_lark', 'oc_anon_author_p2p', '我的');
    expect(JSON.stringify(lark.standIn.sent.at(-1)?.content)).toContain(authors[1]!.code);
  });

  it('names nobody on the API, the console, their CSVs, the audit log, notices, digests, logs or metrics', async () => {
    const api = async (path: string) => (await stack().api(path)).text();
    const admin = await console_.adminSession();
    const page = async (path: string) => {
      const res = await console_.get(path, admin.cookie);
      expect(res.status, path).toBe(200);
      return res.text();
    };
    const surfaces: [string, string][] = [
      ['api list', await api('/submissions?limit=100')],
      ['api csv', await api('/submissions.csv')],
      ['console dashboard', await page('/console')],
      ['console items', await page('/console/items')],
      ['console items csv', await page('/console/items.csv')],
      ['console audit', await page('/console/audit')],
      ['console audit csv', await page('/console/audit.csv')],
    ];
    for (const author of authors) {
      surfaces.push([`api item ${author.code}`, await api(`/submissions/${author.code}`)]);
      surfaces.push([`console item ${author.code}`, await page(`/console/items/${author.code}`)]);
      surfaces.push([`console audit ${author.code}`, await page(`/console/audit?subject=${author.code}`)]);
    }
    // The audit log keeps the filing, by an unnamed author.
    expect(surfaces.find(([name]) => name === 'console audit')?.[1]).toContain(authors[0]!.code);
    // What officers were sent: the new-item notices, the answer notices, the digest.
    const toOfficers = (await openedOutbox(lark.database.db, stack().keyRing)).filter(
      (row) => !authors.some((a) => a.ids.includes(row.to)),
    );
    expect(toOfficers.some((row) => JSON.stringify(row.message).includes(authors[0]!.code))).toBe(true);
    surfaces.push(['officers’ messages', JSON.stringify(toOfficers.map((row) => row.message))]);
    surfaces.push(['logs', stack().logLines.join('\n')]);
    const metrics = await stack().request('/metrics', {
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    surfaces.push(['metrics', await metrics.text()]);
    for (const [surface, text] of surfaces) expectNoAuthor(surface, text);
  });

  it('leaves no row in a copy of the database that sets an author beside their item, by content or by transaction', async () => {
    await expectCopyUnlinked();
  });

  it('keeps its photos unnamed, in no order across items, and timed only to the hour', async () => {
    const files = await queryRows<{ code: string; name_sealed: string; position: number; times: string }>(
      lark.database.db,
      sql`select s.reference_code as code, a.name_sealed, a.position,
            to_char(a.created_at, 'MI:SS.US') || ' ' || to_char(a.next_attempt_at, 'MI:SS.US') as times
          from attachments a join submissions s on s.id = a.submission_id where s.anonymous`,
    );
    expect(files.map((f) => f.code).sort()).toEqual([authors[0]!.code, authors[1]!.code].sort());
    for (const file of files) {
      expect(await stack().keyRing.open(file.name_sealed)).toBe('附件1');
      expect(file.position).toBe(1);
      expect(file.times).toBe('00:00.000000 00:00.000000');
    }
    const columns = await queryRows<{ column_name: string }>(
      lark.database.db,
      sql`select column_name from information_schema.columns where table_name = 'attachments'`,
    );
    // Nothing but the hour says when a file came: no count across items, no finer time.
    const allowed =
      'accepts attempts content created_at id mime name_sealed next_attempt_at notify_seal owner_tag position refusal size source source_kind source_seal state submission_id';
    expect(columns.map((c) => c.column_name).sort()).toEqual(allowed.split(' '));
  });

  it('keeps that so while an answer to the author waits to be sent', async () => {
    for (const author of authors) {
      const res = await stack().api(`/submissions/${author.code}/status`, {
        method: 'POST',
        json: { status: 'accepted', reply: '采纳，下月起夜班通道加装感应灯。' },
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    // Not sent yet: each notice waits in the outbox, written by the officer's transaction.
    await expectCopyUnlinked();
    await stack().drain();
    expect(JSON.stringify(wechatSent.at(-1))).toContain('采纳');
    await expectCopyUnlinked();
    // Delivered: no channel's copy joins back to a hidden notice, by its key or a platform id.
    const hidden = await queryRows<{ uuid: string; platform_message_id: string | null }>(
      lark.database.db,
      sql`select uuid::text, platform_message_id from outbox where chat_id like '~%'`,
    );
    expect(hidden.length).toBeGreaterThanOrEqual(authors.length * 2);
    expect(hidden.every((row) => row.platform_message_id === null)).toBe(true);
    const joined = await queryRows<{ n: number }>(
      lark.database.db,
      sql`select count(*)::int as n from web_chat_messages w join outbox o
          on o.uuid::text = w.message_key or o.platform_message_id = w.id::text
          where o.chat_id like '~%'`,
    );
    expect(joined[0]!.n).toBe(0);
    // The web author was told all the same, in their history.
    const web = authors[0]!;
    const told = await queryRows<{ n: number }>(
      lark.database.db,
      sql`select count(*)::int as n from web_chat_messages where visitor_id = ${web.ids[0]} and direction = 'out'`,
    );
    expect(told[0]!.n).toBeGreaterThan(2);
  });

  it.skipIf(!postgresUrl)('leaves no line in pg_dump that sets an author beside their item', async () => {
    const url = lark.database.url!;
    const { stdout } = await run('pg_dump', ['--data-only', '--inserts', '--no-owner', url], {
      maxBuffer: 256 * 1024 * 1024,
    });
    const lines = stdout.split('\n').filter((line) => line.startsWith('INSERT INTO'));
    expect(lines.length).toBeGreaterThan(0);
    for (const author of authors) {
      const withItem = lines.filter((line) => line.includes(author.code) || line.includes(author.title));
      expect(withItem.length).toBeGreaterThan(0);
      for (const line of withItem) {
        for (const id of [...author.ids, author.personId, author.name])
          expect(line.includes(id), line.slice(0, 300)).toBe(false);
      }
    }
  });
});
