/**
 * 投票/poll (officers and admins): list the latest polls, start one ("投票 新建 问题 | 选项1 |
 * 选项2 天数=3"), read a closed poll's results, close one early or cancel it. What is typed is
 * read and checked here against the poll rules (spec.ts), so a refused poll writes nothing.
 */

import { type L10n, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { rolesFor } from '../access/rules.ts';
import type { CommandDef, FlowContext } from '../engine/types.ts';
import { finish, finishWith } from '../engine/types.ts';
import { actMessage, createdMessage, listMessage, refText, pollText as text } from './command-replies.ts';
import type { PollDraft, PollRef } from './effects.ts';
import { maxOptions, type PollKind } from './kinds.ts';
import { resultsMessage } from './messages.ts';
import { checkPollSpec, maxDurationMinutes, pollSpec, specText } from './spec.ts';
import { codeAlphabet, codeLength } from './text-vote.ts';

type Verb = 'list' | 'usage' | 'create' | 'results' | 'close' | 'cancel';

const verbs: Record<string, { verb: Verb; kind?: PollKind }> = {
  列表: { verb: 'list' },
  list: { verb: 'list' },
  帮助: { verb: 'usage' },
  用法: { verb: 'usage' },
  help: { verb: 'usage' },
  新建: { verb: 'create', kind: 'single' },
  单选: { verb: 'create', kind: 'single' },
  new: { verb: 'create', kind: 'single' },
  评分: { verb: 'create', kind: 'rating' },
  rating: { verb: 'create', kind: 'rating' },
  推荐: { verb: 'create', kind: 'enps' },
  推荐度: { verb: 'create', kind: 'enps' },
  enps: { verb: 'create', kind: 'enps' },
  结果: { verb: 'results' },
  results: { verb: 'results' },
  result: { verb: 'results' },
  结束: { verb: 'close' },
  close: { verb: 'close' },
  撤销: { verb: 'cancel' },
  cancel: { verb: 'cancel' },
};

export type PollRequest =
  | { kind: 'list' }
  | { kind: 'usage' }
  | { kind: 'create'; draft: PollDraft }
  /** A poll that breaks a rule: nothing is written, the reason is told. */
  | { kind: 'refused'; reason: L10n }
  | { kind: 'results' | 'close' | 'cancel'; ref: PollRef };

const commandPattern = /^(?:投票|poll|polls)(?:\s+(\S+)(?:\s+([\s\S]*))?)?$/i;
const codePattern = new RegExp(`^[${codeAlphabet}]{${codeLength}}$`, 'i');

/** A poll by its number (3, #3) or its code (K7Q3). */
function refOf(word: string): PollRef | null {
  if (/^#?\d{1,9}$/.test(word)) return { no: Number(word.replace('#', '')) };
  return codePattern.test(word) ? { code: word.toUpperCase() } : null;
}

type Setting = 'days' | 'threshold' | 'commentThreshold' | 'remindHours';
type Flag = 'comments' | 'everyone';

const settingKeys: Record<string, Setting> = {
  天数: 'days',
  days: 'days',
  门槛: 'threshold',
  k: 'threshold',
  意见门槛: 'commentThreshold',
  'comment-k': 'commentThreshold',
  提醒: 'remindHours',
  remind: 'remindHours',
};

const flagWords: Record<string, Flag> = {
  意见: 'comments',
  comments: 'comments',
  全体: 'everyone',
  everyone: 'everyone',
};

const settingPattern = /^([^=＝]+)[=＝](.*)$/;

/** Whether a word at the end is one of the settings (a known key with any value, or a flag). */
function isSetting(token: string): boolean {
  const lower = token.toLowerCase();
  if (flagWords[lower]) return true;
  const match = settingPattern.exec(lower);
  return match !== null && settingKeys[match[1]!] !== undefined;
}

/** The settings written at the end of the text, and the text before them. */
function peelSettings(body: string): { rest: string; tokens: string[] } {
  let rest = body.trim();
  const tokens: string[] = [];
  for (;;) {
    const match = /(?:^|\s+)(\S+)$/.exec(rest);
    if (!match || !isSetting(match[1]!)) break;
    tokens.unshift(match[1]!);
    rest = rest.slice(0, match.index).trimEnd();
  }
  return { rest, tokens };
}

interface Settings {
  days: number;
  threshold?: number;
  commentThreshold?: number;
  remindHours?: number;
  comments: boolean;
  everyone: boolean;
}

function readSettings(tokens: readonly string[]): Settings | { bad: string } {
  const settings: Settings = { days: 3, comments: false, everyone: false };
  for (const token of tokens) {
    const lower = token.toLowerCase();
    const flag = flagWords[lower];
    if (flag === 'comments') settings.comments = true;
    else if (flag === 'everyone') settings.everyone = true;
    else {
      const [, key, value] = settingPattern.exec(lower)!;
      if (!/^\d{1,6}$/.test(value!.trim())) return { bad: token };
      const n = Number(value);
      const setting = settingKeys[key!]!;
      if ((setting === 'days' || setting === 'remindHours') && n < 1) return { bad: token };
      if (setting === 'days') settings.days = n;
      else if (setting === 'remindHours') settings.remindHours = n;
      else if (setting === 'threshold') settings.threshold = n;
      else {
        settings.commentThreshold = n;
        // A comment threshold is only given for a poll that takes comments.
        settings.comments = true;
      }
    }
  }
  return settings;
}

/** The first rule a spec breaks, as zod reports it, in words. */
function specProblem(path: readonly PropertyKey[]): L10n {
  const [field] = path;
  if (field === 'question') return text.questionLong;
  if (field === 'options') return path.length > 1 ? text.optionLong : specText.options;
  if (field === 'threshold' || field === 'commentThreshold') return specText.threshold;
  if (field === 'remindAfterMinutes') return specText.reminder;
  return specText.duration;
}

function readCreate(kind: PollKind, body: string, chatType: FlowContext['chatType']): PollRequest {
  const { rest, tokens } = peelSettings(body);
  const settings = readSettings(tokens);
  if ('bad' in settings) return { kind: 'refused', reason: text.badSetting(settings.bad) };
  const parts = rest.split(/[|｜]/).map((part) => part.trim());
  // "问题 | A | B | 天数=3": settings after a bar of their own leave an empty last part.
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  const [question = '', ...options] = parts;
  if (question === '') return { kind: 'refused', reason: text.question };
  if (options.length > maxOptions) return { kind: 'refused', reason: specText.options };
  const durationMinutes = settings.days * 24 * 60;
  if (durationMinutes > maxDurationMinutes) return { kind: 'refused', reason: specText.duration };
  const parsed = pollSpec.safeParse({
    question,
    kind,
    options,
    allowComment: settings.comments,
    // Checked here only for its shape; the chat decides where it goes.
    audience: { kind: 'everyone' },
    ...(settings.threshold !== undefined ? { threshold: settings.threshold } : {}),
    ...(settings.commentThreshold !== undefined ? { commentThreshold: settings.commentThreshold } : {}),
    remindAfterMinutes: settings.remindHours !== undefined ? settings.remindHours * 60 : null,
  });
  if (!parsed.success) return { kind: 'refused', reason: specProblem(parsed.error.issues[0]?.path ?? []) };
  const problem = checkPollSpec(parsed.data, durationMinutes);
  if (problem) return { kind: 'refused', reason: problem };
  const { audience: _checked, ...spec } = parsed.data;
  return {
    kind: 'create',
    draft: {
      spec,
      audience: settings.everyone || chatType === 'private' ? 'everyone' : 'here',
      durationMinutes,
    },
  };
}

/** What "投票 …" asks for. Anything it cannot read is answered with the usage. */
export function parsePollRequest(said: string, chatType: FlowContext['chatType']): PollRequest {
  const match = commandPattern.exec(normalizeText(said));
  if (!match?.[1]) return { kind: 'list' };
  const found = verbs[match[1].toLowerCase()];
  const body = (match[2] ?? '').trim();
  if (!found || found.verb === 'usage') return { kind: 'usage' };
  if (found.verb === 'list') return body ? { kind: 'usage' } : { kind: 'list' };
  if (found.verb === 'create') return body ? readCreate(found.kind!, body, chatType) : { kind: 'usage' };
  const ref = /^\S+$/.test(body) ? refOf(body) : null;
  return ref ? { kind: found.verb, ref } : { kind: 'usage' };
}

/**
 * Whether typed text is this command beyond its words: 投票 or poll and one of its verbs. Other
 * text after 投票 (an answer by poll code, "投票 K7Q3 2", or words inside a form) is left alone.
 */
export function isPollCommand(said: string): boolean {
  const match = commandPattern.exec(normalizeText(said));
  return match?.[1] !== undefined && verbs[match[1].toLowerCase()] !== undefined;
}

const reply = (words: L10n) => finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, words) }]);

export const pollCommand: CommandDef = {
  name: 'polls',
  title: text.title,
  words: ['投票', '匿名投票', 'poll', 'polls'],
  roles: rolesFor('poll.list'),
  matches: isPollCommand,
  run: (ctx, said) => {
    const request = parsePollRequest(said, ctx.chatType);
    switch (request.kind) {
      case 'usage':
        return reply(text.usage);
      case 'refused':
        return reply(request.reason);
      case 'list':
        return finish({ type: 'polls.list', limit: 10 }, ({ items }, ctx) => [listMessage(items, ctx)]);
      case 'create':
        return finish({ type: 'polls.create', draft: request.draft }, (result, ctx) => [
          createdMessage(request.draft, result, ctx),
        ]);
      case 'results':
        return finish({ type: 'polls.results', ref: request.ref }, (result, ctx) => {
          if (result.ok) {
            // In a group the officers' view (comments, the breakdown) is not shown: only what the group gets.
            return [
              resultsMessage(result.poll, result.results, ctx.lang, {
                forOfficers: ctx.chatType === 'private',
              }),
            ];
          }
          const why = {
            not_found: text.notFound(refText(request.ref)),
            not_closed: text.notClosed,
            cancelled: text.cancelledNoResults,
          }[result.reason];
          return [{ type: 'text', text: t(ctx.lang, why) }];
        });
      case 'close':
        return finish({ type: 'polls.close', ref: request.ref }, (outcome, ctx) => [
          actMessage(outcome, request.ref, text.closed, ctx.lang),
        ]);
      case 'cancel':
        return finish({ type: 'polls.cancel', ref: request.ref }, (outcome, ctx) => [
          actMessage(outcome, request.ref, text.cancelled, ctx.lang),
        ]);
    }
  },
};
