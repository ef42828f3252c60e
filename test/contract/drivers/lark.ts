/**
 * Lark for the channel contract: a person's messages are signed webhook deliveries of
 * `im.message.receive_v1`, a tap is a `card.action.trigger` carrying the value of a button on a
 * card the stand-in received, and a send fails when the stand-in's Open API answers 500.
 */
import { cardAction, larkApp, nextId, textMessage } from '../../support/lark-events.ts';
import { startLarkServer } from '../../support/lark-server.ts';
import type { SentMessage } from '../../support/lark-stand-in.ts';
import { type ChannelDriver, contractEnv, type Talker } from '../driver.ts';
import { settle, testClock } from './settle.ts';

/** Everything a sent message says, text or card. */
const textOf = (m: SentMessage) => JSON.stringify(m.content);

/** The labels of a card's buttons, in order. */
function buttonLabels(m: SentMessage): string[] {
  return [
    ...JSON.stringify(m.content).matchAll(/"content":"([^"]*)"\},"behaviors":\[\{"type":"callback"/g),
  ].map((found) => found[1]!);
}

/** The callback value of the button with this label, as the card carries it. */
function buttonValue(m: SentMessage, label: string): unknown | null {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = JSON.stringify(m.content).match(
    new RegExp(
      `"content":"${escaped}"\\},"behaviors":\\[\\{"type":"callback","value":(\\{"v":"(?:[^"\\\\]|\\\\.)*"\\})`,
    ),
  );
  return found ? JSON.parse(found[1]!) : null;
}

export async function larkDriver(): Promise<ChannelDriver> {
  const clock = testClock();
  const lark = await startLarkServer({ now: clock.now, env: contractEnv });
  const { standIn, stack } = lark;
  const db = lark.database.db;
  const sentTo = (chatId: string) => standIn.sent.filter((m) => m.receiveId === chatId);

  const deliver = async (payload: unknown) => {
    const res = await lark.post(payload);
    await res.arrayBuffer();
    return res.status === 200;
  };

  return {
    name: 'lark',
    stack,
    db,
    lacks: {},
    freezeClock: clock.freeze,
    async talker(): Promise<Talker> {
      const openId = nextId('ou');
      const chatId = nextId('oc');
      let read = 0;
      const latestWithButtons = (label?: string) =>
        [...sentTo(chatId)]
          .reverse()
          .find((m) => (label === undefined ? buttonLabels(m).length > 0 : buttonValue(m, label) !== null));
      return {
        chatId,
        async say(text) {
          const payload = textMessage({ openId, chatId, text });
          const taken = await deliver(payload);
          return {
            taken,
            again: () => deliver(payload),
          };
        },
        async tap(label) {
          await settle(stack, db);
          const card = latestWithButtons(label);
          if (!card) throw new Error(`no button "${label}" in this chat`);
          const res = await lark.post(
            cardAction({ openId, chatId, value: buttonValue(card, label), messageId: card.messageId }),
          );
          if (res.status !== 200) throw new Error(`the press was answered ${res.status}`);
        },
        async replies() {
          await settle(stack, db);
          const all = sentTo(chatId);
          const fresh = all.slice(read);
          read = all.length;
          return fresh.map(textOf).join('\n---\n');
        },
        async choices() {
          await settle(stack, db);
          const card = latestWithButtons();
          return card ? buttonLabels(card) : [];
        },
        async answerPoll(pollId, _code, _label, answer) {
          await settle(stack, db);
          const card = [...sentTo(chatId)].reverse().find((m) => textOf(m).includes(pollId));
          const value = { poll: pollId, a: answer };
          if (!card || !textOf(card).includes(JSON.stringify(value)))
            throw new Error('no card with this poll and answer in this chat');
          const toast = await lark.click(openId, chatId, value);
          return toast.toast?.content ?? '';
        },
      };
    },
    async group(people) {
      const chatId = nextId('oc');
      let read = 0;
      const openIdOf = new Map<Talker, string>(people.map((p) => [p, nextId('ou')]));
      return {
        chatId,
        async say(who, text, mention) {
          const mentions = mention ? [{ key: '@_user_1', openId: larkApp.botOpenId, name: '同心' }] : [];
          await deliver(
            textMessage({
              openId: openIdOf.get(who) ?? nextId('ou'),
              chatId,
              group: true,
              text: mention ? `@_user_1 ${text}` : text,
              mentions,
            }),
          );
        },
        async replies() {
          await settle(stack, db);
          const all = sentTo(chatId);
          const fresh = all.slice(read);
          read = all.length;
          return fresh.map(textOf).join('\n---\n');
        },
        async privately(who) {
          await settle(stack, db);
          // Lark reaches a member alone by their open_id.
          return sentTo(openIdOf.get(who) ?? '')
            .map(textOf)
            .join('\n---\n');
        },
      };
    },
    refuseSends(refuse) {
      standIn.faults.kind = '500';
      standIn.faults.rate = refuse ? 1 : 0;
    },
    close: () => lark.close(),
  };
}
