/**
 * Where a WeChat message enters the system: a poll answered by its code is taken at once and
 * answered privately (never stored with the sender); anything else goes to the inbox, deduplicated
 * on the message id, and the inbox processor takes it from there like every channel's.
 */
import type { Inbound } from '../bots/core/messenger.ts';
import type { Db } from '../db/handle.ts';
import type { PersonLimit } from './intake/flood-guard.ts';
import type { Logger } from './log.ts';
import { takeTextVote } from './polls/text-votes.ts';
import type { InboxWriter } from './store/inbox-writer.ts';
import { enqueue } from './store/outbox.ts';
import type { GroupMember, PollKeys } from './store/polls.ts';

export interface WechatIntakeDeps {
  db: Db;
  accept: InboxWriter;
  log: Logger;
  now: () => Date;
  timeZone: string;
  publicUrl: string;
  keys: PollKeys;
  groupMember?: GroupMember;
  wake: { inbox(): void; outbox(): void };
  /** Drops a person's messages past so many a minute (WeChat cannot be asked to send them again). */
  floodGuard?: PersonLimit;
  /** Refuses a person's poll answers past so many a minute. */
  voteLimit?: PersonLimit;
}

export async function takeWechatInbound(
  deps: WechatIntakeDeps,
  inbound: Inbound,
): Promise<'vote' | 'accepted' | 'duplicate' | 'throttled'> {
  if (deps.floodGuard && !(await deps.floodGuard.allow(`wechat:${inbound.sender.externalId}`))) {
    deps.log.warn('wechat.throttled', {});
    return 'throttled';
  }
  if (inbound.content.type === 'text') {
    const vote = await takeTextVote(deps.db, inbound, inbound.content.text, {
      now: deps.now(),
      timeZone: deps.timeZone,
      publicUrl: deps.publicUrl,
      keys: deps.keys,
      ...(deps.groupMember ? { groupMember: deps.groupMember } : {}),
      ...(deps.voteLimit ? { voteLimit: deps.voteLimit } : {}),
    });
    if (vote) {
      // An answer typed in a group is answered to the person alone.
      const chatId = inbound.chat.type === 'group' ? inbound.sender.externalId : inbound.chat.id;
      await enqueue(deps.db, deps.keys, [{ channel: 'wechat', chatId, message: vote.reply }]);
      deps.wake.outbox();
      return 'vote';
    }
  }
  const result = await deps.accept(inbound);
  if (result.accepted) {
    deps.log.debug('inbox.accepted', { channel: 'wechat', id: result.id });
    deps.wake.inbox();
    return 'accepted';
  }
  return 'duplicate';
}
