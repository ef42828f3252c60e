/**
 * Where a Lark payload enters the system, whichever way it came (webhook or long connection):
 * sender checks, parsing, the deduplicated inbox write, and the answer the platform expects.
 */

import { AppError, errorText } from '../../kernel/errors.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import type { Intake, VoteAnswer } from '../core/intake.ts';
import type { Inbound } from '../core/messenger.ts';
import type { ChannelLog, ChannelMetrics } from '../core/telemetry.ts';
import { answerWithin, cardAnswerBudgetMs } from './answer-budget.ts';
import type { LarkCrypto } from './crypto.ts';
import { type LarkParsed, parseLarkPayload } from './parse.ts';
import { answeredCard } from './render.ts';
import { type VoteQueue, voteQueueWidth } from './vote-queue.ts';

export interface LarkIntakeDeps {
  /** The server's intake: the inbox, poll answers and the per-person limits are behind it. */
  intake: Intake;
  log: ChannelLog;
  metrics: ChannelMetrics;
  now: () => Date;
  appId: string;
  verificationToken: string;
  botOpenId: () => Promise<string | null>;
  crypto: LarkCrypto;
  /** Casts card votes a few at a time, first come first served (all at once when not given). */
  voteQueue?: VoteQueue;
  /** How long a poll card press may take before it is answered "still being processed" (ms). */
  cardAnswerMs?: number;
}

/** What refusals of Lark deliveries say (the webhook adds its own for the body's size). */
export const larkText = {
  refused: { zh: '请求未通过校验。', en: 'The request did not pass verification.' },
  malformed: { zh: '无法识别的事件内容。', en: 'The event could not be read.' },
  received: { zh: '已收到', en: 'Received' },
  foreignCard: {
    zh: '这张卡片已失效，发送“菜单”可重新开始。',
    en: 'This card no longer works. Send "menu" to start again.',
  },
  votePending: {
    zh: '正在处理您的回答，请稍候再按一次，确认已经记录。',
    en: 'Your answer is still being processed. Press again in a moment to see that it was recorded.',
  },
  votesBusy: {
    zh: '投票的人太多，这次没有记录，请过一会儿再按一次。',
    en: 'Too many people are answering right now; this answer was not recorded. Please press again in a while.',
  },
};

/** Card votes waiting at most: past that a press is asked to come again, and nothing is cast. */
export const maxQueuedVotes = 20_000;

/** A toast in both languages, Chinese where the client's language is neither. */
function toastOf(type: 'info' | 'success' | 'warning', text: L10n) {
  return { type, content: text.zh, i18n: { zh_cn: text.zh, en_us: text.en } };
}

/** What to answer the platform with. */
export type LarkAnswer =
  | { challenge: string }
  | { toast: Record<string, unknown>; card?: { type: 'raw'; data: unknown } }
  | Record<string, never>;

/**
 * Takes an opened payload in. `trusted` payloads came over the long connection, which the app's
 * own credentials authenticate, so there is no verification token to compare. An `unsigned` one
 * (Lark's URL verification, which comes without signature headers) is answered only when it
 * carries the right verification token.
 */
export async function takeLarkPayload(
  deps: LarkIntakeDeps,
  payload: Record<string, unknown>,
  opts: { trusted: boolean; unsigned?: boolean; receivedAt?: number },
): Promise<LarkAnswer> {
  const receivedAt = opts.receivedAt ?? performance.now();
  const { log } = deps;
  const refuse = (reason: string) => {
    log.warn('lark.refused', { reason });
    deps.metrics.count('tongxin_lark_deliveries_total', { outcome: 'refused', reason });
  };
  const parsed = parseLarkPayload(payload, { botOpenId: await deps.botOpenId(), now: deps.now() });
  // Who sent it is judged before what it says: a wrong token is a 401 even on a malformed event.
  if (
    !opts.trusted &&
    (parsed.token === undefined
      ? opts.unsigned === true
      : !(await deps.crypto.sameSecret(parsed.token, deps.verificationToken)))
  ) {
    refuse('bad_token');
    throw new AppError('unauthorized', larkText.refused);
  }
  if (parsed.kind !== 'challenge' && parsed.appId !== undefined && parsed.appId !== deps.appId) {
    refuse('bad_app_id');
    throw new AppError('unauthorized', larkText.refused);
  }
  if (opts.unsigned && parsed.kind !== 'challenge') {
    refuse('unsigned');
    throw new AppError('unauthorized', larkText.refused);
  }
  if (parsed.kind === 'malformed') {
    refuse('malformed');
    if (parsed.token === undefined && !opts.trusted) throw new AppError('unauthorized', larkText.refused);
    throw new AppError('validation_failed', larkText.malformed);
  }
  if (parsed.kind === 'challenge') {
    deps.metrics.count('tongxin_lark_deliveries_total', { outcome: 'verification' });
    return { challenge: parsed.challenge };
  }
  const eventType = parsed.eventType.slice(0, 80);
  if (parsed.kind === 'ignored' && parsed.why === 'bot_unknown') {
    // The bot's own open_id could not be fetched: answer so that the platform delivers it again,
    // rather than drop a message that may have been addressed to the bot.
    log.warn('lark.bot_unknown', { eventType });
    throw new AppError('unavailable', errorText.unavailable);
  }
  if (parsed.kind === 'ignored') {
    log.info('lark.ignored', { eventType, why: parsed.why });
    deps.metrics.count('tongxin_lark_deliveries_total', {
      outcome: 'ignored',
      reason: parsed.why,
      event_type: eventType,
    });
    if (parsed.why === 'foreign_card') return { toast: toastOf('warning', larkText.foreignCard) };
    return {};
  }
  if (parsed.kind === 'vote') return answerVote(deps, parsed, receivedAt);
  // Lark delivers a message again when it was not answered in time.
  const taken = await deps.intake.take(parsed.inbound, { redelivers: true });
  if (taken.outcome === 'throttled') {
    // Asked to wait: the platform delivers it again later.
    log.warn('lark.throttled', { eventType });
    deps.metrics.count('tongxin_lark_deliveries_total', { outcome: 'throttled', event_type: eventType });
    throw new AppError('too_many_requests', taken.text);
  }
  deps.metrics.count('tongxin_lark_deliveries_total', { outcome: taken.outcome, event_type: eventType });
  if (taken.outcome === 'accepted')
    log.debug('inbox.accepted', { channel: 'lark', id: taken.id, eventType: parsed.eventType });
  if (taken.outcome === 'duplicate') log.info('lark.duplicate', { eventType: parsed.eventType });
  if (taken.outcome === 'vote') return {};
  if (parsed.eventType === 'card.action.trigger') {
    const toast = toastOf('info', larkText.received);
    const card = await pressedCard(deps, parsed.messageId, parsed.inbound);
    return card ? { toast, card: { type: 'raw', data: card } } : { toast };
  }
  return {};
}

/**
 * A poll click, answered within Lark's deadline: with the vote's result when it is cast in time,
 * else with "still being processed" while the vote waits its turn and is cast after, as of the
 * moment it was pressed. A second press then shows that it counted. A vote that fails or is
 * refused after its answer is counted and logged, without the voter.
 */
async function answerVote(
  deps: LarkIntakeDeps,
  parsed: Extract<LarkParsed, { kind: 'vote' }>,
  receivedAt: number,
): Promise<LarkAnswer> {
  const queue = deps.voteQueue;
  if (queue && queue.size() >= maxQueuedVotes) {
    deps.metrics.count('tongxin_poll_card_answers_total', { answer: 'busy' });
    notePress(deps, 'lark.votes_queue_full', queue.size());
    return { toast: toastOf('warning', larkText.votesBusy) };
  }
  const pressedAt = deps.now();
  const left = (deps.cardAnswerMs ?? cardAnswerBudgetMs) - (performance.now() - receivedAt);
  // Behind votes too many to be cast in time, the press is answered at once: in a burst the
  // sooner it is answered, the sooner the server reads the presses still coming in.
  const hopeless = queue !== undefined && queue.waiting() > 0 && queue.expectedMs() > left;
  // In a flood (a queue four widths deep), the votes wait while presses keep coming: the
  // server's time goes to reading and answering them first.
  if (hopeless && queue.waiting() >= 4 * voteQueueWidth) queue.slowFor(250);
  const cast = () => takeVote(deps, parsed, pressedAt);
  const work = queue ? queue.run(cast) : cast();
  const raced = await answerWithin(work, hopeless ? 0 : left);
  if (raced.done) {
    deps.metrics.count('tongxin_poll_card_answers_total', { answer: 'result' });
    return raced.value.answer;
  }
  deps.metrics.count('tongxin_poll_card_answers_total', { answer: 'pending' });
  notePress(deps, 'lark.card_answer_pending', queue?.size() ?? 0);
  work.then(
    (late) => {
      if (!late.cast) notePress(deps, 'lark.vote_refused_after_answer', queue?.size() ?? 0);
    },
    (error: unknown) => {
      deps.metrics.count('tongxin_poll_votes_total', { channel: 'lark', outcome: 'failed' });
      deps.log.failed('lark.vote_failed', error);
    },
  );
  // A first answer's note on what is kept goes here, as the vote's own answer will not be seen.
  const note = deps.intake.anonymityNote();
  const text = (lang: Lang) => `${t(lang, larkText.votePending)}\n${t(lang, note)}`;
  return { toast: toastOf('info', { zh: text('zh'), en: text('en') }) };
}

/** Presses of each kind since its last line, per intake: one line a second at most for each. */
const pressLines = new WeakMap<LarkIntakeDeps, Map<string, { at: number; count: number }>>();

function notePress(deps: LarkIntakeDeps, event: string, waitingVotes: number) {
  const now = performance.now();
  const kinds = pressLines.get(deps) ?? new Map<string, { at: number; count: number }>();
  pressLines.set(deps, kinds);
  const seen = kinds.get(event) ?? { at: Number.NEGATIVE_INFINITY, count: 0 };
  kinds.set(event, seen);
  seen.count++;
  if (now - seen.at < 1000) return;
  deps.log.warn(event, { presses: seen.count, waitingVotes });
  seen.at = now;
  seen.count = 0;
}

/**
 * A poll click: the vote is cast and the voter alone gets a toast; the shared card is never
 * changed. Nothing about the voter is logged or kept, and a refusal writes nothing.
 */
async function takeVote(
  deps: LarkIntakeDeps,
  parsed: Extract<LarkParsed, { kind: 'vote' }>,
  pressedAt: Date,
): Promise<{ answer: LarkAnswer; cast: boolean }> {
  deps.metrics.count('tongxin_lark_deliveries_total', {
    outcome: 'vote',
    event_type: parsed.eventType.slice(0, 80),
  });
  const { vote } = parsed;
  const result: VoteAnswer = await deps.intake.vote({
    voter: parsed.voter,
    chatId: parsed.chatId,
    at: pressedAt,
    ...('forged' in vote
      ? { pollId: '', forged: true }
      : {
          pollId: vote.pollId,
          ...(vote.answer !== undefined ? { answer: vote.answer } : {}),
          ...(vote.comment !== undefined ? { comment: vote.comment } : {}),
        }),
  });
  return {
    cast: result.cast,
    answer: {
      toast: {
        ...toastOf(result.cast ? 'success' : 'warning', result.reply),
        // Shown where the client's language is neither: the voter's own.
        content: t(result.lang, result.reply),
      },
    },
  };
}

/** The pressed card without its buttons and with the choice shown, when it is a card this server sent to that chat. */
async function pressedCard(
  deps: LarkIntakeDeps,
  messageId: string | undefined,
  inbound: Inbound,
): Promise<unknown | null> {
  if (!messageId || inbound.content.type !== 'action') return null;
  const sent = await deps.intake.sent('lark', messageId);
  if (!sent || sent.chatId !== inbound.chat.id) return null;
  const answered = answeredCard(sent.message, inbound.content.value);
  return answered?.msgType === 'interactive' ? JSON.parse(answered.content) : null;
}

const headerKeys = ['event_id', 'event_type', 'create_time', 'token', 'app_id', 'tenant_key'] as const;

/**
 * The SDK hands long-connection handlers the envelope flattened ({schema, ...header, ...event});
 * this puts it back. In card callbacks the event's own `token` (for delayed updates) has
 * overwritten the header's, which is why long-connection payloads are taken as trusted.
 */
export function unflattenLarkEvent(data: Record<string, unknown>): Record<string, unknown> {
  const header: Record<string, unknown> = {};
  const event: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'schema') continue;
    if ((headerKeys as readonly string[]).includes(key) && key !== 'token') header[key] = value;
    else event[key] = value;
  }
  header.token = '';
  return { schema: '2.0', header, event };
}
