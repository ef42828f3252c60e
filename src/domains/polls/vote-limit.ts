/**
 * A per-person limit on poll answers, whichever way they come (a Lark card button, the web
 * chat's vote endpoint, a code typed in any chat), so a script cannot hammer the votes table
 * with one identity: past VOTES_PER_MINUTE a minute the answer is refused with a message in both
 * languages (429, a toast, a reply) and nothing is cast. Kept in this instance's memory, like
 * the message limit (intake/flood-guard.ts), or in the database where instances share it.
 */
import type { Inbound } from '../../../bots/core/messenger.ts';
import type { PersonLimit } from '../../pipeline/flood-guard.ts';

/** Counts one answer from this voter; false when they are already at the limit (or true without a limit). */
export async function allowVote(
  limit: PersonLimit | undefined,
  voter: Pick<Inbound, 'channel' | 'sender'>,
): Promise<boolean> {
  return !limit || (await limit.allow(`${voter.channel}:${voter.sender.externalId}`));
}
