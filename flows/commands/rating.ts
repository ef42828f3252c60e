/**
 * 满意度: once an item closes, the person who raised it is asked to rate it — 满意, 基本满意 or
 * 不满意 — by a button on the notice, or by typing "评价 JY-2026-0001 不满意 还没有解决" with an
 * optional comment. "评价" alone lists the items waiting for a rating.
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { charCount, normalizeText } from '../../kernel/text.ts';
import { encodeAction } from '../engine/actions.ts';
import type { CommandDef, FlowContext } from '../engine/types.ts';
import { finish, finishWith } from '../engine/types.ts';
import type { RateOutcome } from './item-effects.ts';

export const ratings = [1, 2, 3] as const;
export type Rating = (typeof ratings)[number];

export const ratingLabels: Record<Rating, L10n> = {
  1: { zh: '满意', en: 'Satisfied' },
  2: { zh: '基本满意', en: 'Mostly satisfied' },
  3: { zh: '不满意', en: 'Dissatisfied' },
};

const ratingWords: Record<Rating, readonly string[]> = {
  1: ['满意', '1', 'satisfied', 'good'],
  2: ['基本满意', '2', 'mostly satisfied', 'mostly', 'ok'],
  3: ['不满意', '3', 'dissatisfied', 'unsatisfied', 'bad'],
};

export const maxRatingComment = 500;

const text = {
  title: { zh: '评价', en: 'Rate' },
  ask: (ref: string, title: string): L10n => ({
    zh: `您的事项 ${ref}“${title}”已办结。您对办理结果满意吗？`,
    en: `Your item ${ref} "${title}" is closed. Are you satisfied with how it was handled?`,
  }),
  hint: (ref: string): L10n => ({
    zh: `也可回复“评价 ${ref} 不满意 您的意见”附上说明（最多 ${maxRatingComment} 字）。`,
    en: `You can also reply "rate ${ref} dissatisfied <your comment>" (at most ${maxRatingComment} characters).`,
  }),
  thanks: (ref: string, rating: Rating): L10n => ({
    zh: `感谢您的评价：${ref} ${ratingLabels[rating].zh}。您的意见会转给负责的工会干部。`,
    en: `Thank you for rating ${ref}: ${ratingLabels[rating].en}. The officers in charge will see it.`,
  }),
  notFound: (ref: string): L10n => ({
    zh: `没有找到您提交的编号为 ${ref} 的事项。`,
    en: `None of your items has the reference ${ref}.`,
  }),
  notClosed: (ref: string): L10n => ({
    zh: `${ref} 还没有办结，办结后再请您评价。`,
    en: `${ref} is not closed yet; you will be asked to rate it once it is.`,
  }),
  already: (ref: string): L10n => ({
    zh: `${ref} 已经评价过了，每个事项只能评价一次。`,
    en: `${ref} has already been rated; each item is rated once.`,
  }),
  badRating: (word: string): L10n => ({
    zh: `“${word}”不是评价。请用：满意、基本满意 或 不满意。`,
    en: `"${word}" is not a rating. Use: satisfied, mostly satisfied or dissatisfied.`,
  }),
  tooLong: (given: number): L10n => ({
    zh: `说明过长：最多 ${maxRatingComment} 字，您写了 ${given} 字。`,
    en: `The comment is too long: at most ${maxRatingComment} characters, yours has ${given}.`,
  }),
  none: { zh: '目前没有等待您评价的事项。', en: 'Nothing is waiting for your rating.' },
  usage: {
    zh: '用法：评价 编号 满意/基本满意/不满意 [说明]，如“评价 JY-2026-0001 满意”。',
    en: 'Usage: rate <reference> satisfied/mostly satisfied/dissatisfied [comment], e.g. "rate JY-2026-0001 satisfied".',
  },
};

/** The question sent when an item closes, with one button per rating. */
export function ratingPrompt(item: { referenceCode: string; title: string }, lang: Lang): Outbound {
  return {
    type: 'choices',
    text: t(lang, text.ask(item.referenceCode, item.title)),
    choices: ratings.map((rating) => ({
      label: t(lang, ratingLabels[rating]),
      value: encodeAction({ k: 'cmd', c: 'rate', a: `评价 ${item.referenceCode} ${rating}` }),
    })),
    hint: t(lang, text.hint(item.referenceCode)),
  };
}

const pattern = /^(?:评价|rate)(?:\s+([A-Za-z]{2}-\d{4}-\d{4,6}))?(?:\s+(.*))?$/is;

/** The rating word at the start of `rest` (longest first, so 基本满意 is not read as 满意…), and what follows. */
function splitRating(rest: string): { rating: Rating; comment: string } | null {
  const lowered = rest.toLowerCase();
  const candidates = ratings
    .flatMap((rating) => ratingWords[rating].map((word) => ({ rating, word })))
    .sort((a, b) => b.word.length - a.word.length);
  for (const { rating, word } of candidates) {
    if (
      lowered === word ||
      lowered.startsWith(`${word} `) ||
      (/^[\u4e00-\u9fff]/.test(word) && lowered.startsWith(word))
    ) {
      return { rating, comment: rest.slice(word.length).trim() };
    }
  }
  return null;
}

export type ParsedRating =
  | { kind: 'list' }
  | { kind: 'usage' }
  | { kind: 'bad_rating'; word: string }
  | { kind: 'too_long'; given: number }
  | { kind: 'rate'; referenceCode: string; rating: Rating; comment: string };

export function parseRating(said: string): ParsedRating {
  const match = pattern.exec(normalizeText(said));
  if (!match) return { kind: 'usage' };
  const [, ref, rest = ''] = match;
  if (!ref) return rest.trim() === '' ? { kind: 'list' } : { kind: 'usage' };
  if (rest.trim() === '') return { kind: 'usage' };
  const split = splitRating(rest.trim());
  if (!split) return { kind: 'bad_rating', word: [...rest.trim().split(/\s+/)[0]!].slice(0, 10).join('') };
  const given = charCount(split.comment);
  if (given > maxRatingComment) return { kind: 'too_long', given };
  return { kind: 'rate', referenceCode: ref.toUpperCase(), rating: split.rating, comment: split.comment };
}

function outcomeText(outcome: RateOutcome, referenceCode: string, rating: Rating): L10n {
  if (outcome.ok) return text.thanks(referenceCode, rating);
  return { not_found: text.notFound, not_closed: text.notClosed, already_rated: text.already }[
    outcome.reason
  ](referenceCode);
}

export const rateCommand: CommandDef = {
  name: 'rate',
  title: text.title,
  words: ['评价', '满意度', 'rate'],
  matches: (said) => /^(评价|rate)\s+[A-Za-z]{2}-\d{4}-\d{4,6}\b/i.test(normalizeText(said)),
  run: (_ctx, said) => {
    const parsed = parseRating(said === 'rate' ? '评价' : said);
    const say = (words: L10n) => finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, words) }]);
    switch (parsed.kind) {
      case 'usage':
        return say(text.usage);
      case 'bad_rating':
        return say(text.badRating(parsed.word));
      case 'too_long':
        return say(text.tooLong(parsed.given));
      case 'list':
        return finish({ type: 'items.awaiting_rating', limit: 3 }, ({ items }, ctx: FlowContext) =>
          items.length === 0
            ? [{ type: 'text', text: t(ctx.lang, text.none) }]
            : items.map((i) => ratingPrompt(i, ctx.lang)),
        );
      case 'rate': {
        const { referenceCode, rating, comment } = parsed;
        return finish({ type: 'item.rate', referenceCode, rating, comment }, (outcome, ctx) => [
          { type: 'text', text: t(ctx.lang, outcomeText(outcome, referenceCode, rating)) },
        ]);
      }
    }
  },
};
