/**
 * 附议: the invitation a delegate gets, with 附议/不附议 buttons, and the command that answers it
 * ("附议 TA-2026-0001 同意" / "附议 TA-2026-0001 不同意").
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { rolesFor } from '../access/rules.ts';
import type { EffectResults } from '../effects.ts';
import { encodeAction } from '../engine/actions.ts';
import type { CommandDef } from '../engine/types.ts';
import { finish, finishWith } from '../engine/types.ts';

const pattern =
  /^(?:附议|cosign|co-sign)\s+([A-Za-z]{2}-\d{4}-\d{4,6})\s+(同意|不同意|附议|不附议|yes|no|accept|decline)$/i;

const text = {
  title: { zh: '附议', en: 'Co-sign' },
  inviteTitle: { zh: '邀请您附议职代会提案', en: 'You are invited to co-sign a congress motion' },
  by: { zh: '提案人', en: 'Proposed by' },
  reasons: { zh: '案由', en: 'Reasons' },
  measures: { zh: '措施', en: 'Measures' },
  due: { zh: '附议截止', en: 'Closes' },
  accept: { zh: '附议', en: 'Co-sign' },
  decline: { zh: '不附议', en: 'Decline' },
  usage: {
    zh: '用法：附议 编号 同意/不同意，如“附议 TA-2026-0001 同意”。',
    en: 'Usage: cosign <reference> yes/no, e.g. "cosign TA-2026-0001 yes".',
  },
  thanks: (ref: string, accepted: number, needed: number): L10n => ({
    zh: `已记录您对 ${ref} 的附议（目前 ${accepted}/${needed} 位）。`,
    en: `Your co-signature on ${ref} is recorded (${accepted} of ${needed} so far).`,
  }),
  declined: (ref: string): L10n => ({
    zh: `已记录：您不附议 ${ref}。`,
    en: `Recorded: you do not co-sign ${ref}.`,
  }),
  notFound: (ref: string): L10n => ({ zh: `找不到提案 ${ref}。`, en: `No motion has the reference ${ref}.` }),
  notInvited: (ref: string): L10n => ({
    zh: `您没有被邀请附议 ${ref}。`,
    en: `You were not invited to co-sign ${ref}.`,
  }),
  own: { zh: '不能附议自己的提案。', en: 'You cannot co-sign your own motion.' },
  already: (ref: string): L10n => ({
    zh: `您已经回复过 ${ref} 的附议邀请。`,
    en: `You have already answered the invitation to ${ref}.`,
  }),
  closed: (ref: string): L10n => ({ zh: `${ref} 的附议已经截止。`, en: `Co-signing ${ref} has closed.` }),
};

export function cosignInvitation(
  motion: {
    referenceCode: string;
    title: string;
    reasons: string;
    measures: string;
    author: string;
    dueAt: Date;
  },
  lang: Lang,
  timeZone: string,
): Outbound {
  const action = (answer: string) =>
    encodeAction({ k: 'cmd', c: 'cosign', a: `附议 ${motion.referenceCode} ${answer}` });
  return {
    type: 'choices',
    text: [
      `${t(lang, text.inviteTitle)}：${motion.referenceCode}「${motion.title}」`,
      `${t(lang, text.by)}：${motion.author}`,
      `${t(lang, text.reasons)}：${[...motion.reasons].slice(0, 300).join('')}`,
      `${t(lang, text.measures)}：${[...motion.measures].slice(0, 300).join('')}`,
      `${t(lang, text.due)}：${formatTime(motion.dueAt, timeZone)}`,
    ].join('\n'),
    choices: [
      { label: t(lang, text.accept), value: action('同意') },
      { label: t(lang, text.decline), value: action('不同意') },
    ],
  };
}

function answerText(result: EffectResults['motion.cosign'], ref: string, accept: boolean): L10n {
  if (result.ok) return accept ? text.thanks(ref, result.accepted, result.needed) : text.declined(ref);
  return {
    not_found: text.notFound(ref),
    not_invited: text.notInvited(ref),
    own: text.own,
    already: text.already(ref),
    closed: text.closed(ref),
  }[result.reason];
}

export const cosignCommand: CommandDef = {
  name: 'cosign',
  title: text.title,
  words: ['附议', 'cosign'],
  roles: rolesFor('motion.cosign'),
  matches: (said) => pattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const match = pattern.exec(normalizeText(said));
    if (!match) return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.usage) }]);
    const referenceCode = match[1]!.toUpperCase();
    const accept = /^(同意|附议|yes|accept)$/i.test(match[2]!);
    return finish({ type: 'motion.cosign', referenceCode, accept }, (result, ctx) => [
      { type: 'text', text: t(ctx.lang, answerText(result, referenceCode, accept)) },
    ]);
  },
};

/** What the author is told when the motion has its co-signers, is converted, or gets more time. */
export const motionNotices = {
  extended: (ref: string, due: Date, reason: string, lang: Lang, timeZone: string): Outbound => ({
    type: 'summary',
    title: lang === 'zh' ? '提案答复期限已延长' : 'More time for the answer to your motion',
    fields: [
      { label: lang === 'zh' ? '提案' : 'Motion', value: ref },
      { label: lang === 'zh' ? '新的期限' : 'New deadline', value: formatTime(due, timeZone) },
      { label: lang === 'zh' ? '原因' : 'Reason', value: reason },
    ],
  }),
  enough: (ref: string, n: number, lang: Lang): Outbound => ({
    type: 'text',
    text:
      lang === 'zh'
        ? `您的提案 ${ref} 已有 ${n} 位代表附议，已提交审查。`
        : `Your motion ${ref} has ${n} co-signers and has gone to review.`,
  }),
  converted: (ref: string, accepted: number, needed: number, suggestion: string, lang: Lang): Outbound => ({
    type: 'summary',
    tone: 'warning',
    title: lang === 'zh' ? '提案已转为合理化建议' : 'Motion converted to a suggestion',
    fields: [
      { label: lang === 'zh' ? '提案' : 'Motion', value: ref },
      { label: lang === 'zh' ? '建议编号' : 'Suggestion', value: suggestion },
    ],
    text:
      lang === 'zh'
        ? `截止时附议人数为 ${accepted} 位，未达到 ${needed} 位，按规定转为合理化建议办理，您会照常收到进展。`
        : `It had ${accepted} co-signers at the deadline, fewer than ${needed}, so it is handled as a suggestion instead; you will be told as it moves.`,
  }),
};
