/**
 * The effects flows may declare, and what each returns. The engine hands them to an
 * `EffectPort`; the server implements it inside the message's transaction.
 */
import type { L10n, Lang } from '../kernel/l10n.ts';
import type { Role } from './engine/types.ts';
import type { HelpDraft } from './help/draft.ts';
import type { MotionDraft } from './motion/draft.ts';
import type { NewsTopic } from './news/topics.ts';
import type { PollKind } from './polls/kinds.ts';
import type { PollView } from './polls/messages.ts';
import type { PollSpec } from './polls/spec.ts';
import type { Results } from './polls/tally.ts';
import type { SuggestionDraft } from './suggestion/draft.ts';

/** One line of 我的/mine. */
export interface MineItem {
  referenceCode: string;
  kind: 'suggestion' | 'help_request' | 'motion';
  title: string;
  status: string;
  /** ISO time of the last change. */
  updatedAt: string;
}

/** One of the person's items in full, for a reference code typed in chat. */
export interface ItemDetail extends MineItem {
  category: string;
  createdAt: string;
  /** The officers' latest reply, if any. */
  lastReply: string | null;
}

/** A published news item as chat shows it. */
export interface NewsBrief {
  id: string;
  topic: NewsTopic;
  title: string;
  summary: string;
  /** The item's page. */
  url: string;
  /** ISO time it went out. */
  publishedAt: string;
}

/** A schedule as officers see it in chat. */
export interface ScheduleBrief {
  no: number;
  name: string;
  cron: string;
  timeZone: string;
  kind: string;
  enabled: boolean;
  /** ISO time, or null when it never fires again. */
  nextFireAt: string | null;
}

/** A poll as officers see it listed in chat: never anything about its answers. */
export interface PollBrief {
  no: number;
  code: string;
  status: 'scheduled' | 'open' | 'closed' | 'cancelled';
  question: string;
  kind: PollKind;
  /** ISO times. */
  opensAt: string;
  closesAt: string;
}

/** A poll typed in chat, checked against the poll rules; it opens at once. */
export interface PollDraft {
  spec: Omit<PollSpec, 'audience'>;
  /** here: the group chat it was typed in; everyone: every person the bot can reach. */
  audience: 'here' | 'everyone';
  durationMinutes: number;
}

/** A poll named in chat by its number (#3) or its code (K7Q3). */
export type PollRef = { no: number } | { code: string };

/** Closing or cancelling: only the officer who started the poll, or an admin. */
export type PollActOutcome =
  | { ok: true; poll: PollBrief }
  | { ok: false; reason: 'not_found' | 'not_yours' | 'not_open' | 'not_cancellable' };

/** Who a person is in the directory. */
export interface PersonProfile {
  memberNo: number;
  displayName: string;
  role: Role;
  unit: L10n | null;
}

export type AssignOutcome =
  | { ok: true; person: PersonProfile }
  | { ok: false; reason: 'no_person' | 'no_unit' | 'own_role' | 'not_officer' }
  /** More than one unit has that name: these are the candidates. */
  | { ok: false; reason: 'ambiguous_unit'; units: L10n[] };

export type RateOutcome = { ok: true } | { ok: false; reason: 'not_found' | 'not_closed' | 'already_rated' };

/** An item as an officer sees it in chat. */
export interface CaseView {
  kind: string;
  referenceCode: string;
  title: string;
  /** Suggestion category or help kind. */
  category: string;
  status: string;
  nextStatuses: string[];
  proposer: string | null;
  /** Field name → value (a help request's opened situation and contact included). */
  details: Record<string, string>;
  createdAt: string;
}

export type CaseOutcome =
  | { ok: true; item: CaseView }
  | {
      ok: false;
      reason:
        | 'not_found'
        | 'not_yours'
        | 'reply_required'
        | 'not_cosigned'
        | 'grade_required'
        | 'send_back_closed';
    }
  | { ok: false; reason: 'not_allowed'; kind: string; from: string; allowed: string[] };

export type Effect =
  | { type: 'suggestion.create'; draft: SuggestionDraft }
  | { type: 'help.create'; draft: HelpDraft }
  | { type: 'motion.create'; draft: MotionDraft }
  /** A delegate answers an invitation to co-sign. */
  | { type: 'motion.cosign'; referenceCode: string; accept: boolean }
  | { type: 'items.mine'; limit: number }
  /** Only the person's own item is found; anyone else's reads as not found. */
  | { type: 'items.one'; referenceCode: string }
  | { type: 'person.language'; language: Lang }
  | { type: 'person.profile' }
  /** Rates one of the person's own closed items, once. */
  | { type: 'item.rate'; referenceCode: string; rating: 1 | 2 | 3; comment: string }
  /** An officer reads an item of a unit they handle (a help request's read is audited). */
  | { type: 'case.view'; referenceCode: string }
  /**
   * An officer moves an item on. `said` is what followed the reference: a status (its id or its
   * name in either language), then the reply the person is sent.
   */
  | { type: 'case.move'; referenceCode: string; said: string }
  /** The person's closed items that have not been rated yet. */
  | { type: 'items.awaiting_rating'; limit: number }
  /** An admin sets someone's role and/or unit (an officer also handles that unit). */
  | { type: 'person.assign'; memberNo: number; role: Role | null; unitName: string | null }
  /** The latest news the person may read. */
  | { type: 'news.latest'; limit: number }
  /** Turns a topic (or all) on or off for the person, when `change` is given; lists their opt-outs. */
  | { type: 'news.subscriptions'; change: { topic: NewsTopic | 'all'; on: boolean } | null }
  | { type: 'schedules.list' }
  /** run: fires at the next tick (within a minute), once, whatever its cron says (a paused one is resumed). */
  | { type: 'schedules.act'; no: number; action: 'pause' | 'resume' | 'run' }
  /** A message to this chat on a cron, in the default time zone. */
  | { type: 'schedules.create'; cron: string; text: string }
  /** The person's own daily digest: shown, moved to a time of day, or turned on or off. */
  | {
      type: 'digest.settings';
      change: { hour: number; minute: number } | { enabled: boolean } | null;
    }
  /** The latest polls, newest first. */
  | { type: 'polls.list'; limit: number }
  /** An officer starts a poll from chat (audited); the poll job opens it. */
  | { type: 'polls.create'; draft: PollDraft }
  /** A closed poll's frozen results; nothing about a poll that has not closed. */
  | { type: 'polls.results'; ref: PollRef }
  /** Closes an open poll early (results out, secret gone) or cancels one without results (audited). */
  | { type: 'polls.close'; ref: PollRef }
  | { type: 'polls.cancel'; ref: PollRef }
  /** A one-time sign-in link to the web console for the person asking (an officer or admin). */
  | { type: 'console.link' };

export interface EffectResults {
  'suggestion.create': { referenceCode: string; status: string; createdAt: string };
  'help.create': { referenceCode: string; status: string; createdAt: string; ackDueAt: string };
  'motion.create': {
    referenceCode: string;
    cosignDueAt: string;
    needed: number;
    invited: number[];
    rejected: number[];
  };
  'motion.cosign':
    | { ok: true; accepted: number; needed: number }
    | { ok: false; reason: 'not_found' | 'not_invited' | 'own' | 'already' | 'closed' };
  'items.mine': { items: MineItem[]; total: number };
  'items.one': { item: ItemDetail | null };
  'person.language': { language: Lang };
  'person.profile': { profile: PersonProfile };
  'item.rate': RateOutcome;
  'case.view': CaseOutcome;
  'case.move': CaseOutcome;
  'items.awaiting_rating': { items: { referenceCode: string; title: string }[] };
  'person.assign': AssignOutcome;
  'news.latest': { items: NewsBrief[] };
  'news.subscriptions': { optedOut: NewsTopic[] };
  'schedules.list': { items: ScheduleBrief[] };
  'schedules.act': { ok: true; item: ScheduleBrief } | { ok: false; reason: 'not_found' };
  'schedules.create':
    | { ok: true; item: ScheduleBrief }
    | { ok: false; reason: 'never' }
    | { ok: false; reason: 'bad_cron'; detail: string };
  /** time: HH:MM when the digest runs once a day at a fixed time, else null. */
  'digest.settings': { ok: true; item: ScheduleBrief; time: string | null } | { ok: false };
  'console.link': { ok: true; url: string } | { ok: false };
  'polls.list': { items: PollBrief[] };
  'polls.create': { poll: PollBrief; audience: 'here' | 'everyone' };
  'polls.results':
    | { ok: true; poll: PollView & { commentThreshold: number }; results: Results }
    | { ok: false; reason: 'not_found' | 'not_closed' | 'cancelled' };
  'polls.close': PollActOutcome;
  'polls.cancel': PollActOutcome;
}
