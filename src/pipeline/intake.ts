/**
 * The intake, written once for every channel (the `Intake` port of bots/core): a person past
 * their messages a minute is refused; a poll answered by its code is handed to the polls at once
 * and answered to the sender alone, so the answer and the sender are never stored together;
 * anything else is written to the inbox, deduplicated, and the inbox processor is woken. What
 * polls do with a vote comes in as a hook (src/domains/polls/intake-hook.ts).
 */
import type { Intake, Taken, TakeOptions, VoteAnswer, VoteRequest } from '../../bots/core/intake.ts';
import { type Inbound, type Outbound, outboundSchema } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { parseTextVote } from '../../flows/polls/text-vote.ts';
import { floodText } from '../../kernel/errors.ts';
import type { L10n } from '../../kernel/l10n.ts';
import type { Ctx } from '../kernel/ctx.ts';
import type { PersonLimit } from './flood-guard.ts';
import { acceptInbound } from './inbox.ts';
import type { InboxWriter } from './inbox-writer.ts';
import { enqueue, findSent } from './outbox.ts';
import type { DeliveryMemory } from './recent-keys.ts';

/** Keeps the sender's message in the history of a channel whose history the server keeps, in the inbox write's transaction. */
export type KeepShown = (tx: Db, inbound: Inbound, shown: NonNullable<TakeOptions['shown']>) => Promise<void>;

/** What the intake asks of polls (src/domains/polls/intake-hook.ts answers it). */
export interface PollHook {
  /** A poll answered (or asked for) by its code; null when the text is not one after all. */
  byCode(inbound: Inbound, said: string): Promise<{ reply: Outbound; recorded: boolean } | null>;
  /** A vote given by a button or a form, refusals included. */
  byButton(request: VoteRequest): Promise<VoteAnswer>;
  /** The short note on what is kept of an answer. */
  anonymityNote(): L10n;
}

/** The intake's own parts; the context gives the database, keys, counters and wake-ups. */
interface IntakeOptions {
  /** The inbox write that must succeed before the platform is answered (group commit). */
  accept: InboxWriter;
  /** What polls do with an answer typed or pressed. */
  polls: PollHook;
  /** Refuses a person's messages past so many a minute. */
  floodGuard?: PersonLimit;
  /** Messages answering a poll by code lately, for channels that deliver a message again. */
  recentTextVotes?: DeliveryMemory;
  /** Per channel, how the sender's own message is kept with the inbox row (the web chat's history). */
  keepShown?: Partial<Record<Inbound['channel'], KeepShown>>;
  /** Keeps an uploaded file (src/domains/items/files.ts); the largest taken. */
  files: { keep: Intake['keepFile']; maxBytes: number };
}

export function createIntake(
  ctx: Pick<Ctx, 'db' | 'keys' | 'metrics' | 'wake'>,
  { accept, polls, floodGuard, recentTextVotes, keepShown, files }: IntakeOptions,
): Intake {
  const { db, keys } = ctx;
  const countVote = (channel: string, cast: boolean) =>
    ctx.metrics.count('tongxin_poll_votes_total', { channel, outcome: cast ? 'recorded' : 'refused' });
  const admit = async (inbound: Pick<Inbound, 'channel' | 'sender'>) =>
    !floodGuard || (await floodGuard.allow(`${inbound.channel}:${inbound.sender.externalId}`));

  async function takeVoteByCode(inbound: Inbound, said: string, options: TakeOptions): Promise<Taken | null> {
    // A delivery answered before is not cast again.
    const remember = options.redelivers === true ? recentTextVotes : undefined;
    if (await remember?.has(inbound.dedupeKey)) return { outcome: 'duplicate' };
    const vote = await polls.byCode(inbound, said);
    if (!vote) return null;
    countVote(inbound.channel, vote.recorded);
    const inline = options.voteReplyInline === true && vote.reply.type === 'text';
    if (!inline) {
      // An answer typed in a group is answered to the person alone.
      const chatId = inbound.chat.type === 'group' ? inbound.sender.externalId : inbound.chat.id;
      await enqueue(db, keys, [{ channel: inbound.channel, chatId, message: vote.reply }]);
    }
    await remember?.add(inbound.dedupeKey);
    if (!inline) ctx.wake.outbox();
    return { outcome: 'vote', recorded: vote.recorded, reply: vote.reply, queued: !inline };
  }

  return {
    async admit(inbound) {
      return (await admit(inbound)) ? null : floodText;
    },

    async take(inbound: Inbound, options: TakeOptions = {}): Promise<Taken> {
      if (!options.admitted && !(await admit(inbound))) return { outcome: 'throttled', text: floodText };
      if (inbound.content.type === 'text' && parseTextVote(inbound.content.text)) {
        // A poll answered by its code: recognised before the inbox, so the text is stored nowhere.
        const vote = await takeVoteByCode(inbound, inbound.content.text, options);
        if (vote) return vote;
      }
      const keep = options.shown ? keepShown?.[inbound.channel] : undefined;
      const shown = options.shown;
      const result =
        keep && shown
          ? await acceptInbound(db, keys, inbound, (tx) => keep(tx, inbound, shown))
          : await accept(inbound);
      if (!result.accepted) return { outcome: 'duplicate' };
      ctx.wake.inbox();
      return { outcome: 'accepted', id: result.id };
    },

    async vote(request) {
      const answer = await polls.byButton(request);
      countVote(request.voter.channel, answer.cast);
      return answer;
    },

    anonymityNote: () => polls.anonymityNote(),

    keepFile: files.keep,
    fileMaxBytes: files.maxBytes,

    async sent(channel, platformMessageId) {
      const row = await findSent(db, keys, channel, platformMessageId);
      if (!row) return null;
      const message = outboundSchema.safeParse(row.payload);
      return message.success ? { chatId: row.chatId, message: message.data } : null;
    },
  };
}
