/**
 * What the channel contract needs from a channel: people who talk to the bot the way the
 * platform carries them (a signed webhook, a puppet's events, the web chat's HTTP), and the way
 * the platform fails. A new channel is accepted by writing its driver and passing the contract.
 */
import type { ChannelName } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import type { Stack } from '../support/stack.ts';

/** A message delivered once, which the driver can deliver again exactly as the platform would. */
export interface Delivery {
  /** Whether the platform was told the message is safely taken (a 2xx, an event handled). */
  taken: boolean;
  /** Delivers it again; resolves to whether the platform was told it is taken. */
  again(): Promise<boolean>;
}

export interface Talker {
  /** Where the bot answers this person (their private chat). */
  readonly chatId: string;
  say(text: string): Promise<Delivery>;
  /** Taps the choice with this label on the latest message that shows it (WeChat: types its number). */
  tap(label: string): Promise<void>;
  /** Everything the bot sent to this person since the last read, as text (runs the jobs first). */
  replies(): Promise<string>;
  /** The labels of the choices on the latest message that has any. */
  choices(): Promise<string[]>;
  /**
   * Answers the poll shown in this chat the way the channel lets a person answer it (a card's
   * button, the web chat's poll, the poll's code typed in), resolving to what the person alone is told.
   */
  answerPoll(pollId: string, code: string, label: string, answer: number): Promise<string>;
}

export interface Group {
  readonly chatId: string;
  /** Says this in the group as `who`, mentioning the bot or not. */
  say(who: Talker, text: string, mention: boolean): Promise<void>;
  /** What the bot said in the group since the last read. */
  replies(): Promise<string>;
  /** What the bot said to this member alone (outside the group) so far. */
  privately(who: Talker): Promise<string>;
}

export interface ChannelDriver {
  readonly name: ChannelName;
  readonly stack: Stack;
  /** The stack's database. */
  readonly db: Db;
  /** The clock the server reads: the real time unless frozen. */
  freezeClock(at: Date | null): void;
  talker(): Promise<Talker>;
  /** A group the bot is in, with these people; null when the channel has no groups (says why). */
  group?(people: Talker[]): Promise<Group>;
  /** Makes the platform refuse every send (as a fault, not a rejection of the message), or stops. */
  refuseSends?(refuse: boolean): void;
  /** Why a behaviour does not apply to this channel. */
  readonly lacks: { groups?: string; sendFailures?: string; refusals?: string };
  close(): Promise<void>;
}

/** The messages a person may send a minute in the contract's stacks (INBOUND_PER_MINUTE). */
export const contractPerMinute = 12;

export const contractEnv = { INBOUND_PER_MINUTE: String(contractPerMinute) };
