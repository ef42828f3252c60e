/**
 * The intake, written once for every channel (the `Intake` port of bots/core): a person past
 * their messages a minute is refused; a poll answered by its code is cast at once and answered to
 * the sender alone, so the answer and the sender are never stored together; anything else is
 * written to the inbox, deduplicated, and the inbox processor is woken.
 */
import type { Intake, Taken, TakeOptions, VoteAnswer, VoteRequest } from '../../bots/core/intake.ts';
import { type Inbound, outboundSchema } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { anonymityNote, isCast, voteReply } from '../../flows/polls/messages.ts';
import { privacyText } from '../../flows/polls/privacy.ts';
import { parseTextVote } from '../../flows/polls/text-vote.ts';
import { floodText } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/http/ids.ts';
import type { Lang } from '../../kernel/l10n.ts';
import type { GroupMember } from '../domains/polls/store.ts';
import { privacyPageUrl, takeTextVote } from '../domains/polls/text-votes.ts';
import { allowVote } from '../domains/polls/vote-limit.ts';
import { castVote } from '../domains/polls/votes.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import type { Logger } from '../kernel/log.ts';
import type { Metrics } from '../kernel/metrics.ts';
import type { PersonLimit } from './flood-guard.ts';
import { acceptInbound } from './inbox.ts';
import type { InboxWriter } from './inbox-writer.ts';
import { enqueue, findSent } from './outbox.ts';
import type { DeliveryMemory } from './recent-keys.ts';

/** Keeps the sender's message in the history of a channel whose history the server keeps, in the inbox write's transaction. */
export type KeepShown = (tx: Db, inbound: Inbound, shown: NonNullable<TakeOptions['shown']>) => Promise<void>;

export interface IntakeDeps {
  db: Db;
  keys: KeyRing;
  log: Logger;
  metrics: Metrics;
  now: () => Date;
  /** For poll answers: the day's zone, and where the privacy page is. */
  timeZone: string;
  publicUrl: string;
  /** The inbox write that must succeed before the platform is answered (group commit). */
  accept: InboxWriter;
  wake: { inbox(): void; outbox(): void };
  /** Refuses a person's messages past so many a minute. */
  floodGuard?: PersonLimit;
  /** Refuses a person's poll answers past so many a minute, whichever way they answer. */
  voteLimit?: PersonLimit;
  /** Whether someone answering by code in private is in a group the poll was posted to. */
  groupMember?: GroupMember;
  /** Messages answering a poll by code lately, so a delivery made again is not cast again. */
  recentTextVotes?: DeliveryMemory;
  /** Per channel, how the sender's own message is kept with the inbox row (the web chat's history). */
  keepShown?: Partial<Record<Inbound['channel'], KeepShown>>;
}

export function createIntake(deps: IntakeDeps): Intake {
  const countVote = (channel: string, cast: boolean) =>
    deps.metrics.count('tongxin_poll_votes_total', { channel, outcome: cast ? 'recorded' : 'refused' });

  async function takeVoteByCode(inbound: Inbound, said: string, options: TakeOptions): Promise<Taken | null> {
    // A delivery answered before is not cast again.
    if (await deps.recentTextVotes?.has(inbound.dedupeKey)) return { outcome: 'duplicate' };
    const vote = await takeTextVote(deps.db, inbound, said, {
      now: deps.now(),
      timeZone: deps.timeZone,
      publicUrl: deps.publicUrl,
      keys: deps.keys,
      ...(deps.groupMember ? { groupMember: deps.groupMember } : {}),
      ...(deps.voteLimit ? { voteLimit: deps.voteLimit } : {}),
    });
    if (!vote) return null;
    countVote(inbound.channel, vote.recorded);
    const inline = options.voteReplyInline === true && vote.reply.type === 'text';
    if (!inline) {
      // An answer typed in a group is answered to the person alone.
      const chatId = inbound.chat.type === 'group' ? inbound.sender.externalId : inbound.chat.id;
      await enqueue(deps.db, deps.keys, [{ channel: inbound.channel, chatId, message: vote.reply }]);
    }
    await deps.recentTextVotes?.add(inbound.dedupeKey);
    if (!inline) deps.wake.outbox();
    return { outcome: 'vote', recorded: vote.recorded, reply: vote.reply, queued: !inline };
  }

  return {
    async take(inbound: Inbound, options: TakeOptions = {}): Promise<Taken> {
      const from = `${inbound.channel}:${inbound.sender.externalId}`;
      if (deps.floodGuard && !(await deps.floodGuard.allow(from))) {
        deps.log.warn('intake.throttled', { channel: inbound.channel });
        return { outcome: 'throttled', text: floodText };
      }
      if (inbound.content.type === 'text' && parseTextVote(inbound.content.text)) {
        // A poll answered by its code: recognised before the inbox, so the text is stored nowhere.
        const vote = await takeVoteByCode(inbound, inbound.content.text, options);
        if (vote) return vote;
      }
      const keep = options.shown ? deps.keepShown?.[inbound.channel] : undefined;
      const shown = options.shown;
      const result =
        keep && shown
          ? await acceptInbound(deps.db, deps.keys, inbound, (tx) => keep(tx, inbound, shown))
          : await deps.accept(inbound);
      if (!result.accepted) return { outcome: 'duplicate' };
      deps.log.debug('inbox.accepted', { channel: inbound.channel, id: result.id });
      deps.wake.inbox();
      return { outcome: 'accepted', id: result.id };
    },

    async vote(request: VoteRequest): Promise<VoteAnswer> {
      const refused = (outcome: 'invalid_answer' | 'too_fast' | 'unknown') => ({
        outcome,
        lang: 'zh' as const,
        firstAnswer: false,
      });
      // A press counts against the person's answers a minute (the vote limit), not their messages.
      const result = request.forged
        ? refused('invalid_answer')
        : !isUuid(request.pollId)
          ? refused('unknown')
          : !(await allowVote(deps.voteLimit, request.voter))
            ? refused('too_fast')
            : await castVote(deps.db, {
                pollId: request.pollId,
                voter: request.voter,
                chatId: request.chatId,
                ...(request.answer !== undefined ? { answer: request.answer } : {}),
                ...(request.comment !== undefined ? { comment: request.comment } : {}),
                now: request.at,
                timeZone: deps.timeZone,
                keys: deps.keys,
              });
      const cast = isCast(result.outcome);
      countVote(request.voter.channel, cast);
      const first = result.firstAnswer ? { url: privacyPageUrl(deps.publicUrl) } : null;
      const reply = (lang: Lang) => voteReply(result.outcome, lang, first);
      return {
        outcome: result.outcome,
        cast,
        lang: result.lang,
        reply: { zh: reply('zh'), en: reply('en') },
        ...(result.firstAnswer ? { privacy: privacyText(result.lang) } : {}),
      };
    },

    anonymityNote() {
      const url = privacyPageUrl(deps.publicUrl);
      return { zh: anonymityNote('zh', url), en: anonymityNote('en', url) };
    },

    async sent(channel, platformMessageId) {
      const row = await findSent(deps.db, deps.keys, channel, platformMessageId);
      if (!row) return null;
      const message = outboundSchema.safeParse(row.payload);
      return message.success ? { chatId: row.chatId, message: message.data } : null;
    },
  };
}
