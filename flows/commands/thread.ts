/**
 * A case is a conversation. Officers write to an item's author without moving it: 答复 JY-2026-0001
 * 已转后勤处 (仅答复) or 提问 JY-2026-0001 请问是哪个班组？ (a question). The author answers by
 * pressing 回复 on that message, or by just typing next (the server opens the reply for them), or
 * writes 补充说明 on their own open item at any time: 回复/补充 JY-2026-0001 [text]. The answer goes
 * on the item's timeline and to the officers handling it, and the bot says which item it went to.
 */
import { z } from 'zod';
import type { Outbound } from '../../bots/core/messenger.ts';
import { type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { rolesFor } from '../access/rules.ts';
import { encodeAction } from '../engine/actions.ts';
import { textInput } from '../engine/inputs.ts';
import { type CommandDef, defineFlow, finish, finishWith, startFlowWith } from '../engine/types.ts';
import { refusalText } from '../files/rules.ts';
import { isItemKind, lifecycles } from '../lifecycles.ts';
import type { CaseMessageOutcome, ItemMessageOutcome } from './item-effects.ts';

export const threadLimits = { text: { min: 1, max: 1000 } } as const;

const reference = '([A-Za-z]{2}-?\\d{4}-?\\d{4,6})';
/** JY20260001, jy-2026-0001 → JY-2026-0001. */
const asReference = (raw: string) => {
  const m = /^([A-Za-z]{2})-?(\d{4})-?(\d{4,6})$/.exec(raw.normalize('NFKC'));
  return m ? `${m[1]!.toUpperCase()}-${m[2]}-${m[3]}` : raw.toUpperCase();
};
const replyPattern = new RegExp(`^(?:回复|补充说明|补充|reply|add)\\s*${reference}(?:\\s+(.+))?$`, 'is');
const officerPattern = new RegExp(`^(答复|提问|answer|ask)\\s+${reference}(?:\\s+(.+))?$`, 'is');

const text = {
  replyTitle: { zh: '回复/补充说明', en: 'Reply / add to an item' },
  askText: (ref: string) => ({
    zh: `请输入您对 ${ref} 的回复或补充说明（最多 ${threadLimits.text.max} 字），也可以发送照片或文件；发送“取消”放弃：`,
    en: `Type your reply or addition to ${ref} (at most ${threadLimits.text.max} characters), or send a photo or file; "cancel" to stop:`,
  }),
  replyUsage: {
    zh: '请这样写：回复 编号 内容，如“回复 JY-2026-0001 我下午在家”；或“补充 编号 内容”补充说明。',
    en: 'Write: reply <ref> <text>, e.g. "reply JY-2026-0001 I am home this afternoon"; or "add <ref> <text>".',
  },
  sent: (ref: string) => ({
    zh: `已把您的话转给负责 ${ref} 的工会干部，并记入该事项。`,
    en: `Passed to the officers handling ${ref}, and added to it.`,
  }),
  notFound: (ref: string) => ({
    zh: `没有找到您提交的编号为 ${ref} 的事项。发送“我的”查看全部。`,
    en: `None of your items has the reference ${ref}. Send "mine" to see them all.`,
  }),
  closed: (ref: string) => ({
    zh: `${ref} 已办结，不能再补充；如有新情况，请重新提交。`,
    en: `${ref} is closed and cannot take more; if something new came up, please file it again.`,
  }),
  officerTitle: { zh: '答复/提问', en: 'Reply / ask' },
  officerUsage: {
    zh: '请这样写：答复 编号 内容（仅答复，不改状态），或 提问 编号 问题（请提出人回复）。',
    en: 'Write: answer <ref> <text> (a reply that moves nothing), or ask <ref> <question> (the author is asked to reply).',
  },
  officerSent: (ref: string, question: boolean) =>
    question
      ? {
          zh: `已向提出人提问（${ref}），回复会转给您。`,
          en: `Asked the author (${ref}); their reply comes to you.`,
        }
      : {
          zh: `已答复提出人（${ref}），状态未改变。`,
          en: `Replied to the author (${ref}); the status is unchanged.`,
        },
  officerNotFound: (ref: string) => ({
    zh: `没有编号为 ${ref} 的事项。`,
    en: `No item has the reference ${ref}.`,
  }),
  notYours: (ref: string) => ({
    zh: `${ref} 不属于您负责的单位。`,
    en: `${ref} is not of a unit you handle.`,
  }),
  replyButton: { zh: '回复', en: 'Reply' },
  fromOfficer: (kind: string, ref: string, question: boolean, lang: Lang) => {
    const name = isItemKind(kind) ? t(lang, lifecycles[kind].name) : kind;
    return question
      ? { zh: `工会干部就您的${name} ${ref} 提问`, en: `An officer asks about your ${name} ${ref}` }
      : { zh: `工会干部就您的${name} ${ref} 答复`, en: `An officer writes about your ${name} ${ref}` };
  },
  howToAnswer: (ref: string) => ({
    zh: `直接输入回复即可（会转给负责 ${ref} 的工会干部），或点“回复”。`,
    en: `Just type your answer (it goes to the officers handling ${ref}), or press Reply.`,
  }),
} satisfies Record<string, L10n | ((...args: never[]) => L10n)>;

const sentReply = (ref: string) => (outcome: ItemMessageOutcome, ctx: { lang: Lang }) => [
  {
    type: 'text' as const,
    text: t(
      ctx.lang,
      outcome.ok
        ? text.sent(outcome.referenceCode)
        : outcome.reason === 'closed'
          ? text.closed(ref)
          : outcome.reason === 'file'
            ? refusalText(outcome.why, outcome)
            : text.notFound(ref),
    ),
  },
];

/** The author's reply to one item: opened by 回复, or by the server when an officer writes to them. */
export const itemReplyFlow = defineFlow<{ ref: string }>({
  name: 'item_reply',
  version: 1,
  title: text.replyTitle,
  words: [],
  listed: false,
  quiet: true,
  // On a help case the whole thread is sealed; a reply's state is kept sealed like the request's.
  sensitive: true,
  data: z.object({ ref: z.string().regex(/^[A-Z]{2}-\d{4}-\d{4,6}$/) }),
  // A photo or document sent now goes on the item as the reply (the server checks what the item takes).
  files: {
    accepts: 'any',
    take: (data, file) =>
      finish({ type: 'item.message', referenceCode: data.ref, text: '', file }, sentReply(data.ref)),
  },
  initial: () => ({ ref: '' }),
  first: 'text',
  steps: {
    text: {
      kind: 'text',
      prompt: (data) => text.askText(data.ref),
      maxLength: threadLimits.text.max,
      input: textInput(threadLimits.text),
      next: (said, data) =>
        finish({ type: 'item.message', referenceCode: data.ref, text: said }, sentReply(data.ref)),
    },
  },
});

export const replyCommand: CommandDef = {
  name: 'reply',
  title: text.replyTitle,
  words: ['回复', '补充', '补充说明', 'reply', 'add'],
  listed: () => false,
  matches: (said) => replyPattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const match = replyPattern.exec(normalizeText(said));
    if (!match) return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.replyUsage) }]);
    const ref = asReference(match[1]!);
    const body = match[2]?.trim();
    if (!body) return startFlowWith('item_reply', { ref });
    return finish(
      { type: 'item.message', referenceCode: ref, text: body.slice(0, threadLimits.text.max) },
      sentReply(ref),
    );
  },
};

export const officerMessageCommand: CommandDef = {
  name: 'case_message',
  title: text.officerTitle,
  words: ['答复', '提问', 'answer', 'ask'],
  roles: rolesFor('item.move'),
  listed: () => false,
  matches: (said) => officerPattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const match = officerPattern.exec(normalizeText(said));
    const body = match?.[3]?.trim();
    if (!match || !body) return finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, text.officerUsage) }]);
    const ref = asReference(match[2]!);
    const question = match[1] === '提问' || match[1]!.toLowerCase() === 'ask';
    return finish(
      { type: 'case.message', referenceCode: ref, text: body.slice(0, threadLimits.text.max), question },
      (outcome: CaseMessageOutcome, ctx) => [
        {
          type: 'text',
          text: t(
            ctx.lang,
            outcome.ok
              ? text.officerSent(ref, question)
              : outcome.reason === 'not_yours'
                ? text.notYours(ref)
                : text.officerNotFound(ref),
          ),
        },
      ],
    );
  },
};

/** What the author is sent when an officer writes to them: the words, and how to answer. */
export function officerMessageNotice(
  item: { kind: string; referenceCode: string; title: string },
  message: { text: string; question: boolean },
  lang: Lang,
): Outbound {
  return {
    type: 'summary',
    tone: message.question ? 'warning' : 'info',
    title: t(lang, text.fromOfficer(item.kind, item.referenceCode, message.question, lang)),
    fields: [
      { label: lang === 'zh' ? '事项' : 'Item', value: item.title },
      {
        label: lang === 'zh' ? (message.question ? '问题' : '答复') : message.question ? 'Question' : 'Reply',
        value: message.text,
      },
    ],
    text: t(lang, text.howToAnswer(item.referenceCode)),
    actions: [
      {
        label: t(lang, text.replyButton),
        value: encodeAction({ k: 'cmd', c: 'reply', a: `回复 ${item.referenceCode}` }),
      },
    ],
  };
}

/** What the officers handling an item are sent when its author writes on it (a help case's words stay in the audited view). */
export function authorMessageNotice(
  item: { kind: string; referenceCode: string; title: string },
  message: { text: string } | null,
  lang: Lang,
): Outbound {
  return {
    type: 'summary',
    tone: 'info',
    title: lang === 'zh' ? `提出人回复：${item.referenceCode}` : `The author wrote: ${item.referenceCode}`,
    fields: [
      ...(item.kind === 'help_request'
        ? []
        : [{ label: lang === 'zh' ? '标题' : 'Title', value: item.title }]),
      message
        ? { label: lang === 'zh' ? '内容' : 'Text', value: message.text }
        : {
            label: lang === 'zh' ? '内容' : 'Text',
            value: lang === 'zh' ? '（求助内容保密，请在后台查看）' : '(kept sealed; read it in the console)',
          },
    ],
    actions: [
      {
        label: lang === 'zh' ? '查看' : 'View',
        value: encodeAction({ k: 'cmd', c: 'case', a: `查看 ${item.referenceCode}` }),
      },
    ],
  };
}
