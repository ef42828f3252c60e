/**
 * The web chat for the channel contract, over the app's own HTTP: a person is a browser with the
 * visitor cookie, a tap posts a button's value as the page does, a poll is answered at its vote
 * endpoint, and a delivery made again is the page posting the same message id a second time.
 */
import { openTestDatabase, primaryKind } from '../../support/databases.ts';
import { bubbleText, createStack, webVisitor } from '../../support/stack.ts';
import { type ChannelDriver, contractEnv, type Talker } from '../driver.ts';
import { settle, testClock } from './settle.ts';

interface Bubble {
  buttons?: { label: string; value: string }[];
  poll?: { id: string; answers: { label: string; answer: number }[] };
}

export async function webDriver(): Promise<ChannelDriver> {
  const clock = testClock();
  const database = await openTestDatabase(primaryKind);
  const stack = createStack(database, { now: clock.now, env: contractEnv });
  let seq = 0;

  return {
    name: 'web',
    stack,
    db: database.db,
    lacks: {
      groups: 'the web chat is one person and the bot; it has no group chats',
      sendFailures:
        'the web chat is sent by writing to the server’s own database; a failure there is the outbox’s, tested with it',
    },
    freezeClock: clock.freeze,
    async talker(): Promise<Talker> {
      const visitor = await webVisitor(stack);
      const chatId = /tx_visitor=(v_[A-Za-z0-9_-]{22})/.exec(visitor.cookie)?.[1] ?? '';
      const seen: Bubble[] = [];
      const read = async () => {
        await settle(stack, database.db);
        const fresh = (await visitor.replies()) as Bubble[];
        seen.push(...fresh);
        return fresh;
      };
      /** What the page showed of answers given in the response itself (a poll answered by its code). */
      const notes: string[] = [];
      const post = async (body: Record<string, unknown>) => {
        const res = await visitor.post(body);
        const answer = (await res.json().catch(() => ({}))) as { vote?: { text?: string } };
        if (answer.vote?.text) notes.push(answer.vote.text);
        return res.status;
      };
      return {
        chatId,
        async say(text) {
          const body = { id: `contract-${seq++}`, text };
          const status = await post(body);
          return {
            taken: status >= 200 && status < 300,
            again: async () => {
              const again = await post(body);
              return again >= 200 && again < 300;
            },
          };
        },
        async tap(label) {
          await read();
          const button = [...seen]
            .reverse()
            .flatMap((b) => b.buttons ?? [])
            .find((b) => b.label === label);
          if (!button) throw new Error(`no button "${label}" in this chat`);
          const status = await post({ id: `contract-${seq++}`, action: button.value, label });
          if (status !== 202) throw new Error(`the press was answered ${status}`);
        },
        async replies() {
          const bubbles = bubbleText((await read()) as Parameters<typeof bubbleText>[0]);
          const shown = [...notes.splice(0), ...(bubbles ? [bubbles] : [])];
          return shown.join('\n---\n');
        },
        async choices() {
          await read();
          const latest = [...seen].reverse().find((b) => (b.buttons ?? []).length > 0);
          return (latest?.buttons ?? []).map((b) => b.label);
        },
        async answerPoll(pollId, _code, _label, answer) {
          await read();
          const poll = [...seen].reverse().find((b) => b.poll?.id === pollId)?.poll;
          if (!poll?.answers.some((a) => a.answer === answer)) throw new Error('no such poll in this chat');
          const res = await stack.request(`/chat/polls/${pollId}/vote`, {
            method: 'POST',
            headers: { cookie: visitor.cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ answer }),
          });
          return ((await res.json()) as { text?: string }).text ?? '';
        },
      };
    },
    close: () => database.close(),
  };
}
