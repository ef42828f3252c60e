/**
 * What the intake asks of polls, whichever channel a vote came by: a poll answered (or asked for)
 * by its code typed in a chat, a vote given by a button or form, and the note on anonymity. The
 * voter becomes a token before anything is stored (votes.ts); nothing here logs or keeps them.
 */
import { anonymityNote, isCast, voteReply } from '../../../flows/polls/messages.ts';
import { privacyText } from '../../../flows/polls/privacy.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import type { Lang } from '../../../kernel/l10n.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import type { PersonLimit } from '../../pipeline/flood-guard.ts';
import type { PollHook } from '../../pipeline/intake.ts';
import type { GroupMember } from './store.ts';
import { privacyPageUrl, takeTextVote } from './text-votes.ts';
import { allowVote } from './vote-limit.ts';
import { castVote } from './votes.ts';

/** The hook's own parts, besides the context. */
interface PollHookOptions {
  /** Refuses a person's poll answers past so many a minute, whichever way they answer. */
  voteLimit?: PersonLimit;
  /** Whether someone answering by code in private is in a group the poll was posted to. */
  groupMember?: GroupMember;
}

export function createPollHook(
  ctx: Pick<Ctx, 'db' | 'now' | 'timeZone' | 'keys' | 'publicUrl'>,
  options: PollHookOptions = {},
): PollHook {
  const { voteLimit, groupMember } = options;
  return {
    byCode: (inbound, said) =>
      takeTextVote(ctx.db, inbound, said, {
        now: ctx.now(),
        timeZone: ctx.timeZone,
        publicUrl: ctx.publicUrl,
        keys: ctx.keys,
        ...(groupMember ? { groupMember } : {}),
        ...(voteLimit ? { voteLimit } : {}),
      }),

    async byButton(request) {
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
          : !(await allowVote(voteLimit, request.voter))
            ? refused('too_fast')
            : await castVote(ctx.db, {
                pollId: request.pollId,
                voter: request.voter,
                chatId: request.chatId,
                ...(request.answer !== undefined ? { answer: request.answer } : {}),
                ...(request.comment !== undefined ? { comment: request.comment } : {}),
                now: request.at,
                timeZone: ctx.timeZone,
                keys: ctx.keys,
              });
      const first = result.firstAnswer ? { url: privacyPageUrl(ctx.publicUrl) } : null;
      const reply = (lang: Lang) => voteReply(result.outcome, lang, first);
      return {
        outcome: result.outcome,
        cast: isCast(result.outcome),
        lang: result.lang,
        reply: { zh: reply('zh'), en: reply('en') },
        ...(result.firstAnswer ? { privacy: privacyText(result.lang) } : {}),
      };
    },

    anonymityNote() {
      const url = privacyPageUrl(ctx.publicUrl);
      return { zh: anonymityNote('zh', url), en: anonymityNote('en', url) };
    },
  };
}
