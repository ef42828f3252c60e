/**
 * Lark waits 3 s for the answer to a card press. A poll vote that cannot be cast within the answer
 * budget is answered "still being processed" and cast after; a second press says it counted. Here
 * the vote is held, not timed: the server's intake casts it only once a gate the test opens lets
 * it through, so nothing depends on how fast the machine is.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Intake } from '../../../bots/core/intake.ts';
import type { LarkIntakeDeps } from '../../../bots/lark/intake.ts';
import { pollValue } from '../../../bots/lark/render.ts';
import { createVoteQueue } from '../../../bots/lark/vote-queue.ts';
import { larkWebhookRoutes } from '../../../bots/lark/webhook.ts';
import { handleError } from '../../../src/http/error-response.ts';
import type { Logger } from '../../../src/kernel/log.ts';
import { openedBallots } from '../../support/ballots.ts';
import { type HttpServer, startHttpServer } from '../../support/browser.ts';
import { primaryKind } from '../../support/databases.ts';
import { cardAction, delivery, larkApp } from '../../support/lark-events.ts';
import { type LarkAnswer, type LarkServer, startLarkServer } from '../../support/lark-server.ts';

/** The server's intake, casting votes only once the test opens the gate (or failing them). */
function gatedVotes() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  let gate = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  let calls = 0;
  const around = (intake: Intake): Intake => ({
    ...intake,
    vote: (request) => {
      calls++;
      return gate.then(() => intake.vote(request));
    },
  });
  return {
    around,
    /** Votes that have reached the gate: those the queue has started. */
    calls: () => calls,
    open: () => open(),
    fail: (error: Error) => fail(error),
    close() {
      gate = new Promise<void>((resolve, reject) => {
        open = resolve;
        fail = reject;
      });
    },
  };
}

let lark: LarkServer;
/** The server's clock, when a test moves it; the real time otherwise. */
let clock: Date | null = null;
/** The webhook with the gated votes and a budget of 200 ms; and with the votes as they are and a minute. */
let held: HttpServer;
let roomy: HttpServer;
const gate = gatedVotes();
let intake: LarkIntakeDeps;
let log: Logger;

/** The server's own Lark intake (its database, queue and metrics) behind the real webhook route. */
function webhook(deps: Partial<LarkIntakeDeps>) {
  const app = new Hono()
    .route('/', larkWebhookRoutes({ ...intake, ...deps, encryptKey: larkApp.encryptKey, windowSeconds: 300 }))
    .onError((error, c) => handleError(error, c, log));
  return startHttpServer({ app });
}

beforeAll(async () => {
  lark = await startLarkServer({ now: () => clock ?? new Date() });
  const { services } = lark.stack;
  intake = services.lark!.intakeDeps(services.intake);
  log = lark.stack.log;
  held = await webhook({ intake: gate.around(services.intake), cardAnswerMs: 200 });
  roomy = await webhook({ cardAnswerMs: 60_000 });
});

afterAll(async () => {
  await held?.close();
  await roomy?.close();
  await lark?.close();
});

async function press(url: string, openId: string, chatId: string, value: unknown): Promise<LarkAnswer> {
  const { body, headers } = await delivery(cardAction({ openId, chatId, value }));
  const res = await fetch(`${url}/webhooks/lark`, { method: 'POST', headers, body });
  expect(res.status).toBe(200);
  return (await res.json()) as LarkAnswer;
}

async function groupPoll(chatId: string) {
  const res = await lark.stack.api('/polls', {
    method: 'POST',
    json: {
      question: '食堂晚餐是否延长到八点？',
      kind: 'single',
      options: ['同意', '不同意'],
      audience: { kind: 'chats', chats: [{ channel: 'lark', chatId }] },
      durationMinutes: 60,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  while ((await lark.stack.services.jobs.polls()) > 0) {}
  return id;
}

const ballots = (pollId: string) => openedBallots(lark.database.db, lark.stack.keyRing, pollId);
const cardAnswers = (answer: string) =>
  lark.stack.services.metrics.value('tongxin_poll_card_answers_total', { answer });

describe(`a poll card press past the answer budget (${primaryKind})`, () => {
  it('is answered "still being processed" before its vote is stored, and counted once', async () => {
    const group = 'oc_deadline_group';
    const pollId = await groupPoll(group);
    const pendingBefore = cardAnswers('pending');

    const first = await press(held.url, 'ou_deadline_a', group, pollValue(pollId, 1));
    expect(first.toast?.type).toBe('info');
    expect(first.toast?.i18n.zh_cn).toContain('正在处理您的回答');
    expect(first.toast?.i18n.en_us).toContain('still being processed');
    expect(first.card).toBeUndefined();
    // The vote's own answer, which would carry it, is not seen: the note on what is kept comes here.
    expect(first.toast?.i18n.zh_cn).toContain('匿名说明');
    expect(first.toast?.i18n.en_us).toContain('About anonymity');
    // Answered while the vote still waits: nothing is stored yet.
    expect(await ballots(pollId)).toEqual([]);
    expect(cardAnswers('pending')).toBe(pendingBefore + 1);
    expect(lark.stack.logLines.some((line) => line.includes('lark.card_answer_pending'))).toBe(true);

    gate.open();
    await intake.voteQueue!.settled();
    expect((await ballots(pollId)).map((b) => b.answer)).toEqual([1]);

    // Pressed again to check: the vote's own result, and still one vote. It reads as a changed
    // answer would, so pressing each button in turn tells no one which was chosen.
    const again = await press(roomy.url, 'ou_deadline_a', group, pollValue(pollId, 1));
    expect(again.toast?.type).toBe('success');
    expect(again.toast?.i18n.zh_cn).toContain('之前的回答不再计入');
    expect(again.toast?.i18n.en_us).toContain('any earlier one no longer counts');
    expect((await ballots(pollId)).map((b) => b.answer)).toEqual([1]);
    const changed = await press(roomy.url, 'ou_deadline_a', group, pollValue(pollId, 2));
    expect(changed.toast).toEqual(again.toast);
    expect((await ballots(pollId)).map((b) => b.answer)).toEqual([2]);
  });

  it('casts a pending vote as of its press, though the poll has run out of time since', async () => {
    const group = 'oc_deadline_late';
    const pollId = await groupPoll(group);
    gate.close();
    const answer = await press(held.url, 'ou_deadline_late', group, pollValue(pollId, 2));
    expect(answer.toast?.i18n.en_us).toContain('still being processed');
    // The poll's hour runs out while the vote waits (the close job has not run yet).
    clock = new Date(Date.now() + 2 * 3_600_000);
    try {
      gate.open();
      await intake.voteQueue!.settled();
      expect((await ballots(pollId)).map((b) => b.answer)).toEqual([2]);
    } finally {
      clock = null;
    }
  });

  it('casts 8 votes at a time and keeps the rest waiting their turn, each cast once', async () => {
    const group = 'oc_deadline_queue';
    const pollId = await groupPoll(group);
    gate.close();
    const callsBefore = gate.calls();
    const presses = Array.from({ length: 12 }, (_, i) =>
      press(held.url, `ou_deadline_q${i}`, group, pollValue(pollId, 1 + (i % 2))),
    );
    const answers = await Promise.all(presses);
    expect(answers.every((a) => a.toast?.i18n.en_us?.includes('still being processed'))).toBe(true);
    // 8 wait at the gate, 4 in the queue behind them; none is stored.
    expect(gate.calls() - callsBefore).toBe(8);
    expect(intake.voteQueue!.size()).toBe(12);
    expect(await ballots(pollId)).toEqual([]);
    gate.open();
    await intake.voteQueue!.settled();
    expect(intake.voteQueue!.size()).toBe(0);
    expect((await ballots(pollId)).map((b) => b.answer).sort()).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('counts and logs a vote that fails after its answer, without the voter', async () => {
    const group = 'oc_deadline_fail';
    const pollId = await groupPoll(group);
    gate.close();
    const failedBefore = lark.stack.services.metrics.value('tongxin_poll_votes_total', {
      channel: 'lark',
      outcome: 'failed',
    });
    const answer = await press(held.url, 'ou_deadline_fail', group, pollValue(pollId, 1));
    expect(answer.toast?.i18n.en_us).toContain('still being processed');
    gate.fail(new Error('the database went away'));
    await intake.voteQueue!.settled();
    expect(await ballots(pollId)).toEqual([]);
    expect(
      lark.stack.services.metrics.value('tongxin_poll_votes_total', { channel: 'lark', outcome: 'failed' }),
    ).toBe(failedBefore + 1);
    const failure = lark.stack.logLines.find((line) => line.includes('lark.vote_failed'));
    expect(failure).toContain('the database went away');
    expect(failure).not.toContain('ou_deadline_fail');
    gate.close();
    gate.open();
  });

  it('answers at once, whatever is left of its budget, when the votes ahead cannot be cast in it', async () => {
    const group = 'oc_deadline_hopeless';
    const pollId = await groupPoll(group);
    // A queue of one whose last vote took 1,000 s (by its own clock).
    let now = 0;
    const queue = createVoteQueue(1, () => now);
    await queue.run(async () => {
      now += 1_000_000;
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A flood: one running, 40 waiting (more than four times the server's width of 8).
    const ahead = Array.from({ length: 41 }, () => queue.run(() => held));
    const slowed: number[] = [];
    const watched = {
      ...queue,
      slowFor(ms: number) {
        slowed.push(ms);
        queue.slowFor(ms);
      },
    };
    // A budget longer than the test may take: only an answer at once lets it pass.
    const busy = await webhook({ voteQueue: watched, cardAnswerMs: 600_000 });
    try {
      // Ten minutes' budget, but 42 rounds of 1,000 s ahead: answered now.
      const answer = await press(busy.url, 'ou_deadline_hopeless', group, pollValue(pollId, 1));
      expect(answer.toast?.i18n.en_us).toContain('still being processed');
      // And the queue is slowed, so that reading the presses still coming comes first.
      expect(slowed).toEqual([250]);
      expect(await ballots(pollId)).toEqual([]);
      release();
      await Promise.all(ahead);
      await queue.settled();
      expect((await ballots(pollId)).map((b) => b.answer)).toEqual([1]);
    } finally {
      await busy.close();
    }
  });

  it('answers with the vote itself when it is cast in time', async () => {
    const group = 'oc_deadline_quick';
    const pollId = await groupPoll(group);
    const resultsBefore = cardAnswers('result');
    const quick = await press(roomy.url, 'ou_deadline_quick', group, pollValue(pollId, 2));
    expect(quick.toast?.type).toBe('success');
    expect(quick.toast?.i18n.en_us).toContain('recorded anonymously');
    expect(cardAnswers('result')).toBe(resultsBefore + 1);
    expect((await ballots(pollId)).map((b) => b.answer)).toEqual([2]);
  });
});
