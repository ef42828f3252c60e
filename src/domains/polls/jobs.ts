/**
 * The polls' clock: opens polls that are due (posting them), sends each open poll's one reminder
 * when it is due, and closes polls at their closing time (results out, secret gone). One step
 * does at most one of each and resolves to how many it did, so a loop runs again while there is work.
 */
import { inArray, max, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import { type PollRow, polls } from '../../../db/schema/index.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import { errorFields } from '../../kernel/log.ts';
import { closePoll, forgetLateReminders } from './close.ts';
import { openDuePoll, sendPollReminder } from './posting.ts';
import { type ChatMembers, dueClose, dueReminder, groupPostings } from './store.ts';

/** What the polls' clock reads of the context; `keys` seal and open the polls' secrets. */
type PollJobCtx = Pick<Ctx, 'db' | 'now' | 'log' | 'timeZone' | 'keys'>;

/** Opens the next due poll, if any; resolves to how many it opened. */
async function openStep(ctx: PollJobCtx, chatMembers: ChatMembers): Promise<number> {
  const opened = await openDuePoll(ctx.db, {
    now: ctx.now(),
    timeZone: ctx.timeZone,
    keys: ctx.keys,
    chatMembers,
  });
  if (!opened) return 0;
  ctx.log.info('poll.opened', { poll: opened.no });
  return 1;
}

/**
 * Each group's members by `channel:chatId`, fetched outside the transaction (the platform may be
 * slow); null when a group could not be listed.
 */
async function listGroupMembers(
  ctx: PollJobCtx,
  chatMembers: ChatMembers,
  poll: Pick<PollRow, 'id' | 'no'>,
): Promise<Map<string, { channel: ChannelName; externalIds: string[] }> | null> {
  const members = new Map<string, { channel: ChannelName; externalIds: string[] }>();
  let complete = true;
  for (const posting of await groupPostings(ctx.db, poll.id)) {
    try {
      const ids = await chatMembers(posting.channel, posting.chatId);
      if (ids)
        members.set(`${posting.channel}:${posting.chatId}`, {
          channel: posting.channel,
          externalIds: ids,
        });
    } catch (error) {
      ctx.log.warn('poll.members_failed', { poll: poll.no, ...errorFields(error) });
      complete = false;
    }
  }
  return complete ? members : null;
}

/** Sends the next due reminder, if any; resolves to how many it sent. */
async function remindStep(ctx: PollJobCtx, chatMembers: ChatMembers): Promise<number> {
  const reminding = await dueReminder(ctx.db, ctx.now());
  if (!reminding) return 0;
  const members = await listGroupMembers(ctx, chatMembers, reminding);
  // A group that could not be listed is tried again on the next pass, until the poll closes.
  if (!members) return 0;
  const sent = await sendPollReminder(ctx.db, reminding.id, members, {
    now: ctx.now(),
    timeZone: ctx.timeZone,
    keys: ctx.keys,
  });
  ctx.log.info('poll.reminded', { poll: reminding.no, sent: sent > 0 });
  return 1;
}

/** Closes the next poll due to close, if any; resolves to how many it closed. */
async function closeStep(ctx: PollJobCtx): Promise<number> {
  const closing = await dueClose(ctx.db, ctx.now());
  if (!closing) return 0;
  const closed = await closePoll(ctx.db, closing.id, {
    now: ctx.now(),
    timeZone: ctx.timeZone,
    keys: ctx.keys,
  });
  if (!closed) return 0;
  // Below the threshold not even the number of answers is told, in the log either.
  const shown = closed.results?.shown ?? false;
  ctx.log.info('poll.closed', {
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
async function vacuumAfterCloses(ctx: PollJobCtx, state: { vacuumed: number }): Promise<void> {
  const [row] = await ctx.db
    .select({ last: max(polls.closedAt) })
    .from(polls)
    .where(inArray(polls.status, ['closed', 'cancelled']));
  const last = row?.last ? new Date(row.last).getTime() : 0;
  if (last === 0 || last <= state.vacuumed) return;
  try {
    await ctx.db.execute(sql`vacuum poll_votes, poll_secrets, poll_postings`);
    state.vacuumed = last;
  } catch (error) {
    ctx.log.warn('poll.vacuum_failed', errorFields(error));
  }
}

export function createPollJobs(
  ctx: PollJobCtx,
  options: {
    /** Lists a group chat's members, for the reminder. */
    chatMembers: ChatMembers;
  },
): () => Promise<number> {
  const { chatMembers } = options;
  const state = { vacuumed: 0 };
  return async () => {
    let done = 0;
    done += await openStep(ctx, chatMembers);
    done += await remindStep(ctx, chatMembers);
    done += await closeStep(ctx);
    await forgetLateReminders(ctx.db, ctx.now());
    await vacuumAfterCloses(ctx, state);
    return done;
  };
}
