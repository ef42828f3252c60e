/**
 * The channel port: everything the server needs from one messenger. A channel sends what the
 * outbox hands it, serves its own HTTP routes (a webhook, a page) and may keep a connection of
 * its own; whatever way a message comes, it goes in through the `Intake` it is given.
 */
import type { Hono } from 'hono';
import type { Directory } from './directory.ts';
import type { MessageFiles } from './files.ts';
import type { Intake } from './intake.ts';
import type { ChannelName, ChannelSender } from './messenger.ts';

export interface Channel {
  readonly name: ChannelName;
  readonly sender: ChannelSender;
  /** The routes it serves on the server's HTTP, taking messages in through `intake`. */
  routes?(intake: Intake): Hono;
  /** Starts taking messages by other means (a long connection, a logged-in client). */
  start?(intake: Intake): Promise<void> | void;
  /** Stops what `start` started. */
  stop?(): Promise<void> | void;
  /** The members of a group chat by the ids its senders have, or null when it cannot tell (poll reminders). */
  members?(chatId: string): Promise<string[] | null>;
  /** Resolves once the work taken in and answered early is done (Lark's votes answered "being processed"). */
  settled?(): Promise<void>;
  /** How much of that work is still to do (card votes not yet cast). */
  pending?(): number;
  /** The platform's own directory of departments and people, where it has one (Lark's contacts). */
  readonly directory?: Directory;
  /** The photos and documents people send, fetched from the platform (Lark's message resources). */
  readonly files?: MessageFiles;
}
