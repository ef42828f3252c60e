/**
 * A poll answered by text ("K7Q3 2 意见"), whichever channel it came by: recognised before the
 * message reaches the inbox, so no stored message, log line or queued job ever holds the sender
 * and the answer together. Resolves to null for text that is not a poll code, and otherwise to
 * the reply for the sender alone (the same whichever answer they gave).
 */
import type { Inbound, Outbound } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { answerFromText } from '../../../flows/polls/kinds.ts';
import { isCast, pollMessage, voteReply, voteReplyBoth } from '../../../flows/polls/messages.ts';
import { parseTextVote } from '../../../flows/polls/text-vote.ts';
import type { PersonLimit } from '../../pipeline/flood-guard.ts';
import { findPollByCode, type GroupMember, type PollKeys, pollView } from './store.ts';
import { allowVote } from './vote-limit.ts';
import { castVote } from './votes.ts';

export interface TextVoteContext {
  now: Date;
  timeZone: string;
  publicUrl: string;
  keys: PollKeys;
  groupMember?: GroupMember;
  /** Refuses a person's answers past so many a minute. */
  voteLimit?: PersonLimit;
}

export interface TextVoteAnswer {
  reply: Outbound;
  /** Whether a vote or comment was recorded. */
  recorded: boolean;
}

/** How long after its close a poll's code alone (without 投票) is still taken as an answer to it. */
const recentMs = 3 * 86_400_000;

export const privacyPageUrl = (publicUrl: string) => `${publicUrl}/polls/privacy`;

export async function takeTextVote(
  db: Db,
  inbound: Pick<Inbound, 'channel' | 'sender' | 'chat'>,
  said: string,
  ctx: TextVoteContext,
): Promise<TextVoteAnswer | null> {
  const parsed = parseTextVote(said);
  if (!parsed) return null;
  const reply = (text: string): TextVoteAnswer => ({ reply: { type: 'text', text }, recorded: false });
  const poll = await findPollByCode(db, parsed.code);
  // With 投票 in front it is an answer whatever the code, and is never kept; without, it is one
  // only for a poll that is open or closed lately, and only with an answer the poll has (or a
  // number): "NEED help with overtime" stays an ordinary message.
  if (!poll) return parsed.prefixed ? reply(voteReplyBoth('unknown')) : null;
  if (!parsed.prefixed) {
    const recent =
      poll.status === 'open' || (poll.closedAt && ctx.now.getTime() - poll.closedAt.getTime() < recentMs);
    if (!recent) return null;
    if (parsed.answer && answerFromText(poll, parsed.answer) === null && !/^\d+$/.test(parsed.answer))
      return null;
  }
  if (inbound.chat.type === 'group') return reply(voteReplyBoth('answer_in_private'));
  if (!parsed.answer) {
    if (poll.status !== 'open')
      return reply(voteReplyBoth(poll.status === 'scheduled' ? 'not_open' : 'closed'));
    return { reply: pollMessage(pollView(poll), ctx.timeZone), recorded: false };
  }
  const answer = answerFromText(poll, parsed.answer);
  if (answer === null) return reply(voteReplyBoth('invalid_answer'));
  if (!(await allowVote(ctx.voteLimit, inbound))) return reply(voteReplyBoth('too_fast'));
  const result = await castVote(db, {
    pollId: poll.id,
    voter: inbound,
    chatId: inbound.chat.id,
    answer,
    ...(parsed.comment ? { comment: parsed.comment } : {}),
    now: ctx.now,
    timeZone: ctx.timeZone,
    keys: ctx.keys,
    ...(ctx.groupMember ? { groupMember: ctx.groupMember } : {}),
  });
  const ok = isCast(result.outcome);
  return {
    reply: {
      type: 'text',
      text: voteReply(
        result.outcome,
        result.lang,
        result.firstAnswer ? { url: privacyPageUrl(ctx.publicUrl) } : null,
      ),
    },
    recorded: ok,
  };
}
