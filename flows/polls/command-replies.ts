/**
 * What 投票 says back: the usage, refusals, the list of polls, the receipt of a new poll, and
 * the answers to closing and cancelling. Every text in both languages, shown in the reader's.
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import type { FlowContext } from '../engine/types.ts';
import type { PollActOutcome, PollBrief, PollDraft, PollRef } from './effects.ts';
import { kindLabels } from './kinds.ts';

export const pollText = {
  title: { zh: '匿名投票', en: 'Polls' },
  usage: {
    zh: [
      '用法：',
      '投票 —— 最近的投票',
      '投票 新建 问题 | 选项1 | 选项2 …（单选）',
      '投票 评分 问题（1–5 分） / 投票 推荐 问题（eNPS 0–10）',
      '末尾可加：天数=3 门槛=5 意见 意见门槛=10 提醒=24（开始后几小时） 全体',
      '在群里发起默认只发到本群，私聊中默认发给全体职工。',
      '投票 结果 编号 / 投票 结束 编号 / 投票 撤销 编号',
    ].join('\n'),
    en: [
      'Usage:',
      'poll — the latest polls',
      'poll new <question> | <option 1> | <option 2> … (single choice)',
      'poll rating <question> (1–5) / poll enps <question> (0–10)',
      'At the end, optionally: days=3 k=5 comments comment-k=10 remind=24 (hours after opening) everyone',
      'Started in a group it goes to that group; in a private chat, to everyone.',
      'poll results <no.> / poll close <no.> / poll cancel <no.>',
    ].join('\n'),
  },
  none: { zh: '还没有投票。', en: 'There are no polls yet.' },
  closesLine: (question: string, closes: string): L10n => ({
    zh: `${question}（${closes} 截止）`,
    en: `${question} (closes ${closes})`,
  }),
  status: {
    scheduled: { zh: '待开始', en: 'scheduled' },
    open: { zh: '进行中', en: 'open' },
    closed: { zh: '已结束', en: 'closed' },
    cancelled: { zh: '已撤销', en: 'cancelled' },
  } satisfies Record<PollBrief['status'], L10n>,
  question: { zh: '请写出投票的问题。', en: 'Write the question of the poll.' },
  questionLong: { zh: '问题最多 300 字。', en: 'The question may be 300 characters at most.' },
  optionLong: { zh: '每个选项 1–60 字。', en: 'Each option takes 1 to 60 characters.' },
  badSetting: (token: string): L10n => ({
    zh: `设置“${token}”有误：数值请写整数，如 天数=3、门槛=5。`,
    en: `The setting "${token}" is wrong: give a whole number, e.g. days=3, k=5.`,
  }),
  created: (no: number, code: string): L10n => ({
    zh: `已新建匿名投票 #${no} · ${code}`,
    en: `Anonymous poll #${no} · ${code} created`,
  }),
  kind: { zh: '类型', en: 'Kind' },
  options: { zh: '选项', en: 'Options' },
  audience: { zh: '发给', en: 'Sent to' },
  here: { zh: '本群', en: 'This group' },
  everyone: { zh: '全体职工', en: 'Everyone' },
  closesAt: { zh: '截止时间', en: 'Closes' },
  threshold: { zh: '公布门槛', en: 'Threshold' },
  people: (n: number): L10n => ({ zh: `${n} 人`, en: `${n} answers` }),
  comments: { zh: '意见', en: 'Comments' },
  commentsOn: (k: number): L10n => ({ zh: `收集，${k} 人以上写才公布`, en: `taken; shown from ${k}` }),
  commentsOff: { zh: '不收集', en: 'not taken' },
  reminder: { zh: '提醒', en: 'Reminder' },
  reminderAfter: (hours: string): L10n => ({
    zh: `开始 ${hours} 小时后提醒未作答的人`,
    en: `${hours} h after opening, to those who have not answered`,
  }),
  createdNote: (no: number): L10n => ({
    zh: `一分钟内开始。进行中不透露任何作答情况；结束后发送“投票 结果 ${no}”查看结果。`,
    en: `It opens within a minute. Nothing about the answers is shown while it is open; once closed, send "poll results ${no}".`,
  }),
  notFound: (ref: string): L10n => ({ zh: `没有投票 ${ref}。`, en: `There is no poll ${ref}.` }),
  notClosed: {
    zh: '投票结束后才能查看结果；进行中的投票不透露任何作答情况。',
    en: 'Results are available once the poll has closed; nothing about an open poll is shown.',
  },
  cancelledNoResults: { zh: '这项投票已撤销，没有结果。', en: 'This poll was cancelled; it has no results.' },
  notOpen: { zh: '只有进行中的投票可以提前结束。', en: 'Only an open poll can be closed early.' },
  notCancellable: {
    zh: '只有尚未结束的投票可以撤销。',
    en: 'Only a poll that has not closed can be cancelled.',
  },
  notYours: {
    zh: '只有发起这项投票的干部或管理员可以结束或撤销它。',
    en: 'Only the officer who started this poll, or an admin, can close or cancel it.',
  },
  closed: (no: number, code: string): L10n => ({
    zh: `已提前结束投票 #${no} · ${code}。结果按门槛发到各群和负责的干部；发送“投票 结果 ${no}”查看。`,
    en: `Poll #${no} · ${code} is closed. Results go out to its groups and officers as the threshold allows; send "poll results ${no}".`,
  }),
  cancelled: (no: number, code: string): L10n => ({
    zh: `已撤销投票 #${no} · ${code}。已收到的回答全部删除，不公布结果。`,
    en: `Poll #${no} · ${code} is cancelled. Its answers are deleted and no results are given.`,
  }),
};

export const refText = (ref: PollRef) => ('no' in ref ? `#${ref.no}` : ref.code);

export function listMessage(items: readonly PollBrief[], ctx: FlowContext): Outbound {
  const say = (l: L10n) => t(ctx.lang, l);
  if (items.length === 0) return { type: 'text', text: `${say(pollText.none)}\n${say(pollText.usage)}` };
  return {
    type: 'summary',
    title: say(pollText.title),
    fields: items.map((poll) => ({
      label: `#${poll.no} · ${poll.code} · ${say(pollText.status[poll.status])}`,
      value: say(pollText.closesLine(poll.question, formatTime(poll.closesAt, ctx.timeZone))),
    })),
    text: say(pollText.usage),
  };
}

export function createdMessage(
  draft: PollDraft,
  result: { poll: PollBrief; audience: 'here' | 'everyone' },
  ctx: FlowContext,
): Outbound {
  const say = (l: L10n) => t(ctx.lang, l);
  const { spec } = draft;
  const { poll } = result;
  const hours = spec.remindAfterMinutes === null ? null : String(spec.remindAfterMinutes / 60);
  return {
    type: 'summary',
    tone: 'success',
    title: say(pollText.created(poll.no, poll.code)),
    fields: [
      { label: say({ zh: '问题', en: 'Question' }), value: poll.question },
      { label: say(pollText.kind), value: say(kindLabels[spec.kind]) },
      ...(spec.kind === 'single'
        ? [{ label: say(pollText.options), value: spec.options.map((o, i) => `${i + 1}. ${o}`).join('\n') }]
        : []),
      {
        label: say(pollText.audience),
        value: say(result.audience === 'here' ? pollText.here : pollText.everyone),
      },
      { label: say(pollText.closesAt), value: formatTime(poll.closesAt, ctx.timeZone) },
      { label: say(pollText.threshold), value: say(pollText.people(spec.threshold)) },
      {
        label: say(pollText.comments),
        value: say(spec.allowComment ? pollText.commentsOn(spec.commentThreshold) : pollText.commentsOff),
      },
      ...(hours ? [{ label: say(pollText.reminder), value: say(pollText.reminderAfter(hours)) }] : []),
    ],
    text: say(pollText.createdNote(poll.no)),
  };
}

export function actMessage(
  outcome: PollActOutcome,
  ref: PollRef,
  done: (no: number, code: string) => L10n,
  lang: Lang,
): Outbound {
  if (outcome.ok) return { type: 'text', text: t(lang, done(outcome.poll.no, outcome.poll.code)) };
  const why = {
    not_found: pollText.notFound(refText(ref)),
    not_yours: pollText.notYours,
    not_open: pollText.notOpen,
    not_cancellable: pollText.notCancellable,
  }[outcome.reason];
  return { type: 'text', text: t(lang, why) };
}
