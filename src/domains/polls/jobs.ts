/**
 * The polls' clock: opens polls that are due (posting them), sends each open poll's one reminder
 * when it is due, and closes polls at their closing time (results out, secret gone). One step
 * does at most one of each and resolves to how many it did, so a loop runs again while there is work.
 */
import { inArray, max, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { polls } from '../../../db/schema/index.ts';
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

export function createPollJobs(deps: PollJobDeps): () => Promise<number> {
  const { db, log } = deps;
  let vacuumed = 0;
  return async () => {
    let done = 0;
    const opened = await openDuePoll(db, {
      now: deps.now(),
      timeZone: deps.timeZone,
      keys: deps.keys,
      chatMembers: deps.chatMembers,
    });
    if (opened) {
      log.info('poll.opened', { poll: opened.no });
      done++;
    }

    const reminding = await dueReminder(db, deps.now());
    if (reminding) {
      // Members are fetched outside the transaction: the platform may be slow.
      const members = new Map<string, { channel: ChannelName; externalIds: string[] }>();
      let complete = true;
      for (const posting of await groupPostings(db, reminding.id)) {
        try {
          const ids = await deps.chatMembers(posting.channel, posting.chatId);
          if (ids)
            members.set(`${posting.channel}:${posting.chatId}`, {
              channel: posting.channel,
              externalIds: ids,
            });
        } catch (error) {
          log.warn('poll.members_failed', { poll: reminding.no, ...errorFields(error) });
          complete = false;
        }
      }
      // A group that could not be listed is tried again on the next pass, until the poll closes.
      if (complete) {
        const sent = await sendPollReminder(db, reminding.id, members, {
          now: deps.now(),
          timeZone: deps.timeZone,
          keys: deps.keys,
        });
        log.info('poll.reminded', { poll: reminding.no, sent: sent > 0 });
        done++;
      }
    }

    const closing = await dueClose(db, deps.now());
    if (closing) {
      const closed = await closePoll(db, closing.id, {
        now: deps.now(),
        timeZone: deps.timeZone,
        keys: deps.keys,
      });
      if (closed) {
        // Below the threshold not even the number of answers is told, in the log either.
        const shown = closed.results?.shown ?? false;
        log.info('poll.closed', {
          poll: closed.no,
          shown,
          ...(shown ? { answers: closed.results?.answers } : {}),
        });
        done++;
      }
    }
    await forgetLateReminders(db, deps.now());
    await vacuumAfterCloses();
    return done;
  };

  /**
   * After any poll closed or was cancelled (here, in the officer API or in chat), the rows its
   * close replaced and its deleted secret are removed from disk, not only from view. Once per
   * instance start, then once per new close.
   */
  async function vacuumAfterCloses() {
    const [row] = await db
      .select({ last: max(polls.closedAt) })
      .from(polls)
      .where(inArray(polls.status, ['closed', 'cancelled']));
    const last = row?.last ? new Date(row.last).getTime() : 0;
    if (last === 0 || last <= vacuumed) return;
    try {
      await db.execute(sql`vacuum poll_votes, poll_secrets, poll_postings`);
      vacuumed = last;
    } catch (error) {
      log.warn('poll.vacuum_failed', errorFields(error));
    }
  }
}
