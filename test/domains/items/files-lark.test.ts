/**
 * A help case with photos and a document from Lark, through the real server and the Lark stand-in:
 * the worker sends a photo while filling in the request, it goes with the request, and the server
 * fetches it afterwards through the message resource API (outside the message's transaction),
 * strips its metadata and keeps it sealed. An officer asks a question; the worker answers with a
 * photo, then adds a PDF with 补充. The officer's console shows all three; no one else gets them.
 * Refused: a document on a suggestion (at once), a renamed program, a file past the limit and a
 * card's resource (after fetching, with the sender told why).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/handle.ts';
import { attachments, submissions } from '../../../db/schema/index.ts';
import { textOfSent, webhookDriver } from '../../channels/lark/webhook-helpers.ts';
import { consoleClient } from '../../support/console.ts';
import { pdfDocument, pngPhoto, renamedProgram } from '../../support/files.ts';
import { fileMessage, nextId, textMessage } from '../../support/lark-events.ts';
import { type LarkServer, startLarkServer } from '../../support/lark-server.ts';
import { adminToken, webPerson } from '../../support/stack.ts';

const publicUrl = 'https://union.example.org';
let lark: LarkServer;
beforeAll(async () => {
  lark = await startLarkServer({
    env: { ADMIN_TOKEN: adminToken, ATTACHMENT_MAX_MB: '1', PUBLIC_URL: publicUrl },
  });
});
afterAll(() => lark?.close());

const { post, settle, sentTo } = webhookDriver(() => lark);
const db = () => lark.database.db;
const consoleOf = () => consoleClient(() => lark.stack, publicUrl);

/** A Lark worker in a private chat: says things, sends files, reads what the bot said last. */
function worker() {
  const openId = nextId('ou');
  const chatId = nextId('oc');
  const said = async () => textOfSent(sentTo(chatId).at(-1)!);
  return {
    chatId,
    async say(text: string) {
      await post(textMessage({ openId, chatId, text }));
      await settle();
      return said();
    },
    /** Sends a file the stand-in will serve (`card`: one it refuses as a card's). */
    async send(
      kind: 'image' | 'file',
      bytes: Uint8Array,
      opts: { name?: string; contentType?: string; card?: boolean } = {},
    ) {
      const messageId = nextId('om');
      const key = `${kind === 'image' ? 'img' : 'file'}_v2_${nextId('k')}`;
      lark.standIn.files.set(`${messageId}/${key}`, {
        type: kind,
        bytes,
        contentType: opts.contentType ?? (kind === 'image' ? 'image/png' : 'application/octet-stream'),
        ...(opts.card ? { card: true } : {}),
      });
      await post(
        fileMessage({ openId, chatId, kind, key, messageId, ...(opts.name ? { name: opts.name } : {}) }),
      );
      await settle();
      return said();
    },
    all: () => sentTo(chatId).map(textOfSent).join('\n'),
  };
}

async function fileHelp(w: ReturnType<typeof worker>, photo: Uint8Array) {
  await w.say('求助');
  await w.say('日常');
  await w.say('孩子上学的学费一时交不上，想申请帮扶。');
  expect(await w.send('image', photo)).toContain('已收到“image”（共 1 个附件）');
  await w.say('一般');
  const asked = await w.say('这里');
  if (asked.includes('您怎么称呼')) await w.say('王师傅');
  const receipt = await w.say('提交');
  expect(receipt).toContain('附件');
  return /BF-\d{4}-\d{4}/.exec(receipt)![0];
}

describe('photos and files from Lark', () => {
  it('runs a help case as a thread with photos and a document, fetched afterwards and shown to its officers', async () => {
    const w = worker();
    const ref = await fileHelp(w, pngPhoto({ author: 'Wang Shifu' }));
    const [item] = await db().select().from(submissions).where(eq(submissions.referenceCode, ref));
    const files = await db().select().from(attachments).where(eq(attachments.submissionId, item!.id));
    expect(files.map((f) => [f.state, f.mime])).toEqual([['ready', 'image/png']]);
    // Fetched once through the resource API, with type=image, and then forgotten where it came from.
    const fetched = lark.standIn.calls.filter((c) => c.path.includes('/resources/'));
    expect(fetched.map((c) => c.query.type)).toEqual(['image']);
    expect(files[0]!.sourceSeal).toBeNull();
    expect(files[0]!.notifySeal).toBeNull();
    // Sealed at rest: the PNG signature is nowhere in the stored bytes.
    expect(Buffer.from(files[0]!.content!).includes(Buffer.from('IHDR'))).toBe(false);

    // An admin asks in chat; the worker answers with a photo, then adds a PDF with 补充.
    const officer = await webPerson(lark.stack);
    await lark.stack.api(`/people/${officer.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });
    await officer.visitor.say(`提问 ${ref} 请拍一张缴费通知单`);
    expect(await w.send('image', pngPhoto({ width: 2, height: 2 }))).toContain(`已把您的话转给负责 ${ref}`);
    await w.say(`补充 ${ref}`);
    expect(await w.send('file', pdfDocument, { name: '缴费通知.pdf' })).toContain(
      `已把您的话转给负责 ${ref}`,
    );

    const { cookie } = await consoleOf().officerSession(officer.visitor);
    const page = await (await consoleOf().get(`/console/help/${ref}`, cookie)).text();
    expect(page.match(/data-file="photo"/g)?.length).toBe(2);
    expect(page).toContain('缴费通知.pdf');
    expect(page).toContain('📎 缴费通知.pdf');
    const ids = [...page.matchAll(new RegExp(`/console/items/${ref}/files/([0-9a-f-]{36})`, 'g'))].map(
      (m) => m[1]!,
    );
    const photo = await consoleOf().get(`/console/items/${ref}/files/${ids[0]}`, cookie);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(photo.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await photo.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    // The author named in the photo's text chunk is gone.
    expect(bytes.includes(Buffer.from('Wang Shifu'))).toBe(false);
    const pdfId = ids.find((id) => page.includes(`${id}" download`))!;
    const pdf = await consoleOf().get(`/console/items/${ref}/files/${pdfId}`, cookie);
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment;/);
    // Each read of a help case's file is audited.
    const [reads] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from audit_log where action = 'help.read_file' and subject_id = ${ref}`,
    );
    expect(reads!.n).toBe(2);
  });

  it('refuses a document on a suggestion at once, and a renamed program, an oversized file and a card’s file after fetching', async () => {
    const w = worker();
    await w.say('建议');
    await w.say('车间照明不足');
    await w.say('安全生产');
    const told = await w.send('file', pdfDocument, { name: '方案.pdf' });
    expect(told).toContain('建议只能附照片');
    await w.say('取消');

    const h = worker();
    await h.say('求助');
    await h.say('日常');
    await h.say('家里漏水，想请工会帮忙联系维修。');
    await h.send('image', renamedProgram);
    expect(h.all()).toContain('不接收程序、脚本或含宏的文件');
    await h.send('image', new Uint8Array(1_200_000).fill(7), { contentType: 'image/jpeg' });
    expect(h.all()).toContain('文件过大：每个文件最多 1 MB');
    await h.send('image', pngPhoto(), { card: true });
    expect(h.all()).toContain('这个文件已无法取得');
    const states = await db()
      .select({ state: attachments.state, refusal: attachments.refusal, content: attachments.content })
      .from(attachments)
      .where(sql`${attachments.refusal} is not null`);
    expect(states.map((s) => s.refusal).sort()).toEqual(['executable', 'gone', 'too_large']);
    expect(states.every((s) => s.state === 'refused' && s.content === null)).toBe(true);
  });
});
