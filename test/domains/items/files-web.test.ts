/**
 * Photos and files uploaded in the web chat, over HTTP: a help request with a photo and a PDF,
 * shown to the officers who may read it; a suggestion that takes photos only; an anonymous
 * suggestion's photo, which loses its sender and its metadata. Every refusal says its limit and
 * keeps nothing: no cookie, another site, an unnamed upload, an empty file, a file past the limit,
 * a renamed program, a zip that is no document, and another visitor's file named in a message.
 */
import { count, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, inbox, submissions } from '../../../db/schema/index.ts';
import { consoleClient } from '../../support/console.ts';
import { pdfDocument, pngPhoto, renamedProgram } from '../../support/files.ts';
import { bubbleText, useStack, webPerson, webVisitor } from '../../support/stack.ts';

const publicUrl = 'https://union.example.org';
const fixture = useStack({ env: { ATTACHMENT_MAX_MB: '1', PUBLIC_URL: publicUrl } });
const db = () => fixture.database.db;
let seq = 0;

type Visitor = Awaited<ReturnType<typeof webVisitor>>;

/** Uploads as the page does; `headers` replace the page's own. */
async function upload(
  visitor: Pick<Visitor, 'cookie'>,
  bytes: Uint8Array,
  name: string,
  headers: Record<string, string> = {},
) {
  const res = await fixture.stack.request('/chat/files', {
    method: 'POST',
    headers: {
      cookie: visitor.cookie,
      origin: 'http://localhost',
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
      'x-message-id': `file-${Date.now()}-${seq++}`,
      ...headers,
    },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  await fixture.stack.drain();
  return res;
}

const counts = async () => {
  const [[files], [messages]] = await Promise.all([
    db().select({ n: count() }).from(attachments),
    db().select({ n: count() }).from(inbox),
  ]);
  return { files: files!.n, messages: messages!.n };
};

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { message_zh: string; message_en: string } }).error;

describe('photos and files in the web chat', () => {
  it('puts a photo and a PDF on a help request, shown to its officers only', async () => {
    const worker = await webVisitor(fixture.stack);
    await worker.say('求助');
    await worker.say('法律');
    await worker.say('公司拖欠三个月工资，想请工会帮忙维权。');
    expect((await upload(worker, pngPhoto({ author: 'Li Gong' }), '工资条.png')).status).toBe(202);
    expect(bubbleText(await worker.replies())).toContain('已收到“工资条.png”（共 1 个附件）');
    expect((await upload(worker, pdfDocument, '劳动合同.pdf')).status).toBe(202);
    expect(bubbleText(await worker.replies())).toContain('共 2 个附件');
    await worker.say('较急');
    const summary = bubbleText(await worker.say('这里'));
    expect(summary).toContain('附件: 2 个');
    const ref = /BF-\d{4}-\d{4}/.exec(bubbleText(await worker.say('提交')))![0];

    const admin = await webPerson(fixture.stack);
    await fixture.stack.api(`/people/${admin.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });
    const client = consoleClient(() => fixture.stack, publicUrl);
    const { cookie } = await client.officerSession(admin.visitor);
    const page = await (await client.get(`/console/help/${ref}`, cookie)).text();
    expect(page).toContain('附件 (2)');
    expect(page).toContain('劳动合同.pdf');
    const ids = [...page.matchAll(/\/files\/([0-9a-f-]{36})/g)].map((m) => m[1]!);
    const photo = await client.get(`/console/items/${ref}/files/${ids[0]}`, cookie);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).includes(Buffer.from('Li Gong'))).toBe(false);
    // The file of one item is not reached through another's page.
    const elsewhere = await webVisitor(fixture.stack);
    await elsewhere.say('求助');
    await elsewhere.say('日常');
    await elsewhere.say('想了解困难职工帮扶的申请条件。');
    await elsewhere.say('一般');
    await elsewhere.say('这里');
    const otherRef = /BF-\d{4}-\d{4}/.exec(bubbleText(await elsewhere.say('提交')))![0];
    expect((await client.get(`/console/items/${otherRef}/files/${ids[0]}`, cookie)).status).toBe(404);
    // A staff member (not an officer) cannot open it at all.
    const staff = await webPerson(fixture.stack);
    const staffSession = await fixture.stack.request(`/console/items/${ref}/files/${ids[0]}`, {
      headers: { cookie: staff.visitor.cookie },
    });
    // Without a console session the page sends them to sign in; nothing of the file is served.
    expect(staffSession.status).toBe(303);
    expect(staffSession.headers.get('location')).toContain('/console/signin');
  });

  it('takes photos only on a suggestion, and an anonymous one’s photo keeps nobody’s name', async () => {
    const worker = await webVisitor(fixture.stack);
    await worker.say('建议');
    await worker.say('车间加装排风扇');
    await worker.say('安全生产');
    await upload(worker, pdfDocument, '方案.pdf');
    expect(bubbleText(await worker.replies())).toContain('建议只能附照片');
    await upload(worker, pngPhoto(), '车间.png');
    expect(bubbleText(await worker.replies())).toContain('已收到“车间.png”');
    await worker.say('夏天车间温度太高，工人容易中暑，建议加装排风扇。');
    await worker.say('跳过');
    await worker.say('匿名');
    const receipt = bubbleText(await worker.say('提交'));
    const ref = /JY-\d{4}-\d{4}/.exec(receipt)![0];
    const [item] = await db().select().from(submissions).where(eq(submissions.referenceCode, ref));
    expect(item!.anonymous).toBe(true);
    const files = await db().select().from(attachments).where(eq(attachments.submissionId, item!.id));
    expect(files).toHaveLength(1);
    expect(files[0]!.ownerTag).toBeNull();
    expect(files[0]!.mime).toBe('image/png');
    // The unused PDF was never put on anything: it is left for the sweep, tied to no item.
    const loose = await db().select().from(attachments).where(isNull(attachments.submissionId));
    expect(loose.some((f) => f.mime === 'application/pdf')).toBe(true);
  });

  it('refuses bad uploads with the limit stated, keeping nothing', async () => {
    const worker = await webVisitor(fixture.stack);
    const before = await counts();
    const noCookie = await upload({ cookie: '' }, pngPhoto(), 'a.png');
    expect(noCookie.status).toBe(401);
    const elsewhere = await upload(worker, pngPhoto(), 'a.png', { origin: 'https://evil.example' });
    expect(elsewhere.status).toBe(403);
    const unnamed = await upload(worker, pngPhoto(), 'a.png', { 'x-message-id': 'x' });
    expect(unnamed.status).toBe(400);
    const empty = await upload(worker, new Uint8Array(0), 'a.png');
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message_zh).toBe('文件是空的。');
    const big = await upload(worker, new Uint8Array(1_100_000).fill(1), 'big.jpg');
    expect(big.status).toBe(413);
    expect(await errorOf(big)).toEqual(
      expect.objectContaining({
        message_zh: '文件过大：每个文件最多 1 MB。',
        message_en: 'The file is too large: at most 1 MB each.',
      }),
    );
    const program = await upload(worker, renamedProgram, '照片.jpg');
    expect(program.status).toBe(415);
    expect((await errorOf(program)).message_zh).toContain('不接收程序、脚本或含宏的文件');
    const zip = await upload(worker, new Uint8Array(Buffer.from('PK\x03\x04not really a zip')), '资料.docx');
    expect(zip.status).toBe(415);
    const zipError = (await errorOf(zip)).message_zh;
    expect(zipError).toContain('不支持这种文件');
    expect(zipError).toContain('每个最多 1 MB');
    expect(await counts()).toEqual(before);
  });

  it('keeps an upload sent again once, and holds a person to twenty files not yet on anything', async () => {
    const worker = await webVisitor(fixture.stack);
    const before = await counts();
    const again = { 'x-message-id': 'upload-twice-0001' };
    expect((await upload(worker, pngPhoto(), 'a.png', again)).status).toBe(202);
    const second = await upload(worker, pngPhoto(), 'a.png', again);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ accepted: false, duplicate: true });
    expect(await counts()).toEqual({ files: before.files + 1, messages: before.messages + 1 });
    for (let n = 1; n < 20; n++)
      expect((await upload(worker, pngPhoto({ width: n }), `p${n}.png`)).status).toBe(202);
    const past = await upload(worker, pngPhoto({ width: 21 }), 'p21.png');
    expect(past.status).toBe(429);
    expect((await errorOf(past)).message_zh).toContain('还没有附到任何事项上，太多了');
  });

  it('saves a file under the extension its content has, not the one it was sent with', async () => {
    const worker = await webVisitor(fixture.stack);
    await worker.say('求助');
    await worker.say('日常');
    await worker.say('想咨询住房困难补助怎么申请。');
    await upload(worker, pdfDocument, '申请表.html');
    await worker.say('一般');
    await worker.say('这里');
    const ref = /BF-\d{4}-\d{4}/.exec(bubbleText(await worker.say('提交')))![0];
    const admin = await webPerson(fixture.stack);
    await fixture.stack.api(`/people/${admin.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });
    const client = consoleClient(() => fixture.stack, publicUrl);
    const { cookie } = await client.officerSession(admin.visitor);
    const page = await (await client.get(`/console/help/${ref}`, cookie)).text();
    expect(page).toContain('download="申请表.pdf"');
    const id = /\/files\/([0-9a-f-]{36})/.exec(page)![1]!;
    const res = await client.get(`/console/items/${ref}/files/${id}`, cookie);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('申请表.pdf')}`,
    );
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('reads a file named in a message only when it is the sender’s own', async () => {
    const owner = await webVisitor(fixture.stack);
    const ids = async () => (await db().select({ id: attachments.id }).from(attachments)).map((r) => r.id);
    const before = new Set(await ids());
    await upload(owner, pngPhoto(), 'mine.png');
    const mine = { id: (await ids()).find((id) => !before.has(id))! };
    const thief = await webVisitor(fixture.stack);
    await thief.say('求助');
    const visitorId = /=(v_[A-Za-z0-9_-]{22})\./.exec(thief.cookie)![1]!;
    const taken = await fixture.stack.services.intake.take({
      channel: 'web',
      dedupeKey: `web:${visitorId}:forged-1`,
      sender: { externalId: visitorId },
      chat: { id: visitorId, type: 'private' },
      content: { type: 'file', kind: 'image', name: 'mine.png', ref: `web:${mine.id}` },
      receivedAt: new Date().toISOString(),
    });
    expect(taken.outcome).toBe('accepted');
    await fixture.stack.drain();
    expect(bubbleText(await thief.replies())).toContain('目前只能处理文字消息');
    const [row] = await db().select().from(attachments).where(eq(attachments.id, mine.id));
    expect(row!.accepts).toBeNull();
  });
});
