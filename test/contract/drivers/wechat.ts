/**
 * Personal WeChat for the channel contract, through the real wechaty and wechaty-puppet-mock: a
 * person's messages are the mock's contacts talking to the bot's account, a tap is typing the
 * number shown beside a choice (WeChat has no buttons), a delivery made again is the puppet
 * emitting the same message a second time, and a send fails when the puppet throws.
 */
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { Intake } from '../../../bots/core/intake.ts';
import { createWechatChannel } from '../../../bots/wechat/index.ts';
import { createWechatLink } from '../../../bots/wechat/wechaty.ts';
import { createLogger } from '../../../src/kernel/log.ts';
import { openTestDatabase, primaryKind } from '../../support/databases.ts';
import { eventually } from '../../support/eventually.ts';
import { createStack } from '../../support/stack.ts';
import { type ChannelDriver, contractEnv, type Talker } from '../driver.ts';
import { settle, testClock } from './settle.ts';

type Mocker = InstanceType<typeof mock.Mocker>;

/** The numbered choices of a WeChat text ("1. 安全生产"), in order. */
function numbered(text: string): { no: string; label: string }[] {
  return [...text.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => ({ no: m[1]!, label: m[2]!.trim() }));
}

export async function wechatDriver(): Promise<ChannelDriver> {
  const clock = testClock();
  const database = await openTestDatabase(primaryKind);
  const mocker: Mocker = new mock.Mocker();
  const botUser = mocker.createContact({ id: 'wxid_contract_bot', name: '同心助手' });
  const puppet = new PuppetMock({ mocker });
  let refusing = false;
  const sendText = puppet.messageSendText.bind(puppet);
  puppet.messageSendText = async (...args: Parameters<typeof sendText>) => {
    if (refusing) throw new Error('the account could not send (contract)');
    return sendText(...args);
  };
  /** Message ids the puppet emitted, each with the events the intake has finished taking. */
  const emitted: string[] = [];
  puppet.on('message', (payload: { messageId: string }) => {
    emitted.push(payload.messageId);
  });
  let handled = 0;
  const said: { to: string; text: string }[] = [];
  const link = createWechatLink({
    puppet: () => puppet,
    log: createLogger('warn', () => {}),
    limits: { perChatPerSecond: 50, perMinute: 6000 },
    onLogin: () => stack.services.wake.outbox(),
  });
  const stack = createStack(database, {
    now: clock.now,
    env: contractEnv,
    channels: [createWechatChannel(link)],
  });
  const counted: Intake = {
    ...stack.services.intake,
    take: async (inbound, options) => {
      try {
        return await stack.services.intake.take(inbound, options);
      } finally {
        handled++;
      }
    },
  };
  await link.start(counted);
  link.bot()!.on('message', (message) => {
    if (!message.self()) return;
    said.push({ to: message.room()?.id ?? message.listener()?.id ?? '', text: message.text() });
  });
  mocker.login(botUser);
  await eventually(() => link.target.ready(), 'the mock account logged in');

  /**
   * Runs what the puppet was told to say, and waits until the intake has taken it (a message the
   * adapter is to ignore never reaches the intake: then only until the puppet has emitted it).
   */
  const deliver = async (send: () => void, reachesIntake = true): Promise<string> => {
    const before = emitted.length;
    const handledBefore = handled;
    send();
    await eventually(() => emitted.length > before, 'the puppet emitting the message');
    if (reachesIntake) await eventually(() => handled > handledBefore, 'the intake taking the message');
    return emitted[before]!;
  };
  const readFrom = (where: string) => {
    let read = 0;
    return async () => {
      await settle(stack, database.db);
      const all = said.filter((s) => s.to === where);
      const fresh = all.slice(read);
      read = all.length;
      return fresh.map((s) => s.text).join('\n---\n');
    };
  };

  return {
    name: 'wechat',
    stack,
    db: database.db,
    lacks: {
      refusals:
        'WeChat cannot be asked to deliver a message again: one past the limit is dropped, and logged',
    },
    freezeClock: clock.freeze,
    async talker(): Promise<Talker> {
      const contact = mocker.createContact({ name: '王师傅' });
      const latestChoices = () =>
        [...said]
          .reverse()
          .filter((s) => s.to === contact.id)
          .map((s) => numbered(s.text))
          .find((choices) => choices.length > 0) ?? [];
      const say = async (text: string) => {
        const id = await deliver(() => contact.say(text).to(botUser));
        return {
          taken: true,
          again: async () => {
            await deliver(() => puppet.emit('message', { messageId: id }));
            return true;
          },
        };
      };
      return {
        chatId: contact.id,
        say,
        async tap(label) {
          await settle(stack, database.db);
          const choice = latestChoices().find((c) => c.label === label);
          if (!choice) throw new Error(`no choice "${label}" in this chat`);
          await say(choice.no);
        },
        replies: readFrom(contact.id),
        async choices() {
          await settle(stack, database.db);
          return latestChoices().map((c) => c.label);
        },
        async answerPoll(_pollId, code, _label, answer) {
          const before = said.filter((s) => s.to === contact.id).length;
          await say(`${code} ${answer}`);
          await settle(stack, database.db);
          return said
            .filter((s) => s.to === contact.id)
            .slice(before)
            .map((s) => s.text)
            .join('\n');
        },
      };
    },
    async group(people) {
      const members = people.map(() => mocker.createContact({ name: '组员' }));
      const byTalker = new Map(people.map((p, i) => [p, members[i]!]));
      const room = mocker.createRoom({
        topic: '检修车间',
        memberIdList: [botUser.id, ...members.map((m) => m.id)],
      });
      return {
        chatId: `room:${room.id}`,
        async say(who, text, mention) {
          const member = byTalker.get(who)!;
          await deliver(
            () => (mention ? member.say(`@同心助手 ${text}`, [botUser]).to(room) : member.say(text).to(room)),
            mention,
          );
        },
        replies: readFrom(room.id),
        async privately(who) {
          await settle(stack, database.db);
          const member = byTalker.get(who)!;
          return said
            .filter((s) => s.to === member.id)
            .map((s) => s.text)
            .join('\n---\n');
        },
      };
    },
    refuseSends(refuse) {
      refusing = refuse;
    },
    async close() {
      await link.stop();
      await database.close();
    },
  };
}
