/** What polls in chat ask the server to do, and what they get back. */
import type { PollKind } from './kinds.ts';
import type { PollView } from './messages.ts';
import type { PollSpec } from './spec.ts';
import type { Results } from './tally.ts';

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

export interface PollEffects {
  /** The latest polls, newest first. */
  'polls.list': { effect: { limit: number }; result: { items: PollBrief[] } };
  /** An officer starts a poll from chat (audited); the poll job opens it. */
  'polls.create': {
    effect: { draft: PollDraft };
    result: { poll: PollBrief; audience: 'here' | 'everyone' };
  };
  /** A closed poll's frozen results; nothing about a poll that has not closed. */
  'polls.results': {
    effect: { ref: PollRef };
    result:
      | { ok: true; poll: PollView & { commentThreshold: number }; results: Results }
      | { ok: false; reason: 'not_found' | 'not_closed' | 'cancelled' };
  };
  /** Closes an open poll early (results out, secret gone), audited. */
  'polls.close': { effect: { ref: PollRef }; result: PollActOutcome };
  /** Cancels a poll without results, audited. */
  'polls.cancel': { effect: { ref: PollRef }; result: PollActOutcome };
}
