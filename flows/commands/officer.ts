/**
 * Officers in chat. 查看/view JY-2026-0001 shows an item of a unit they handle, with a button for
 * each next step; 办理/handle JY-2026-0001 审核中 已转安全科 moves it on with a reply the person
 * is sent where they filed it. Others are told these are for officers.
 */
import type { Outbound } from '../../bots/core/messenger.ts';
import { formatTime, type L10n, type Lang, t } from '../../kernel/l10n.ts';
import { normalizeText } from '../../kernel/text.ts';
import { rolesFor } from '../access/rules.ts';
import { encodeAction } from '../engine/actions.ts';
import type { CommandDef, FlowContext } from '../engine/types.ts';
import { finish, finishThen, finishWith, startFlowWith } from '../engine/types.ts';
import { type HelpKind, helpKindLabels, type Urgency, urgencyLabels } from '../help/kinds.ts';
import { type allStatuses, type ItemKind, isItemKind, lifecycles, statusLabel } from '../lifecycles.ts';
import { categoryLabels, type SuggestionCategory } from '../suggestion/categories.ts';
import type { CaseOutcome } from './item-effects.ts';

const reference = '([A-Za-z]{2}-\\d{4}-\\d{4,6})';
const viewPattern = new RegExp(`^(?:查看|view)\\s+${reference}$`, 'i');
const handlePattern = new RegExp(`^(?:办理|handle)\\s+${reference}(?:\\s+(.+))?$`, 'is');

const text = {
  viewTitle: { zh: '查看事项', en: 'View an item' },
  handleTitle: { zh: '办理事项', en: 'Handle an item' },
  viewUsage: {
    zh: '用法：查看 编号，如“查看 JY-2026-0001”。',
    en: 'Usage: view <reference>, e.g. "view JY-2026-0001".',
  },
  handleUsage: {
    zh: '用法：办理 编号 状态 [答复]，如“办理 JY-2026-0001 审核中 已转安全科研究”。',
    en: 'Usage: handle <reference> <status> [reply], e.g. "handle JY-2026-0001 in review passed to safety".',
  },
  notFound: (ref: string): L10n => ({
    zh: `找不到编号为 ${ref} 的事项。`,
    en: `No item has the reference ${ref}.`,
  }),
  notYours: (ref: string): L10n => ({
    zh: `${ref} 不属于您负责的单位。`,
    en: `${ref} belongs to a unit you do not handle.`,
  }),
  replyRequired: {
    zh: '这一步必须写明答复，说明原因：办理 编号 状态 答复。',
    en: 'This step needs a reply giving the reason: handle <ref> <status> <reply>.',
  },
  notAllowed: (from: string, allowed: string): L10n => ({
    zh: `当前状态“${from}”下${allowed ? `可改为：${allowed}` : '不能再更改'}。`,
    en: `From "${from}" ${allowed ? `it can move to: ${allowed}` : 'it cannot move any more'}.`,
  }),
  notCosigned: { zh: '附议人数还不够，不能立案。', en: 'Not enough co-signers to register it.' },
  gradeRequired: {
    zh: '答复提案要写明类别：办理 编号 已答复 A/B/C/D 答复内容。',
    en: 'A motion answer needs a grade: handle <ref> answered A/B/C/D <reply>.',
  },
  sendBackClosed: { zh: '交办已超过 7 天，不能再退回。', en: 'Too late to send it back (7 days).' },
  status: { zh: '状态', en: 'Status' },
  proposer: { zh: '提出人', en: 'Raised by' },
  unverified: { zh: '（未核实）', en: ' (not verified)' },
  anonymous: { zh: '匿名', en: 'Anonymous' },
  kind: { zh: '类别', en: 'Kind' },
  filed: { zh: '提交时间', en: 'Filed' },
  description: { zh: '具体内容', en: 'Details' },
  benefit: { zh: '预期效益', en: 'Expected benefit' },
  situation: { zh: '情况说明', en: 'Situation' },
  urgency: { zh: '紧急程度', en: 'Urgency' },
  contact: { zh: '联系方式', en: 'Contact' },
  byChat: { zh: '在聊天中联系', en: 'In the chat' },
  phone: (n: string): L10n => ({ zh: `电话 ${n}`, en: `Phone ${n}` }),
  footer: {
    zh: '点下方按钮办理，或发送“办理 编号 状态 答复”附上答复。',
    en: 'Press a button below, or send "handle <ref> <status> <reply>" to add a reply.',
  },
};

function caseFields(item: Extract<CaseOutcome, { ok: true }>['item'], ctx: FlowContext) {
  const lang = ctx.lang;
  const fields = [
    { label: t(lang, text.status), value: t(lang, statusLabel(item.kind, item.status)) },
    {
      label: t(lang, text.proposer),
      value: item.proposer
        ? `${item.proposer}${item.proposerVerified === false ? t(lang, text.unverified) : ''}`
        : t(lang, text.anonymous),
    },
    { label: t(lang, text.filed), value: formatTime(item.createdAt, ctx.timeZone) },
  ];
  if (item.kind === 'help_request') {
    const contact = item.details.contact ?? '';
    fields.push(
      {
        label: t(lang, text.kind),
        value: t(lang, helpKindLabels[item.category as HelpKind] ?? { zh: item.category, en: item.category }),
      },
      {
        label: t(lang, text.urgency),
        value: t(lang, urgencyLabels[item.details.urgency as Urgency] ?? { zh: '', en: '' }),
      },
      { label: t(lang, text.situation), value: item.details.situation ?? '' },
      {
        label: t(lang, text.contact),
        value: contact.startsWith('phone:') ? t(lang, text.phone(contact.slice(6))) : t(lang, text.byChat),
      },
    );
  } else {
    fields.push(
      { label: t(lang, text.description), value: item.details.description ?? '' },
      ...(item.details.benefit ? [{ label: t(lang, text.benefit), value: item.details.benefit }] : []),
    );
  }
  return fields;
}

/** What an officer reads about an item, with a button per next step. */
export function caseMessage(outcome: CaseOutcome, referenceCode: string, ctx: FlowContext): Outbound {
  const lang: Lang = ctx.lang;
  if (!outcome.ok) {
    const why =
      outcome.reason === 'not_allowed'
        ? text.notAllowed(
            t(lang, statusLabel(outcome.kind, outcome.from)),
            outcome.allowed
              .map((s) => t(lang, statusLabel(outcome.kind, s)))
              .join(lang === 'zh' ? '、' : ', '),
          )
        : {
            not_found: text.notFound(referenceCode),
            not_yours: text.notYours(referenceCode),
            reply_required: text.replyRequired,
            not_cosigned: text.notCosigned,
            grade_required: text.gradeRequired,
            send_back_closed: text.sendBackClosed,
          }[outcome.reason];
    return { type: 'text', text: t(lang, why) };
  }
  const { item } = outcome;
  const name = isItemKind(item.kind) ? t(lang, lifecycles[item.kind].name) : item.kind;
  return {
    type: 'summary',
    title: `${item.referenceCode} ${name}：${item.title}`,
    fields: caseFields(item, ctx),
    text: t(lang, text.footer),
    actions: item.nextStatuses.map((status) => ({
      label: t(lang, statusLabel(item.kind, status)),
      value: encodeAction({ k: 'cmd', c: 'handle', a: `办理 ${item.referenceCode} ${status}` }),
    })),
  };
}

/** The kind of item a reference names, by its prefix. */
export const kindOfPrefix: Record<string, ItemKind> = { JY: 'suggestion', TA: 'motion', BF: 'help_request' };

/** Whether the reference's kind and the status are known, and whether the move needs a reason. */
export function moveNeeds(
  ref: string,
  word: string,
): { status: (typeof allStatuses)[number]; required: boolean } | null {
  const kind = kindOfPrefix[ref.slice(0, 2)];
  if (!kind) return null;
  const lifecycle = lifecycles[kind];
  const folded = word.trim().toLowerCase();
  const status = lifecycle.statuses.find(
    (s) =>
      s === folded ||
      lifecycle.labels[s]?.zh === word.trim() ||
      lifecycle.labels[s]?.en.toLowerCase() === folded,
  );
  return status ? { status, required: lifecycle.replyRequired.has(status) } : null;
}

const say = (words: L10n) => finishWith((ctx) => [{ type: 'text', text: t(ctx.lang, words) }]);

export const viewCommand: CommandDef = {
  name: 'case',
  title: text.viewTitle,
  words: ['查看', 'view'],
  roles: rolesFor('item.read'),
  matches: (said) => viewPattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const match = viewPattern.exec(normalizeText(said));
    if (!match) return say(text.viewUsage);
    const referenceCode = match[1]!.toUpperCase();
    return finish({ type: 'case.view', referenceCode }, (outcome, ctx) => [
      caseMessage(outcome, referenceCode, ctx),
    ]);
  },
};

export const handleCommand: CommandDef = {
  name: 'handle',
  title: text.handleTitle,
  words: ['办理', 'handle'],
  roles: rolesFor('item.move'),
  matches: (said) => handlePattern.test(normalizeText(said)),
  run: (_ctx, said) => {
    const match = handlePattern.exec(normalizeText(said));
    if (!match?.[2]) return say(text.handleUsage);
    const referenceCode = match[1]!.toUpperCase();
    // A status and no words (a tapped button): ask for the reply before anything moves.
    // (A motion's moves take more than a reply — co-signers, a grade, a department — and go as typed.)
    const bare =
      /^\S+$/.test(match[2].trim()) && kindOfPrefix[referenceCode.slice(0, 2)] !== 'motion'
        ? moveNeeds(referenceCode, match[2])
        : null;
    if (bare) {
      return finishThen(
        { type: 'case.check', referenceCode, status: bare.status },
        (outcome, ctx) => (outcome.ok ? [] : [caseMessage(outcome, referenceCode, ctx)]),
        (outcome) =>
          outcome.ok
            ? startFlowWith(
                'case_reply',
                { ref: referenceCode, status: bare.status },
                bare.required ? 'reason' : 'reply',
              )
            : null,
      );
    }
    return finish({ type: 'case.move', referenceCode, said: match[2] }, (outcome, ctx) => [
      caseMessage(outcome, referenceCode, ctx),
    ]);
  },
};

/** What the officers of a unit are sent when a new item arrives there. */
export function newItemNotice(
  item: { kind: string; referenceCode: string; title: string; category: string; urgency?: string },
  lang: Lang,
): Outbound {
  const name = isItemKind(item.kind) ? t(lang, lifecycles[item.kind].name) : item.kind;
  const category =
    item.kind === 'motion'
      ? item.category
      : item.kind === 'help_request'
        ? t(lang, helpKindLabels[item.category as HelpKind] ?? { zh: item.category, en: item.category })
        : t(
            lang,
            categoryLabels[item.category as SuggestionCategory] ?? { zh: item.category, en: item.category },
          );
  // The first step from the status every item of this kind starts in.
  const lifecycle = isItemKind(item.kind) ? lifecycles[item.kind] : null;
  const first = lifecycle ? lifecycle.transitions[lifecycle.statuses[0]!]?.[0] : undefined;
  return {
    type: 'summary',
    tone: item.urgency === 'very_urgent' ? 'warning' : 'info',
    title:
      (item.urgency === 'very_urgent' ? (lang === 'zh' ? '【紧急】' : '[Very urgent] ') : '') +
      (lang === 'zh' ? `新的${name}：${item.referenceCode}` : `New ${name}: ${item.referenceCode}`),
    fields: [
      { label: t(lang, text.kind), value: category },
      // A help request's title is only its kind; what happened is read in the audited view.
      ...(item.kind === 'help_request'
        ? [
            {
              label: t(lang, text.urgency),
              value: t(lang, urgencyLabels[item.urgency as Urgency] ?? { zh: '', en: '' }),
            },
          ]
        : [{ label: lang === 'zh' ? '标题' : 'Title', value: item.title }]),
    ],
    actions: [
      {
        label: lang === 'zh' ? '查看' : 'View',
        value: encodeAction({ k: 'cmd', c: 'case', a: `查看 ${item.referenceCode}` }),
      },
      ...(first
        ? [
            {
              label: t(lang, statusLabel(item.kind, first)),
              value: encodeAction({ k: 'cmd', c: 'handle', a: `办理 ${item.referenceCode} ${first}` }),
            },
          ]
        : []),
    ],
  };
}
