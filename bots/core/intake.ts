/**
 * The inbound port: what a channel hands in, and what it is told back. The server implements it
 * once (flood guard, a poll answered by its code, the deduplicated inbox write, waking the jobs),
 * so a channel only verifies, parses and answers its platform. A channel never sees the
 * database, and a poll answer never reaches the inbox: the anonymity rule lives behind this port.
 */
import type { L10n, Lang } from '../../kernel/l10n.ts';
import type { Inbound, Outbound } from './messenger.ts';

/** How a message was taken in. */
export type Taken =
  /** Past the person's messages a minute: nothing was kept (the channel says so or drops it). */
  | { outcome: 'throttled'; text: L10n }
  /**
   * A poll answered (or asked for) by its code, taken before the inbox and kept nowhere with the
   * sender. The reply was queued to the sender alone, unless the channel asked for it back.
   */
  | { outcome: 'vote'; recorded: boolean; reply: Outbound; queued: boolean }
  /** Written to the inbox; the inbox processor takes it from there. */
  | { outcome: 'accepted'; id: number }
  /** Delivered before: nothing new was written. */
  | { outcome: 'duplicate' };

export interface TakeOptions {
  /**
   * The sender's message as their own chat shows it, kept with the inbox row in one transaction
   * by channels whose history the server keeps (the web chat).
   */
  shown?: { text: string } | { label: string };
  /** A text reply to a poll answered by code is handed back, not queued (the web chat shows it at once). */
  voteReplyInline?: boolean;
  /**
   * The platform delivers a message again when it was not answered in time (Lark): a poll answered
   * by its code is then remembered by its delivery, so a second delivery is not cast again.
   */
  redelivers?: boolean;
  /** The sender was already counted against their messages a minute (`admit`), before the message was read. */
  admitted?: boolean;
}

/** What the voter alone is told after a vote (a toast, a note in the web chat, a private reply). */
export type VoteOutcome =
  | 'recorded'
  | 'replaced'
  | 'commented'
  | 'unknown'
  | 'not_open'
  | 'closed'
  | 'invalid_answer'
  | 'comment_not_allowed'
  | 'comment_needs_vote'
  | 'comment_too_long'
  | 'answer_in_private'
  | 'not_asked'
  | 'too_fast';

/** A vote given by a button or a form, with the poll named (not typed as a code). */
export interface VoteRequest {
  /** The poll's id as the button or address carries it; anything not a poll's id is `unknown`. */
  pollId: string;
  voter: Pick<Inbound, 'channel' | 'sender'>;
  /** The chat the poll was answered from (a poll sent to certain chats takes answers from those only). */
  chatId: string;
  answer?: number;
  comment?: string;
  /** When the person answered: a vote cast later still counts as of then. */
  at: Date;
  /** The button's value did not come from this server: refused as `invalid_answer`, nothing cast. */
  forged?: boolean;
}

export interface VoteAnswer {
  outcome: VoteOutcome;
  /** Whether the vote or comment now counts (the other outcomes are refusals, which cast nothing). */
  cast: boolean;
  /** The voter's language, as far as it is known. */
  lang: Lang;
  /** What the voter is told, in both languages (with the note on anonymity on a first answer). */
  reply: L10n;
  /** A first answer's fuller statement of what is kept, in the voter's language. */
  privacy?: string;
}

export interface Intake {
  /**
   * Counts a message against the sender's messages a minute before it is read (the web chat does,
   * before its other limits): null when it may go on, else what to tell them. `take` then needs
   * `admitted`, so it is not counted twice.
   */
  admit(inbound: Pick<Inbound, 'channel' | 'sender'>): Promise<L10n | null>;
  /** Takes a message or button press in. Resolves once it is safely kept (or refused). */
  take(inbound: Inbound, options?: TakeOptions): Promise<Taken>;
  /** Casts a vote given by a button or form, refusals included; nothing about the voter is kept. */
  vote(request: VoteRequest): Promise<VoteAnswer>;
  /** The short note on what is kept of an answer, for a channel that answers before the vote is cast. */
  anonymityNote(): L10n;
  /**
   * Keeps a file uploaded to the channel's own page (the web chat), checked by its content and
   * sealed, before the message naming it is taken (`key`: that message's dedupe key, so an upload
   * sent again is kept once): the `ref` to put in that message's file content, or why the file was
   * refused, the limit stated (`busy`: the sender has too many files waiting, not a bad file).
   */
  keepFile(
    from: Pick<Inbound, 'channel' | 'sender'>,
    file: { name: string; bytes: Uint8Array; key: string },
  ): Promise<{ ok: true; ref: string; kind: 'image' | 'file' } | { ok: false; text: L10n; busy: boolean }>;
  /** The largest file taken, in bytes (a channel refuses a bigger upload before reading it all). */
  readonly fileMaxBytes: number;
  /** A message this server sent on a channel, by the platform's id for it (a pressed card, say). */
  sent(
    channel: Inbound['channel'],
    platformMessageId: string,
  ): Promise<{ chatId: string; message: Outbound } | null>;
}

/** A count kept per key over a minute: the person and address limits the server keeps for a channel. */
export interface KeyLimit {
  allow(key: string): boolean | Promise<boolean>;
}
