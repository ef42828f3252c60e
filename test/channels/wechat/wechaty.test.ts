/**
 * WeChat end to end through wechaty with wechaty-puppet-mock: the real wechaty and the adapter,
 * the shared inbox and outbox over a test database. A person files a suggestion in a private chat
 * by numbers and by words; a mention in a group is answered there and an unmentioned message is
 * not; a poll posted to a group is answered by its code in private; and a restart in the middle
 * of a flow continues it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatChannel } from '../../../bots/wechat/index.ts';
import { createWechatLink, type WechatLink } from '../../../bots/wechat/wechaty.ts';
import { inbox, people, submissions } from '../../../db/schema/index.ts';
import { createLogger } from '../../../src/kernel/log.ts';
import { openedBallots } from '../../support/ballots.ts';
import { openTestDatabase, primaryKind, type TestDatabase } from '../../support/databases.ts';
import { createStack, type Stack } from '../../support/stack.ts';

type Mocker = InstanceType<typeof mock.Mocker>;
const botId = 'wxid_tongxin_bot';
type MockContact = ReturnType<Mocker['createContact']>;

let database: TestDatabase;
let stack: Stack;
let link: WechatLink;
let mocker: Mocker;
let botUser: MockContact;
const said: { to: string; text: string }[] = [];
const logLines: string[] = [];

/** A fresh mock WeChat for each puppet the link makes, with the bot's account under the same id. */
function newPuppet() {
  mocker = new mock.Mocker();
  botUser = mocker.createContact({ id: botId, name: '同心助手' });
  return new PuppetMock({ mocker });
}

async function bringUp() {
  link = createWechatLink({
    puppet: newPuppet,
    log: createLogger('debug', (line) => logLines.push(line)),
    limits: { perChatPerSecond: 20, perMinute: 1000 },
    restartMs: 50,
    onLogin: () => stack.services.wake.outbox(),
  });
  stack = createStack(database, { channels: [createWechatChannel(link)] });
  await link.start(stack.services.intake);
  await loggedIn();
}

/** Listens to what the current bot says, and logs its account in. */
async function loggedIn() {
  link.bot()!.on('message', (message) => {
    if (!message.self()) return;
    said.push({ to: message.room()?.id ?? message.listener()?.id ?? '', text: message.text() });
  });
  mocker.login(botUser);
  await waitFor(() => link.target.ready());
}

async function waitFor(ok: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends as `who` (to the bot or in a room), runs the jobs, and resolves to what the bot said back there. */
async function talk(send: () => void, where: string, waitMs = 5000): Promise<string> {
  const before = said.filter((s) => s.to === where).length;
  send();
  let got: string[] = [];
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    await stack.drain();
    got = said
      .filter((s) => s.to === where)
      .slice(before)
      .map((s) => s.text);
    if (got.length > 0) {
      // A reply may come in several messages: give the rest a moment.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await stack.drain();
      return said
        .filter((s) => s.to === where)
        .slice(before)
        .map((s) => s.text)
        .join('\n---\n');
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return '';
}

beforeAll(async () => {
  database = await openTestDatabase(primaryKind);
  await bringUp();
});

afterAll(async () => {
  await link?.stop();
  await database?.close();
});

describe(`WeChat through wechaty (${primaryKind})`, () => {
  it('files a suggestion in a private chat, answering by numbers and by words', async () => {
    const alice = mocker.createContact({ name: '王师傅' });
    const to = (text: string) => () => alice.say(text).to(botUser);
    expect(await talk(to('建议'), alice.id)).toContain('标题');
    const categories = await talk(to('检修车间通道铺设防滑垫'), alice.id);
    // Choices are numbered lines.
    expect(categories).toMatch(/1\. 安全生产/);
    expect(await talk(to('安全生产'), alice.id)).toContain('具体');
    await talk(to('主通道地面常有油污和积水，建议铺设耐油防滑垫。'), alice.id);
    await talk(to('跳过'), alice.id);
    const confirm = await talk(to('1'), alice.id);
    expect(confirm).toContain('检修车间通道铺设防滑垫');
    const receipt = await talk(to('1'), alice.id);
    const code = /JY-\d{4}-\d{4}/.exec(receipt)?.[0];
    expect(code).toBeDefined();
    const [row] = await database.db.select().from(submissions).where(eq(submissions.referenceCode, code!));
    expect(row?.originChannel).toBe('wechat');
    // Signed with the contact's WeChat name: nobody had to ask 您怎么称呼.
    expect(confirm).not.toContain('您怎么称呼');
    const [author] = await database.db.select().from(people).where(eq(people.id, row!.personId!));
    expect(author).toMatchObject({ displayName: '王师傅', nameSource: 'channel' });
  });

  it('answers a mention in a group there, and ignores what does not mention it', async () => {
    const bob = mocker.createContact({ name: '李班长' });
    const carol = mocker.createContact({ name: '赵工' });
    const room = mocker.createRoom({ topic: '检修车间', memberIdList: [botUser.id, bob.id, carol.id] });
    const inboxBefore = (await database.db.select().from(inbox)).length;
    const ignored = await talk(() => bob.say('今天下午开会').to(room), room.id, 1000);
    expect(ignored).toBe('');
    expect(await database.db.select().from(inbox)).toHaveLength(inboxBefore);
    const answered = await talk(() => bob.say('@同心助手 菜单', [botUser]).to(room), room.id);
    expect(answered).toContain('建议');
  });

  it('answers a poll posted to a group by its code in a private chat, never in the group', async () => {
    const members = [1, 2, 3].map((i) => mocker.createContact({ name: `组员${i}` }));
    const room = mocker.createRoom({
      topic: '班车意见',
      memberIdList: [botUser.id, ...members.map((m) => m.id)],
    });
    const created = await stack.api('/polls', {
      method: 'POST',
      json: {
        question: '班车发车时间是否合适？',
        kind: 'single',
        options: ['合适', '太早', '太晚'],
        audience: { kind: 'chats', chats: [{ channel: 'wechat', chatId: `room:${room.id}` }] },
        durationMinutes: 60,
      },
    });
    expect(created.status).toBe(201);
    const poll = (await created.json()) as { id: string; code: string };
    // The poll job opens it (its posting waits in the outbox); talk's drain sends it.
    await stack.services.jobs.polls();
    const posted = await talk(() => {}, room.id);
    expect(posted).toContain('班车发车时间是否合适？');
    expect(posted).toContain(`${poll.code} 序号`);
    // In a private chat, by code: recorded, and the reply says nothing of the choice.
    const reply = await talk(() => members[0]!.say(`${poll.code} 2`).to(botUser), members[0]!.id);
    expect(reply).toContain('已匿名记录');
    expect(reply).not.toContain('太早');
    // Typed in the group it is not recorded; the person is told privately.
    const inGroup = await talk(
      () => members[1]!.say(`@同心助手 ${poll.code} 3`, [botUser]).to(room),
      members[1]!.id,
    );
    expect(inGroup).toContain('私聊');
    const votes = await openedBallots(database.db, stack.keyRing, poll.id);
    expect(votes.map((v) => v.answer)).toEqual([2]);
    // Someone outside the group cannot answer.
    const stranger = mocker.createContact({ name: '路人' });
    expect(await talk(() => stranger.say(`${poll.code} 1`).to(botUser), stranger.id)).toContain('没有发给您');
  });

  it('restarts the puppet after an error, with backoff, and carries on', async () => {
    const first = link.bot();
    (first as unknown as { emit(event: string, error: Error): void }).emit(
      'error',
      new Error('connection lost'),
    );
    await waitFor(() => logLines.some((line) => line.includes('"wechat.restart"')));
    await waitFor(() => link.bot() !== null && link.bot() !== first);
    await loggedIn();
    const erin = mocker.createContact({ name: '周师傅' });
    expect(await talk(() => erin.say('菜单').to(botUser), erin.id)).toContain('建议');
  });

  it('continues a flow after a restart in the middle of it', async () => {
    const dan = mocker.createContact({ name: '陈师傅' });
    const to = (text: string) => () => dan.say(text).to(botUser);
    expect(await talk(to('建议'), dan.id)).toContain('标题');
    // The process goes down and comes back over the same database and the same account (a
    // fresh puppet, as after a restart, knowing the same contacts by the same ids).
    await link.stop();
    await bringUp();
    const again = mocker.createContact({ id: dan.id, name: '陈师傅' });
    const next = await talk(() => again.say('林区巡护配发卫星电话').to(botUser), dan.id);
    expect(next).toMatch(/1\. 安全生产/);
    expect(logLines.some((line) => line.includes('"wechat.login"'))).toBe(true);
  });
});
