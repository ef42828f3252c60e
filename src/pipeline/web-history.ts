/**
 * The web chat's history, kept by the server (the `WebHistory` port of bots/web): what each
 * visitor sent and what the bot delivered to them, every entry sealed with the data key, opened
 * only when the visitor reads their history.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { isSealedPayload, type Sealer } from '../../bots/core/messenger.ts';
import type { WebHistory, WebMessage } from '../../bots/web/history.ts';
import type { WebBubble } from '../../bots/web/render.ts';
import type { Db } from '../../db/handle.ts';
import { webChatMessages, webVisitors } from '../../db/schema/index.ts';

export type IncomingPayload = { text: string } | { label: string };

/**
 * Locks the visitor's row until the transaction ends. Message ids are drawn after this, so one
 * visitor's messages commit in id order and `messagesAfter(lastId)` cannot pass over a late one.
 */
async function lockVisitor(tx: Db, visitor: string): Promise<void> {
  await tx
    .insert(webVisitors)
    .values({ visitorId: visitor })
    .onConflictDoUpdate({ target: webVisitors.visitorId, set: { lastSeenAt: sql`now()` } });
}

/** Records what the visitor sent, sealed; call inside the transaction that writes the inbox row. */
export async function storeIncoming(
  tx: Db,
  sealer: Sealer,
  visitor: string,
  key: string,
  payload: IncomingPayload,
): Promise<void> {
  const sealed = { sealed: await sealer.seal(JSON.stringify(payload)) };
  await lockVisitor(tx, visitor);
  await tx
    .insert(webChatMessages)
    .values({ visitorId: visitor, direction: 'in', messageKey: key, payload: sealed })
    .onConflictDoNothing();
}

/**
 * Stores a delivered bubble, sealed, once per key; a repeated delivery returns the first row's id.
 * `topic` tags bubbles that may have to be found again without opening them (a poll's reminders).
 */
export async function storeOutgoing(
  db: Db,
  sealer: Sealer,
  visitor: string,
  key: string,
  bubble: WebBubble,
  topic?: string,
): Promise<number> {
  const sealed = { sealed: await sealer.seal(JSON.stringify(bubble)) };
  return db.transaction(async (tx) => {
    await lockVisitor(tx, visitor);
    const [row] = await tx
      .insert(webChatMessages)
      .values({ visitorId: visitor, direction: 'out', messageKey: key, payload: sealed, topic })
      .onConflictDoNothing()
      .returning({ id: webChatMessages.id });
    if (row) return row.id;
    const [existing] = await tx
      .select({ id: webChatMessages.id })
      .from(webChatMessages)
      .where(
        and(
          eq(webChatMessages.visitorId, visitor),
          eq(webChatMessages.direction, 'out'),
          eq(webChatMessages.messageKey, key),
        ),
      );
    return existing!.id;
  });
}

/** The visitor's messages after an id, sealed ones opened for them. */
export async function messagesAfter(
  db: Db,
  visitor: string,
  afterId: number,
  limit: number,
  sealer: Sealer,
): Promise<WebMessage[]> {
  const rows = await db
    .select()
    .from(webChatMessages)
    .where(and(eq(webChatMessages.visitorId, visitor), gt(webChatMessages.id, afterId)))
    .orderBy(asc(webChatMessages.id))
    .limit(limit);
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      direction: r.direction,
      payload: isSealedPayload(r.payload) ? await openOrPlaceholder(sealer, r.payload.sealed) : r.payload,
      at: r.createdAt.toISOString(),
    })),
  );
}

/** What a message sealed with a key no longer held shows in the visitor's history. */
export const unreadableText =
  '🔒 此消息已无法显示（密钥已更换） · This message can no longer be shown (the key was changed)';

/** A history entry opened, or, when its key is gone, a line saying so (the rest of the history still shows). */
async function openOrPlaceholder(sealer: Sealer, sealed: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await sealer.open(sealed)) as Record<string, unknown>;
  } catch {
    return { text: unreadableText };
  }
}

/** What a redacted message shows in the visitor's history. */
export const redactedText = '🔒 已加密保存 · Stored encrypted';

/**
 * Blanks what the visitor sent for one inbound event (answers in a help request): history shows
 * that something was sent, not what. The event's dedupe key is `web:<visitor>:<message id>`.
 */
export async function redactIncoming(tx: Db, visitor: string, dedupeKey: string): Promise<void> {
  const prefix = `web:${visitor}:`;
  if (!dedupeKey.startsWith(prefix)) return;
  await tx
    .update(webChatMessages)
    .set({ payload: { text: redactedText, redacted: true } })
    .where(
      and(
        eq(webChatMessages.visitorId, visitor),
        eq(webChatMessages.direction, 'in'),
        eq(webChatMessages.messageKey, dedupeKey.slice(prefix.length)),
      ),
    );
}

/** The history as the web channel reads and adds to it. */
export function createWebHistory(db: Db, sealer: Sealer): WebHistory {
  return {
    after: (visitor, afterId, limit) => messagesAfter(db, visitor, afterId, limit, sealer),
    delivered: (visitor, key, bubble, topic) => storeOutgoing(db, sealer, visitor, key, bubble, topic),
  };
}
