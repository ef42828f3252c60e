/**
 * Where every channel's messages come in: the flood guard, poll answers typed by code (through
 * the polls capability's hook), the inbox write and the wake-up, with the web chat's history kept.
 */
import { keepUpload } from '../domains/items/file-intake.ts';
import { createGroupMember } from '../domains/polls/group-member.ts';
import { createPollHook } from '../domains/polls/intake-hook.ts';
import type { ChatMembers } from '../domains/polls/store.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { createChannelInboxWriters } from '../pipeline/inbox-writer.ts';
import { createIntake } from '../pipeline/intake.ts';
import { storeIncoming } from '../pipeline/web-history.ts';
import type { ServiceConfig } from './services.ts';
import type { limitsOf } from './services-channels.ts';

export function buildIntake(
  ctx: Ctx,
  config: Pick<ServiceConfig, 'VOTES_PER_MINUTE' | 'INBOUND_PER_MINUTE' | 'ATTACHMENT_MAX_MB'>,
  parts: { limits: ReturnType<typeof limitsOf>; chatMembers: ChatMembers },
) {
  const { db, keys } = ctx;
  const maxBytes = config.ATTACHMENT_MAX_MB * 1_048_576;
  return createIntake(ctx, {
    files: { keep: (from, file) => keepUpload(ctx, from, { ...file, maxBytes }), maxBytes },
    accept: createChannelInboxWriters(db, keys),
    polls: createPollHook(ctx, {
      // One count of poll answers per person, whichever way they answer.
      voteLimit: parts.limits.person('votes', config.VOTES_PER_MINUTE),
      groupMember: createGroupMember(parts.chatMembers),
    }),
    floodGuard: parts.limits.person('messages', config.INBOUND_PER_MINUTE),
    recentTextVotes: parts.limits.recentTextVotes(),
    keepShown: {
      web: (tx, inbound, shown) =>
        storeIncoming(
          tx,
          keys,
          inbound.chat.id,
          inbound.dedupeKey.slice(`web:${inbound.chat.id}:`.length),
          shown,
        ),
    },
  });
}
