/**
 * Whether someone is in a group chat, for a poll answered by code in a private chat: asked of the
 * platform, and remembered for a minute per group, so a burst of answers makes one request.
 */
import type { ChatMembers, GroupMember } from './store.ts';

const keepMs = 60_000;

export function createGroupMember(members: ChatMembers, clock: () => number = Date.now): GroupMember {
  const cache = new Map<string, { at: number; ids: ReadonlySet<string> }>();
  return async (channel, groupChatId, externalId) => {
    const key = `${channel}:${groupChatId}`;
    const hit = cache.get(key);
    if (hit && clock() - hit.at < keepMs) return hit.ids.has(externalId);
    const ids = await members(channel, groupChatId).catch(() => null);
    if (!ids) return false;
    if (cache.size > 1000) cache.clear();
    cache.set(key, { at: clock(), ids: new Set(ids) });
    return ids.includes(externalId);
  };
}
