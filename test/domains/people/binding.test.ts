/**
 * One person in every channel, over real requests into the app. A web visitor nobody knows is told
 * how binding helps, is asked their name before a signed suggestion, files a signed and an anonymous
 * suggestion, then opens their personal invitation from the roster and binds: the items, the name
 * from the roster and 已核实 follow. A second browser (a lost cookie) binds with a one-time code and
 * finds everything, anonymous items included; the merges are audited without counting anonymous
 * items. Refused, changing nothing: a code used again, one expired, one mistyped, one that would
 * join two roster entries, and a binding posted from another site.
 */
import { count, eq, isNotNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, auditLog, channelIdentities, people, submissions } from '../../../db/schema/index.ts';
import { consoleClient } from '../../support/console.ts';
import { pngPhoto } from '../../support/files.ts';
import { bubbleText, useStack, webPerson, webVisitor } from '../../support/stack.ts';

const publicUrl = 'https://union.example.org';
let clock = new Date('2026-12-03T02:00:00Z');
const fixture = useStack({ now: () => clock, env: { PUBLIC_URL: publicUrl } });
const { form, get, adminSession, officerSession } = consoleClient(() => fixture.stack, publicUrl);
const db = () => fixture.database.db;

async function rosterEntry(name: string, employeeNo: string) {
  const [row] = await db()
    .insert(people)
    .values({ displayName: name, nameSource: 'roster', employeeNo })
    .returning({ id: people.id, memberNo: people.memberNo });
  return row!;
}

/** An admin makes the entry's invitation on its page; resolves to the code and the link shown. */
async function invitationOf(memberNo: number) {
  const admin = await adminSession();
  const made = await fixture.stack.request(
    `/console/people/${memberNo}/invite`,
    form({ csrf: admin.csrf }, admin.cookie),
  );
  expect(made.status).toBe(303);
  const page = await (await get(`/console/people/${memberNo}`, admin.cookie)).text();
  const code = /data-code>([A-Z0-9-]{14})</.exec(page)?.[1] ?? '';
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  expect(page).toContain(`${publicUrl}/chat/bind?code=${code}`);
  expect(page).toContain('<svg');
  return code;
}

async function fileSuggestion(
  visitor: Awaited<ReturnType<typeof webVisitor>>,
  title: string,
  signed: boolean,
) {
  await visitor.say('建议');
  await visitor.say(title);
  await visitor.say('1');
  await visitor.say('夜班下班时食堂已关门，希望保留一个窗口到凌晨一点。');
  await visitor.say('跳过');
  return visitor.say(signed ? '署名' : '匿名');
}

const codeIn = (text: string) => /绑定 ([A-Z0-9]{12})/.exec(text)?.[1] ?? '';

describe('binding one person across channels', () => {
  it('binds a web visitor by invitation and a second browser by one-time code, items and all', async () => {
    const zhang = await rosterEntry('张建国', '00123');
    const first = await webVisitor(fixture.stack, { named: false });
    const menu = bubbleText(await first.say('菜单'));
    expect(menu).toContain('绑定身份后，换浏览器或手机也能找回您的事项');

    // Nobody knows the visitor's name: asked before a signed suggestion, and it is on the summary.
    expect(bubbleText(await fileSuggestion(first, '食堂增加夜班窗口', true))).toContain('您怎么称呼？');
    const summary = bubbleText(await first.say('小张'));
    expect(summary).toContain('署名: 小张');
    const signed = /JY-\d{4}-\d{4}/.exec(bubbleText(await first.press('提交')))![0];
    // An anonymous one asks nothing of the kind.
    expect(bubbleText(await fileSuggestion(first, '更衣室加装暖气', false))).not.toContain('您怎么称呼');
    const anonymous = /JY-\d{4}-\d{4}/.exec(bubbleText(await first.press('提交')))![0];
    const proposer = (await (await fixture.stack.api(`/submissions/${signed}`)).json()) as {
      proposer: { name: string };
    };
    expect(proposer.proposer.name).toBe('小张');

    // A help request half filled in, with a photo, when the visitor binds: it goes on with them.
    await first.say('求助');
    await first.say('日常');
    await first.say('家里老人住院，想申请困难补助。');
    const photo = await fixture.stack.request('/chat/files', {
      method: 'POST',
      headers: {
        cookie: first.cookie,
        origin: 'http://localhost',
        'x-file-name': encodeURIComponent('病历.png'),
        'x-message-id': 'binding-photo-01',
      },
      body: pngPhoto() as Uint8Array<ArrayBuffer>,
    });
    expect(photo.status).toBe(202);
    await fixture.stack.drain();

    // The invitation link: a page saying whose it is, and a button that binds this browser.
    const code = await invitationOf(zhang.memberNo);
    const opened = await fixture.stack.request(`/chat/bind?code=${code}`, {
      headers: { cookie: first.cookie },
    });
    expect(opened.status).toBe(200);
    const invitation = await opened.text();
    expect(invitation).toContain('这是给 张*国 的邀请');
    expect(invitation).not.toContain('张建国');
    const bound = await fixture.stack.request('/chat/bind', {
      method: 'POST',
      headers: {
        cookie: first.cookie,
        origin: publicUrl,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ code }).toString(),
    });
    expect(bound.status).toBe(303);
    expect(bound.headers.get('location')).toBe('/chat');
    await fixture.stack.drain();
    const told = bubbleText(await first.replies());
    expect(told).toContain('绑定成功');
    expect(told).toContain('张建国');
    expect(told).toContain('00123');
    await first.say('一般');
    const help = bubbleText(await first.say('这里'));
    expect(help).toContain('附件: 1 个');
    expect(bubbleText(await first.say('提交'))).toContain('附件: 1 个');
    const [onItem] = await db()
      .select({ n: count() })
      .from(attachments)
      .where(isNotNull(attachments.submissionId));
    expect(onItem!.n).toBe(1);
    const mine = bubbleText(await first.say('我的'));
    expect(mine).toContain(signed);
    expect(mine).toContain(anonymous);
    const [now] = await db().select().from(people).where(eq(people.id, zhang.id));
    expect(now).toMatchObject({ displayName: '张建国', nameSource: 'roster' });
    expect(now!.verifiedAt).not.toBeNull();
    expect(bubbleText(await first.say('菜单'))).not.toContain('绑定身份后');
    // The same invitation again: used.
    expect(bubbleText(await first.say(`绑定 ${code}`))).toContain('已经用过了');

    // A new browser (the cookie lost): a code from the bound one brings everything back.
    const second = await webVisitor(fixture.stack, { named: false });
    expect(bubbleText(await second.say('我的'))).not.toContain(signed);
    const oneTime = codeIn(bubbleText(await first.say('绑定码')));
    expect(oneTime).toHaveLength(12);
    // The page an invitation opens does not take a one-time code.
    expect((await fixture.stack.request(`/chat/bind?code=${oneTime}`)).status).toBe(404);
    const joined = bubbleText(await second.say(`绑定 ${oneTime.toLowerCase().replace(/(.{4})/g, '$1 ')}`));
    expect(joined).toContain('绑定成功');
    // The browser bound before is told a new account joined.
    await fixture.stack.drain();
    expect(bubbleText(await first.replies())).toContain('您的身份绑定了新的账号');
    // The anonymous item moved with its author and was written again apart from the merge.
    const [moved] = await db().select().from(submissions).where(eq(submissions.referenceCode, anonymous));
    expect(moved!.launderDue).toBe(false);
    expect(moved!.personId).toBeNull();
    const again = bubbleText(await second.say('我的'));
    expect(again).toContain(signed);
    expect(again).toContain(anonymous);
    const identities = await db()
      .select()
      .from(channelIdentities)
      .where(eq(channelIdentities.personId, zhang.id));
    expect(identities.map((i) => i.channel)).toEqual(['web', 'web']);
    const merges = await db().select().from(auditLog).where(eq(auditLog.action, 'person.merge'));
    expect(merges).toHaveLength(2);
    expect(merges[0]!.detail).toMatchObject({ way: 'invite', signedItems: 1 });
    expect(JSON.stringify(merges.map((m) => m.detail))).not.toContain(anonymous);
    expect(Object.keys(merges[0]!.detail)).not.toContain('items');

    // Used, expired and mistyped codes bind nothing.
    expect(bubbleText(await second.say(`绑定 ${oneTime}`))).toContain('已经用过了');
    const late = codeIn(bubbleText(await first.say('绑定码')));
    clock = new Date(clock.getTime() + 11 * 60_000);
    const third = await webVisitor(fixture.stack, { named: false });
    expect(bubbleText(await third.say(`绑定 ${late}`))).toContain('已过期');
    expect(bubbleText(await third.say('绑定 ABCD-EFGH-JKMZ'))).toContain('绑定码不对');
    expect(bubbleText(await third.say('我的'))).not.toContain(signed);

    // A code from an account nobody vouched for never takes in someone on the roster.
    const stranger = codeIn(bubbleText(await third.say('绑定码')));
    expect(bubbleText(await first.say(`绑定 ${stranger}`))).toContain('不能这样绑定');
    expect(
      (await db().select().from(channelIdentities).where(eq(channelIdentities.personId, zhang.id))).length,
    ).toBe(2);
  });

  it('sends an invitation to the admin’s own chat, to forward, and the forwarded code binds', async () => {
    const li = await rosterEntry('李秀兰', '00456');
    const admin = await webPerson(fixture.stack);
    await fixture.stack.api(`/people/${admin.memberNo}`, { method: 'PATCH', json: { role: 'admin' } });
    const session = await officerSession(admin.visitor);
    // Without an invitation there is nothing to send.
    const none = await fixture.stack.request(
      `/console/people/${li.memberNo}/invite/send`,
      form({ csrf: session.csrf }, session.cookie),
    );
    expect(none.headers.get('location')).toBe(`/console/people/${li.memberNo}#invite`);
    await fixture.stack.request(
      `/console/people/${li.memberNo}/invite`,
      form({ csrf: session.csrf }, session.cookie),
    );
    const sent = await fixture.stack.request(
      `/console/people/${li.memberNo}/invite/send`,
      form({ csrf: session.csrf }, session.cookie),
    );
    expect(sent.status).toBe(303);
    const page = await (await get(sent.headers.get('location')!, session.cookie)).text();
    expect(page).toContain('邀请已发到您与同心的私聊，请转发给本人');
    await fixture.stack.drain();
    const forwarded = bubbleText(await admin.visitor.replies());
    expect(forwarded).toContain('李秀兰，您好！工会邀请您绑定');
    expect(forwarded).toContain(`${publicUrl}/chat/bind?code=`);
    const code = /发送：绑定 ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(forwarded)![1]!;
    const [audited] = await db().select().from(auditLog).where(eq(auditLog.action, 'person.invite_sent'));
    expect(audited!.subjectId).toBe(String(li.memberNo));
    expect(JSON.stringify(audited)).not.toContain(code);
    // An admin signed in with the token has no chat of their own: told so, nothing sent.
    const token = await adminSession();
    const noChat = await fixture.stack.request(
      `/console/people/${li.memberNo}/invite/send`,
      form({ csrf: token.csrf }, token.cookie),
    );
    expect(noChat.headers.get('location')).toBe(`/console/people/${li.memberNo}?invite=no_chat#invite`);
    // The worker types what was forwarded, and is the roster's 李秀兰.
    const worker = await webVisitor(fixture.stack, { named: false });
    expect(bubbleText(await worker.say(`绑定 ${code}`))).toContain('李秀兰');
  });

  it('will not join two roster entries, and refuses a binding posted from another site', async () => {
    const li = await rosterEntry('李秀英', '00124');
    const wang = await rosterEntry('王磊', '00125');
    const visitor = await webVisitor(fixture.stack, { named: false });
    expect(bubbleText(await visitor.say(`绑定 ${await invitationOf(li.memberNo)}`))).toContain('绑定成功');
    const refused = bubbleText(await visitor.say(`绑定 ${await invitationOf(wang.memberNo)}`));
    expect(refused).toContain('分别属于花名册上的两个人');
    const [still] = await db().select().from(people).where(eq(people.id, wang.id));
    expect(still).toBeDefined();
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, 'person.merge_refused'));
    expect(audit!.detail).toMatchObject({ reason: 'two_roster_entries' });

    const code = await invitationOf(wang.memberNo);
    const stranger = await webVisitor(fixture.stack, { named: false });
    const forged = await fixture.stack.request('/chat/bind', {
      method: 'POST',
      headers: {
        cookie: stranger.cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ code }).toString(),
    });
    expect(forged.status).toBe(403);
    await fixture.stack.drain();
    expect(bubbleText(await stranger.replies())).not.toContain('绑定成功');
    expect(await fixture.stack.request(`/chat/bind?code=${code}`)).toHaveProperty('status', 200);
    expect((await fixture.stack.request('/chat/bind?code=NOPE')).status).toBe(404);
  });
});
