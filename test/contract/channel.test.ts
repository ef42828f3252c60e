/**
 * The channel contract: what every channel must do, run against each one through the way its
 * platform really carries messages (test/contract/drivers). A new channel is accepted when its
 * driver passes all of it; a behaviour that cannot apply (groups in the web chat) is skipped with
 * the reason its driver gives.
 */
import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbox, outbox } from '../../db/schema/index.ts';
import { openedBallots } from '../support/ballots.ts';
import { primaryKind } from '../support/databases.ts';
import { type ChannelDriver, contractPerMinute } from './driver.ts';
import { larkDriver } from './drivers/lark.ts';
import { settle } from './drivers/settle.ts';
import { webDriver } from './drivers/web.ts';
import { wechatDriver } from './drivers/wechat.ts';

const drivers = [
  ['Lark', larkDriver],
  ['WeChat', wechatDriver],
  ['the web chat', webDriver],
] as const;

/** How many messages a reply text holds (the drivers join them with a rule). */
const messages = (replies: string) => (replies === '' ? 0 : replies.split('\n---\n').length);

describe.each(drivers)(`the channel contract: %s (${primaryKind})`, (_name, start) => {
  let channel: ChannelDriver;
  /** How many messages the menu takes on this channel, as first seen. */
  let menuMessages = 0;

  beforeAll(async () => {
    channel = await start();
  });
  afterAll(async () => {
    await channel?.close();
  });

  /** Inbox rows of one chat (the conversation key starts with the channel and the chat). */
  const inboxRows = async (chatId: string) => {
    const [row] = await channel.db
      .select({ n: count() })
      .from(inbox)
      .where(like(inbox.conversationKey, `${channel.name}:${chatId}:%`));
    return row!.n;
  };

  it('answers a text with a reply in the same chat', async () => {
    const person = await channel.talker();
    expect((await person.say('菜单')).taken).toBe(true);
    const menu = await person.replies();
    expect(menu).toContain('建议');
    menuMessages = messages(menu);
    expect(menuMessages).toBeGreaterThan(0);
  });

  it('shows choices, and takes them tapped and typed as words', async () => {
    const tapper = await channel.talker();
    await tapper.say('建议');
    expect(await tapper.replies()).toContain('标题');
    await tapper.say('检修车间通道铺设防滑垫');
    expect(await tapper.choices()).toContain('安全生产');
    await tapper.tap('安全生产');
    expect(await tapper.replies()).toContain('具体');

    const typist = await channel.talker();
    await typist.say('建议');
    await typist.say('食堂增加夜班热餐');
    await typist.replies();
    await typist.say('职工生活福利');
    expect(await typist.replies()).toContain('具体');
  });

  it('answers a message delivered twice once', async () => {
    const person = await channel.talker();
    const delivery = await person.say('菜单');
    expect(messages(await person.replies())).toBe(menuMessages);
    // Taken again, so the platform stops delivering it, and nothing is done twice.
    expect(await delivery.again()).toBe(true);
    await settle(channel.stack, channel.db);
    expect(await person.replies()).toBe('');
    expect(await inboxRows(person.chatId)).toBe(1);
  });

  it('ignores a group message that does not mention the bot, and answers one that does in the group', async (ctx) => {
    if (!channel.group) return ctx.skip(channel.lacks.groups);
    const person = await channel.talker();
    const group = await channel.group([person]);
    await group.say(person, '今天下午开会', false);
    await group.say(person, '菜单', true);
    const replies = await group.replies();
    expect(replies).toContain('建议');
    expect(messages(replies)).toBe(menuMessages);
    expect(await inboxRows(group.chatId)).toBe(1);
  });

  /** A poll asked of these chats, opened, and shown there. */
  async function pollTo(chats: string[]) {
    const res = await channel.stack.api('/polls', {
      method: 'POST',
      json: {
        question: '班车发车时间是否合适？',
        kind: 'single',
        options: ['合适', '太早'],
        audience: { kind: 'chats', chats: chats.map((chatId) => ({ channel: channel.name, chatId })) },
        durationMinutes: 60,
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const poll = (await res.json()) as { id: string; code: string };
    while ((await channel.stack.services.jobs.polls()) > 0) {}
    return poll;
  }

  it('takes a poll answer the channel’s own way, tells the voter alone, and keeps it out of the inbox', async () => {
    const person = await channel.talker();
    const poll = await pollTo([person.chatId]);
    expect(await person.replies()).toContain('班车发车时间是否合适？');
    const inboxBefore = await inboxRows(person.chatId);
    const told = await person.answerPoll(poll.id, poll.code, '太早', 2);
    expect(told).toContain('已匿名记录');
    expect(told).not.toContain('太早');
    const ballots = await openedBallots(channel.db, channel.stack.keyRing, poll.id);
    expect(ballots.map((b) => b.answer)).toEqual([2]);
    expect(await inboxRows(person.chatId)).toBe(inboxBefore);
  });

  it('takes a poll answered by its code typed in the chat, once however often it is delivered, never in the inbox', async () => {
    const person = await channel.talker();
    const poll = await pollTo([person.chatId]);
    await person.replies();
    const inboxBefore = await inboxRows(person.chatId);
    const typed = await person.say(`${poll.code} 2`);
    expect(typed.taken).toBe(true);
    const told = await person.replies();
    expect(told).toContain('已匿名记录');
    expect(told).not.toContain('太早');
    expect(await typed.again()).toBe(true);
    await settle(channel.stack, channel.db);
    const ballots = await openedBallots(channel.db, channel.stack.keyRing, poll.id);
    expect(ballots.map((b) => b.answer)).toEqual([2]);
    expect(await inboxRows(person.chatId)).toBe(inboxBefore);
  });

  it('records no answer typed in a group, and tells the person so in private', async (ctx) => {
    if (!channel.group) return ctx.skip(channel.lacks.groups);
    const person = await channel.talker();
    const group = await channel.group([person]);
    const poll = await pollTo([group.chatId]);
    await group.replies();
    await person.replies();
    await group.say(person, `${poll.code} 1`, true);
    expect(await group.replies()).toBe('');
    expect(await group.privately(person)).toContain('私聊');
    expect(await openedBallots(channel.db, channel.stack.keyRing, poll.id)).toEqual([]);
  });

  it(`takes no more than ${contractPerMinute} messages a minute from one person`, async () => {
    const person = await channel.talker();
    channel.freezeClock(new Date());
    try {
      const deliveries = [];
      for (let i = 0; i < contractPerMinute + 3; i++) deliveries.push(await person.say('菜单'));
      await settle(channel.stack, channel.db);
      expect(await inboxRows(person.chatId)).toBe(contractPerMinute);
      // Past the limit, the platform is told the message was not taken, so it may deliver it later.
      if (!channel.lacks.refusals) expect(deliveries.filter((d) => d.taken)).toHaveLength(contractPerMinute);
      expect(messages(await person.replies())).toBe(contractPerMinute * menuMessages);
    } finally {
      channel.freezeClock(null);
    }
  });

  it('sends a reply again after the platform failed to take it, once', async (ctx) => {
    if (!channel.refuseSends) return ctx.skip(channel.lacks.sendFailures);
    const person = await channel.talker();
    channel.refuseSends(true);
    try {
      await person.say('菜单');
      await channel.stack.drain();
    } finally {
      channel.refuseSends(false);
    }
    const tried = await channel.db
      .select({ status: outbox.status, attempts: outbox.attempts })
      .from(outbox)
      .where(and(eq(outbox.channel, channel.name), eq(outbox.chatId, person.chatId)));
    expect(tried.length).toBeGreaterThan(0);
    expect(tried.every((row) => row.status === 'pending' && row.attempts >= 1)).toBe(true);
    const replies = await person.replies();
    expect(replies).toContain('建议');
    expect(messages(replies)).toBe(menuMessages);
  });
});
