/**
 * Dialogue scripts for flows: say something, read the replies, press a button. State passes
 * through JSON between turns to prove it survives storage. Effects go to an in-memory port.
 */
import type { Choice, InboundContent, Outbound } from '../../bots/core/messenger.ts';
import type { MineItem } from '../../flows/commands/item-effects.ts';
import type { Effect, EffectResults } from '../../flows/effects.ts';
import { createEngine } from '../../flows/engine/engine.ts';
import type { Role } from '../../flows/engine/roles.ts';
import type { ConversationState, EffectPort } from '../../flows/engine/types.ts';
import type { NewsBrief } from '../../flows/news/effects.ts';
import { type NewsTopic, newsTopics } from '../../flows/news/topics.ts';
import type { PollActOutcome, PollBrief, PollRef } from '../../flows/polls/effects.ts';
import type { PollView } from '../../flows/polls/messages.ts';
import type { Results } from '../../flows/polls/tally.ts';
import { codeAlphabet } from '../../flows/polls/text-vote.ts';
import { commands, flows } from '../../flows/registry.ts';
import type { Lang } from '../../kernel/l10n.ts';

/** A poll the in-memory port knows; `mine` when this person started it. */
export type DialoguePoll = PollView & {
  commentThreshold: number;
  status: PollBrief['status'];
  opensAt: string;
  results?: Results;
  mine?: boolean;
};

type PollEffect = Extract<Effect, { type: `polls.${string}` }>;
const isPollEffect = (effect: Effect): effect is PollEffect => effect.type.startsWith('polls.');

/** An in-memory stand-in for the polls store: created polls open at once, as the poll job would. */
function fakePolls(seed: readonly DialoguePoll[], role: Role, now: () => Date) {
  const polls = seed.map((p) => ({ ...p }));
  const brief = (p: DialoguePoll): PollBrief => ({
    no: p.no,
    code: p.code,
    status: p.status,
    question: p.question,
    kind: p.kind,
    opensAt: p.opensAt,
    closesAt: p.closesAt,
  });
  const find = (ref: PollRef) => polls.find((p) => ('no' in ref ? p.no === ref.no : p.code === ref.code));
  const act = (ref: PollRef, from: PollBrief['status'][], to: PollBrief['status']): PollActOutcome => {
    const poll = find(ref);
    if (!poll) return { ok: false, reason: 'not_found' };
    if (role !== 'admin' && !poll.mine) return { ok: false, reason: 'not_yours' };
    if (!from.includes(poll.status))
      return { ok: false, reason: to === 'closed' ? 'not_open' : 'not_cancellable' };
    poll.status = to;
    if (to === 'closed') poll.results = { answers: 0, shown: false };
    return { ok: true, poll: brief(poll) };
  };
  return {
    perform(effect: PollEffect): EffectResults[Effect['type']] {
      switch (effect.type) {
        case 'polls.list':
          return { items: polls.toReversed().slice(0, effect.limit).map(brief) };
        case 'polls.create': {
          const { spec, durationMinutes, audience } = effect.draft;
          const no = (polls.at(-1)?.no ?? 0) + 1;
          const poll: DialoguePoll = {
            ...spec,
            id: `poll-${no}`,
            no,
            code: `K7Q${codeAlphabet[no % codeAlphabet.length]}`,
            status: 'open',
            opensAt: now().toISOString(),
            closesAt: new Date(now().getTime() + durationMinutes * 60_000).toISOString(),
            mine: true,
          };
          polls.push(poll);
          return { poll: brief(poll), audience };
        }
        case 'polls.results': {
          const poll = find(effect.ref);
          if (!poll) return { ok: false, reason: 'not_found' };
          if (poll.status === 'cancelled') return { ok: false, reason: 'cancelled' };
          if (poll.status !== 'closed') return { ok: false, reason: 'not_closed' };
          return { ok: true, poll, results: poll.results ?? { answers: 0, shown: false } };
        }
        case 'polls.close':
          return act(effect.ref, ['open'], 'closed');
        case 'polls.cancel':
          return act(effect.ref, ['scheduled', 'open'], 'cancelled');
      }
    },
  };
}

export function createDialogue(
  start = new Date('2026-03-02T01:00:00Z'),
  opts: {
    role?: Role;
    news?: NewsBrief[];
    chatType?: 'private' | 'group';
    polls?: DialoguePoll[];
  } = {},
) {
  const role: Role = opts.role ?? 'staff';
  const news = opts.news ?? [];
  const chatType = opts.chatType ?? 'private';
  const optedOut = new Set<NewsTopic>();
  const engine = createEngine({ flows, commands, timeoutMinutes: 30 });
  let state: ConversationState | null = null;
  let lang: Lang = 'zh';
  let now = start;
  let last: Outbound[] = [];
  const effects: Effect[] = [];
  const items: MineItem[] = [];
  const rated = new Set<string>();
  const polls = fakePolls(opts.polls ?? [], role, () => now);

  const port: EffectPort = {
    async perform<E extends Effect>(effect: E): Promise<EffectResults[E['type']]> {
      effects.push(effect);
      let result: EffectResults[Effect['type']];
      if (effect.type === 'suggestion.create') {
        const referenceCode = `JY-2026-${String(items.length + 1).padStart(4, '0')}`;
        items.unshift({
          referenceCode,
          kind: 'suggestion',
          title: effect.draft.title,
          status: 'submitted',
          updatedAt: now.toISOString(),
        });
        result = {
          referenceCode,
          status: 'submitted',
          createdAt: now.toISOString(),
          files: effect.draft.files?.length ?? 0,
        };
      } else if (effect.type === 'help.create') {
        const referenceCode = `BF-2026-${String(items.length + 1).padStart(4, '0')}`;
        items.unshift({
          referenceCode,
          kind: 'help_request',
          title: '求助',
          status: 'new',
          updatedAt: now.toISOString(),
        });
        const ackDueAt = new Date(now.getTime() + 24 * 3_600_000).toISOString();
        result = {
          referenceCode,
          status: 'new',
          createdAt: now.toISOString(),
          ackDueAt,
          files: effect.draft.files?.length ?? 0,
        };
      } else if (effect.type === 'items.mine') {
        result = { items: items.slice(0, effect.limit), total: items.length };
      } else if (effect.type === 'items.one') {
        const item = items.find((i) => i.referenceCode === effect.referenceCode);
        result = {
          item: item ? { ...item, category: 'safety', createdAt: item.updatedAt, lastReply: null } : null,
        };
      } else if (effect.type === 'person.language') {
        lang = effect.language;
        result = { language: lang };
      } else if (effect.type === 'person.profile') {
        result = {
          profile: {
            memberNo: 1001,
            displayName: '测试用户',
            role,
            unit: null,
            verified: true,
            employeeNo: null,
          },
        };
      } else if (effect.type === 'item.message') {
        result = { ok: true, referenceCode: effect.referenceCode };
      } else if (effect.type === 'case.check') {
        result = { ok: true };
      } else if (effect.type === 'case.message') {
        result = { ok: true };
      } else if (effect.type === 'person.bind') {
        result = { ok: false, reason: 'unknown' };
      } else if (effect.type === 'person.bind_code') {
        result = { code: 'ABCDEFGHJKMN', minutes: 10 };
      } else if (effect.type === 'person.name') {
        result = { ok: true, name: effect.name };
      } else if (effect.type === 'item.rate') {
        const item = items.find((i) => i.referenceCode === effect.referenceCode);
        if (!item) result = { ok: false, reason: 'not_found' };
        else if (item.status !== 'closed') result = { ok: false, reason: 'not_closed' };
        else if (rated.has(item.referenceCode)) result = { ok: false, reason: 'already_rated' };
        else {
          rated.add(item.referenceCode);
          result = { ok: true };
        }
      } else if (effect.type === 'items.awaiting_rating') {
        result = {
          items: items
            .filter((i) => i.status === 'closed' && !rated.has(i.referenceCode))
            .slice(0, effect.limit)
            .map(({ referenceCode, title }) => ({ referenceCode, title })),
        };
      } else if (effect.type === 'motion.create') {
        result = {
          referenceCode: 'TA-2026-0001',
          cosignDueAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
          needed: 2,
          invited: effect.draft.cosigners,
          rejected: [],
        };
      } else if (effect.type === 'motion.cosign') {
        result = { ok: true, accepted: 1, needed: 2 };
      } else if (effect.type === 'case.view' || effect.type === 'case.move') {
        result = { ok: false, reason: 'not_found' };
      } else if (effect.type === 'news.latest') {
        result = { items: news.slice(0, effect.limit) };
      } else if (effect.type === 'news.subscriptions') {
        const change = effect.change;
        const topics = change?.topic === 'all' ? newsTopics : change ? [change.topic] : [];
        for (const topic of topics) change?.on ? optedOut.delete(topic) : optedOut.add(topic);
        result = { optedOut: newsTopics.filter((topic) => optedOut.has(topic)) };
      } else if (effect.type === 'schedules.list') {
        result = { items: [] };
      } else if (effect.type === 'schedules.act') {
        result = { ok: false, reason: 'not_found' };
      } else if (effect.type === 'schedules.create' || effect.type === 'digest.settings') {
        result = { ok: false, reason: 'never' };
      } else if (isPollEffect(effect)) {
        result = polls.perform(effect);
      } else if (effect.type === 'file.hold') {
        // A fake held file: ids starting "doc" are documents, which a photo-only draft refuses.
        result =
          effect.accepts === 'photo' && effect.id.startsWith('doc')
            ? { ok: false, why: 'photo_only', maxBytes: 10 * 1_048_576 }
            : { ok: true, name: `${effect.id}.jpg` };
      } else if (effect.type === 'console.link') {
        result = { ok: true, url: 'https://union.example.org/console/signin/link?t=dialogue' };
      } else {
        const unit = effect.unitName ? { zh: effect.unitName, en: effect.unitName } : null;
        result = {
          ok: true,
          person: {
            memberNo: effect.memberNo,
            displayName: '某职工',
            role: effect.role ?? 'staff',
            unit,
            verified: true,
            employeeNo: null,
          },
        };
      }
      return result as EffectResults[E['type']];
    },
  };

  async function turn(content: InboundContent) {
    const stored = state === null ? null : (JSON.parse(JSON.stringify(state)) as ConversationState);
    const result = await engine.handle({
      state: stored,
      content,
      ctx: { now, lang, timeZone: 'Asia/Shanghai', chatType, role },
      port,
    });
    state = result.state === null ? null : JSON.parse(JSON.stringify(result.state));
    lang = result.lang;
    last = result.replies;
    return last;
  }

  return {
    say: (text: string) => turn({ type: 'text', text }),
    /** Presses the button with this label on the latest replies. */
    press(label: string) {
      const buttons = last.flatMap(buttonsOf);
      const button = buttons.find((b) => b.label === label);
      if (!button) throw new Error(`no button "${label}" among: ${buttons.map((b) => b.label).join(', ')}`);
      return turn({ type: 'action', value: button.value });
    },
    action: (value: string) => turn({ type: 'action', value }),
    /** Sends a photo or file the server has already kept as `id` (ids starting "doc" are documents). */
    file: (id: string, name = `${id}.jpg`) => turn({ type: 'file', kind: 'image', name, ref: id }),
    /** Replaces the stored state, as if another version of the server had written it. */
    restore(next: ConversationState) {
      state = next;
    },
    wait(minutes: number) {
      now = new Date(now.getTime() + minutes * 60_000);
    },
    get state() {
      return state;
    },
    get lang() {
      return lang;
    },
    get last() {
      return last;
    },
    effects,
    items,
  };
}

export function buttonsOf(message: Outbound): Choice[] {
  switch (message.type) {
    case 'choices':
      return [...message.choices, ...(message.actions ?? [])];
    case 'confirm':
      return [message.confirm, message.cancel, ...(message.actions ?? [])];
    case 'article':
    case 'poll':
      return [];
    default:
      return message.actions ?? [];
  }
}

/** All the words a person would read in these messages, for assertions. */
export function textOf(messages: Outbound[]): string {
  return messages
    .map((m) => {
      const lines: string[] = [];
      if ('notice' in m && m.notice) lines.push(m.notice);
      if (m.type === 'confirm' || m.type === 'summary' || m.type === 'article' || m.type === 'poll')
        lines.push(m.title);
      if (m.type === 'poll') lines.push(m.question, ...m.answers.map((a) => `[${a.label}]`), m.footer);
      else if (m.text) lines.push(m.text);
      if ('fields' in m) lines.push(...m.fields.map((f) => `${f.label}: ${f.value}`));
      if ('hint' in m && m.hint) lines.push(m.hint);
      lines.push(...buttonsOf(m).map((b) => `[${b.label}]`));
      return lines.join('\n');
    })
    .join('\n---\n');
}
