/**
 * The polls' clock: opens polls that are due (posting them), sends each open poll's one reminder
 * when it is due, and closes polls at their closing time (results out, secret gone). One step
 * does at most one of each and resolves to how many it did, so a loop runs again while there is work.
 */
import { inArray, max, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { type PollRow, polls } from '../../../db/schema/index.ts';
import { errorFields, type Logger } from '../../kernel/log.ts';
import { closePoll, forgetLateReminders } from './close.ts';
import { openDuePoll, sendPollReminder } from './posting.ts';
import { type ChatMembers, dueClose, dueReminder, groupPostings, type PollKeys } from './store.ts';

export interface PollJobDeps {
  db: Db;
  log: Logger;
  now: () => Date;
  timeZone: string;
  /** Lists a group chat's members, for the reminder. */
  chatMembers: ChatMembers;
  /** Seals and opens the polls' secrets. */
  keys: PollKeys;
}

/** Opens the next due poll, if any; resolves to how many it opened. */
async function openStep(deps: PollJobDeps): Promise<number> {
  const opened = await openDuePoll(deps.db, {
    now: deps.now(),
    timeZone: deps.timeZone,
    keys: deps.keys,
    chatMembers: deps.chatMembers,
  });
  if (!opened) return 0;
  deps.log.info('poll.opened', { poll: opened.no });
  return 1;
}

/**
 * Each group's members by `channel:chatId`, fetched outside the transaction (the platform may be
 * slow); null when a group could not be listed.
 */
async function listGroupMembers(
  deps: PollJobDeps,
  poll: Pick<PollRow, 'id' | 'no'>,
): Promise<Map<string, { channel: ChannelName; externalIds: string[] }> | null> {
  const members = new Map<string, { channel: ChannelName; externalIds: string[] }>();
  let complete = true;
  for (const posting of await groupPostings(deps.db, poll.id)) {
    try {
      const ids = await deps.chatMembers(posting.channel, posting.chatId);
      if (ids)
        members.set(`${posting.channel}:${posting.chatId}`, {
          channel: posting.channel,
          externalIds: ids,
        });
    } catch (error) {
      deps.log.warn('poll.members_failed', { poll: poll.no, ...errorFields(error) });
      complete = false;
    }
  }
  return complete ? members : null;
}

/** Sends the next due reminder, if any; resolves to how many it sent. */
async function remindStep(deps: PollJobDeps): Promise<number> {
  const reminding = await dueReminder(deps.db, deps.now());
  if (!reminding) return 0;
  const members = await listGroupMembers(deps, reminding);
  // A group that could not be listed is tried again on the next pass, until the poll closes.
  if (!members) return 0;
  const sent = await sendPollReminder(deps.db, reminding.id, members, {
    now: deps.now(),
    timeZone: deps.timeZone,
    keys: deps.keys,
  });
  deps.log.info('poll.reminded', { poll: reminding.no, sent: sent > 0 });
  return 1;
}

/** Closes the next poll due to close, if any; resolves to how many it closed. */
async function closeStep(deps: PollJobDeps): Promise<number> {
  const closing = await dueClose(deps.db, deps.now());
  if (!closing) return 0;
  const closed = await closePoll(deps.db, closing.id, {
    now: deps.now(),
    timeZone: deps.timeZone,
    keys: deps.keys,
  });
  if (!closed) return 0;
  // Below the threshold not even the number of answers is told, in the log either.
  const shown = closed.results?.shown ?? false;
  deps.log.info('poll.closed', {
    poll: closed.no,
    shown,
    ...(shown ? { answers: closed.results?.answers } : {}),
  });
  return 1;
}

/**
 * After any poll closed or was cancelled (here, in the officer API or in chat), the rows its
 * close replaced and its deleted secret are removed from disk, not only from view. Once per
 * instance start, then once per new close: `state.vacuumed` is the latest close vacuumed after.
 */
async function vacuumAfterCloses(deps: PollJobDeps, state: { vacuumed: number }): Promise<void> {
  const [row] = await deps.db
    .select({ last: max(polls.closedAt) })
    .from(polls)
    .where(inArray(polls.status, ['closed', 'cancelled']));
  const last = row?.last ? new Date(row.last).getTime() : 0;
  if (last === 0 || last <= state.vacuumed) return;
  try {
    await deps.db.execute(sql`vacuum poll_votes, poll_secrets, poll_postings`);
    state.vacuumed = last;
  } catch (error) {
    deps.log.warn('poll.vacuum_failed', errorFields(error));
  }
}

export function createPollJobs(deps: PollJobDeps): () => Promise<number> {
  const state = { vacuumed: 0 };
  return async () => {
    let done = 0;
    done += await openStep(deps);
    done += await remindStep(deps);
    done += await closeStep(deps);
    await forgetLateReminders(deps.db, deps.now());
    await vacuumAfterCloses(deps, state);
    return done;
  };
}
