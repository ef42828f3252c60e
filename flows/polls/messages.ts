/**
 * Polls as messages: the question with its answers (the same for everyone who gets it, in both
 * languages, so a group and a reminder say exactly the same thing to each person), the results,
 * and what a voter is told after voting. Pure.
 */
import type { VoteOutcome } from '../../bots/core/intake.ts';
import type { Field, Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import type { Disclosed } from './disclosure.ts';
import { answerLabel, answerValues, maxCommentLength, type PollKind, scaleNotes } from './kinds.ts';

export interface PollView {
  id: string;
  no: number;
  code: string;
  question: string;
  kind: PollKind;
  options: readonly string[];
  allowComment: boolean;
  closesAt: string;
  threshold: number;
}

/** Both languages, Chinese first: for text everyone in a group reads alike. */
const both = (text: L10n) => `${text.zh} / ${text.en}`;

const text = {
  title: { zh: '匿名投票', en: 'Anonymous poll' },
  reminder: {
    zh: '提醒：这项匿名投票还没有收到您的回答。',
    en: 'Reminder: this anonymous poll has not had your answer yet.',
  },
  comment: { zh: '匿名意见（可选），输入后按回车', en: 'Anonymous comment (optional), press Enter' },
  footer: (closes: string, k: number) => ({
    zh: `${closes} 截止 · 不记录身份，达到 ${k} 人作答才公布结果`,
    en: `closes ${closes} · identities are not stored; results only with ${k} or more answers`,
  }),
  howTo: (code: string) => ({
    zh: `请私聊我回复“${code} 序号”作答（可在后面加意见），不要在群里回复。`,
    en: `Answer in a private chat with me: "${code} number" (a comment may follow). Do not answer in the group.`,
  }),
  resultsTitle: { zh: '投票结果', en: 'Poll results' },
  question: { zh: '问题', en: 'Question' },
  answers: { zh: '作答人数', en: 'Answers' },
  mean: { zh: '平均分', en: 'Mean' },
  enps: { zh: 'eNPS', en: 'eNPS' },
  tooFew: (k: number) => ({
    zh: `作答人数不足 ${k} 人，为保护匿名，不公布结果。`,
    en: `Fewer than ${k} people answered; to protect anonymity the results are not shown.`,
  }),
  overlap: (no: number, k: number) => ({
    zh: `这次投票问到的人与近期已公布结果的第 ${no} 号投票相差不到 ${k} 人，两份结果相减可能推算出个别人的回答。为保护匿名，不公布结果。`,
    en: `The people asked differ by fewer than ${k} from those of poll #${no}, published lately; subtracting one result from the other could reveal a few people’s answers. To protect anonymity the results are not shown.`,
  }),
  comments: (n: number) => ({ zh: `意见（${n} 条，顺序已打乱）`, en: `Comments (${n}, in random order)` }),
  commentsWithheld: (k: number) => ({
    zh: `写意见的人不足 ${k} 人，意见不公布。`,
    en: `Fewer than ${k} people wrote a comment; comments are not shown.`,
  }),
  segment: (label: string) => ({ zh: `分群：${label}`, en: `Group: ${label}` }),
  otherSegment: { zh: '其他（私聊等）', en: 'Other (private chats)' },
};

/** Why a closed poll's results are not shown: too few answered, or its audience overlaps a published poll's. */
export function withheldText(results: Disclosed, threshold: number): L10n {
  return results.withheld === 'overlap' && results.overlapsPoll !== undefined
    ? text.overlap(results.overlapsPoll, threshold)
    : text.tooFew(threshold);
}

/** The poll as it is posted, and as it is sent again with a reminder (then with the reminder's line). */
export function pollMessage(poll: PollView, timeZone: string, opts: { reminder?: boolean } = {}): Outbound {
  const closes = formatTime(poll.closesAt, timeZone);
  return {
    type: 'poll',
    pollId: poll.id,
    code: poll.code,
    title: `${both(text.title)} · ${poll.code}`,
    ...(opts.reminder ? { notice: both(text.reminder) } : {}),
    question: poll.question,
    ...(poll.kind === 'single' ? {} : { scale: both(scaleNotes[poll.kind]) }),
    answers: answerValues(poll).map((answer) => ({
      label: poll.kind === 'single' ? `${answer}. ${answerLabel(poll, answer)}` : String(answer),
      answer,
    })),
    ...(poll.allowComment ? { comment: both(text.comment) } : {}),
    footer: both(text.footer(closes, poll.threshold)),
    howToAnswer: both(text.howTo(poll.code)),
  };
}

/** A bar of ten blocks for a share in [0, 1]. */
export function bar(share: number): string {
  const full = Math.round(Math.max(0, Math.min(1, share)) * 10);
  return `${'█'.repeat(full)}${'░'.repeat(10 - full)}`;
}

const percent = (n: number, total: number) => (total === 0 ? 0 : Math.round((n / total) * 100));

function countFields(poll: PollView, counts: Record<string, number>, total: number): Field[] {
  return answerValues(poll).map((answer) => {
    const n = counts[String(answer)] ?? 0;
    return {
      label: answerLabel(poll, answer),
      value: `${bar(n / Math.max(1, total))} ${n} · ${percent(n, total)}%`,
    };
  });
}

/**
 * The results card. Groups get the totals; officers also get the comments and the breakdown by
 * group, where the thresholds allow them.
 */
export function resultsMessage(
  poll: PollView & { commentThreshold: number },
  results: Disclosed,
  lang: Lang | 'both',
  opts: { forOfficers: boolean },
): Outbound {
  const say = (l: L10n) => (lang === 'both' ? both(l) : t(lang, l));
  const head: Field[] = [{ label: say(text.question), value: poll.question }];
  if (!results.shown || !results.counts) {
    return {
      type: 'summary',
      title: `${say(text.resultsTitle)} · ${poll.code}`,
      fields: head,
      text: say(withheldText(results, poll.threshold)),
      tone: 'warning',
    };
  }
  const fields: Field[] = [
    ...head,
    { label: say(text.answers), value: String(results.answers) },
    ...(poll.kind === 'rating' && results.score != null
      ? [{ label: say(text.mean), value: `${results.score.toFixed(2)} / 5` }]
      : []),
    ...(poll.kind === 'enps' && results.score != null
      ? [{ label: say(text.enps), value: `${results.score > 0 ? '+' : ''}${results.score}` }]
      : []),
    ...countFields(poll, results.counts, results.answers),
  ];
  const lines: string[] = [];
  if (opts.forOfficers) {
    for (const segment of results.segments ?? []) {
      const label = segment.label || say(text.otherSegment);
      fields.push({
        label: say(text.segment(label)),
        value: answerValues(poll)
          .map((a) => `${answerLabel(poll, a)} ${percent(segment.counts[String(a)] ?? 0, segment.answers)}%`)
          .concat(`(${segment.answers})`)
          .join(' · '),
      });
    }
    if (poll.allowComment) {
      if (results.comments) {
        lines.push(say(text.comments(results.comments.length)));
        for (const comment of results.comments.slice(0, 30)) lines.push(`· ${comment}`);
      } else lines.push(say(text.commentsWithheld(poll.commentThreshold)));
    }
  }
  return {
    type: 'summary',
    title: `${say(text.resultsTitle)} · ${poll.code}`,
    fields,
    ...(lines.length > 0 ? { text: lines.join('\n') } : {}),
    tone: 'info',
  };
}

/** What the voter alone is told after a vote: the intake port's outcomes. */
export type { VoteOutcome };

export const voteReplies: Record<VoteOutcome, L10n> = {
  recorded: {
    zh: '已匿名记录您的回答，只有您看得到这条确认。',
    en: 'Your answer is recorded anonymously; only you see this.',
  },
  // The same whether the answer differs from the one before or not: whoever holds the phone cannot
  // learn the earlier answer by pressing each in turn.
  replaced: {
    zh: '已记录您这次的回答，之前的回答不再计入。',
    en: 'Your answer is recorded; any earlier one no longer counts.',
  },
  commented: { zh: '已匿名记录您的意见。', en: 'Your comment is recorded anonymously.' },
  unknown: { zh: '没有这项投票。', en: 'There is no such poll.' },
  not_open: { zh: '这项投票还没有开始。', en: 'This poll has not opened yet.' },
  closed: { zh: '这项投票已经结束，不能再作答。', en: 'This poll has closed; answers are no longer taken.' },
  invalid_answer: {
    zh: '没有这个选项，请按卡片上的选项作答。',
    en: 'That is not one of the answers; use the ones on the card.',
  },
  comment_not_allowed: { zh: '这项投票不收集意见。', en: 'This poll does not take comments.' },
  comment_needs_vote: {
    zh: '请先选择一个答案，再写意见。',
    en: 'Choose an answer first, then add a comment.',
  },
  comment_too_long: {
    zh: `意见最多 ${maxCommentLength} 字。`,
    en: `A comment may be ${maxCommentLength} characters at most.`,
  },
  not_asked: {
    zh: '这项投票没有发给您，不能作答。',
    en: 'This poll was not sent to you, so you cannot answer it.',
  },
  answer_in_private: {
    zh: '为保护匿名，请在与我的私聊中作答，不要在群里回复；群里的这条回答没有记录。',
    en: 'To stay anonymous, answer in a private chat with me, not in the group; this answer was not recorded.',
  },
  too_fast: {
    zh: '您作答太频繁了，这次没有记录，请稍等一分钟再试。',
    en: 'You are answering too fast; this answer was not recorded. Please wait a minute and try again.',
  },
};

/** Whether the vote is in the poll after this outcome (the others are refusals, which cast nothing). */
export function isCast(outcome: VoteOutcome): boolean {
  return outcome === 'recorded' || outcome === 'replaced' || outcome === 'commented';
}

/** The reply, with the privacy statement's short form and its page on a person's first answer to a poll. */
export function voteReply(outcome: VoteOutcome, lang: Lang, firstAnswer: { url: string } | null): string {
  const reply = t(lang, voteReplies[outcome]);
  return firstAnswer ? `${reply}\n${anonymityNote(lang, firstAnswer.url)}` : reply;
}

/** What is stored of an answer and who can see it, short, with the privacy page. */
export function anonymityNote(lang: Lang, url: string): string {
  return t(lang, {
    zh: `匿名说明：只保存答案和日期，不保存您是谁；投票结束后密钥删除，任何人都查不出谁投了什么。详见 ${url}`,
    en: `About anonymity: only the answer and the day are stored, not who you are; when the poll closes its key is deleted and no one can tell who voted what. More: ${url}`,
  });
}

/** A refusal before the voter is known (their language too): both languages. */
export function voteReplyBoth(outcome: VoteOutcome): string {
  return `${voteReplies[outcome].zh}\n${voteReplies[outcome].en}`;
}
