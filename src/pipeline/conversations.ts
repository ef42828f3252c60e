/** Loads and saves where a conversation stands, locking its row for the length of the transaction. */
import { eq, isNull, sql } from 'drizzle-orm';
import type { ChannelName } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { conversations } from '../../db/schema/index.ts';
import type { ConversationState } from '../../flows/engine/types.ts';

export interface ConversationRef {
  key: string;
  channel: ChannelName;
  chatId: string;
  personId: string;
  chatType: 'private' | 'group';
}

/** The conversation's state, with its row locked until the transaction ends. */
export async function lockConversation(tx: Db, ref: ConversationRef): Promise<ConversationState | null> {
  await tx
    .insert(conversations)
    .values({
      key: ref.key,
      channel: ref.channel,
      chatId: ref.chatId,
      personId: ref.personId,
      chatType: ref.chatType,
    })
    // Rows from before chat types were kept learn theirs from the next message.
    .onConflictDoUpdate({
      target: conversations.key,
      set: { chatType: ref.chatType },
      setWhere: isNull(conversations.chatType),
    });
  const [row] = await tx.select().from(conversations).where(eq(conversations.key, ref.key)).for('update');
  return row ? stateOf(row) : null;
}

export function stateOf(row: typeof conversations.$inferSelect): ConversationState | null {
  if (!row.flow || row.flowVersion === null || !row.step || !row.expiresAt) return null;
  const stored = (row.state ?? {}) as { data?: unknown; history?: unknown };
  return {
    flow: row.flow,
    version: row.flowVersion,
    step: row.step,
    data: stored.data ?? null,
    history: Array.isArray(stored.history)
      ? stored.history.filter((s): s is string => typeof s === 'string')
      : [],
    expiresAt: row.expiresAt.toISOString(),
  };
}

export async function saveConversation(tx: Db, key: string, state: ConversationState | null): Promise<void> {
  await tx
    .update(conversations)
    .set(
      state
        ? {
            flow: state.flow,
            flowVersion: state.version,
            step: state.step,
            state: { data: state.data, history: state.history },
            expiresAt: new Date(state.expiresAt),
            updatedAt: new Date(),
            // A new flow may be reminded of once more; the same flow going on keeps its one reminder.
            remindedAt: sql`case when ${conversations.flow} is distinct from ${state.flow} then null else ${conversations.remindedAt} end`,
          }
        : {
            flow: null,
            flowVersion: null,
            step: null,
            state: null,
            expiresAt: null,
            updatedAt: new Date(),
            remindedAt: null,
          },
    )
    .where(eq(conversations.key, key));
}
