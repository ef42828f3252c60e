/** The web chat's message store: what each visitor sent and what the bot delivered to them. */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { webChatMessages, webVisitors } from '../../db/schema/index.ts';
import type { WebBubble } from './render.ts';

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

/** Records what the visitor sent; call inside the transaction that writes the inbox row. */
export async function storeIncoming(
  tx: Db,
  visitor: string,
  key: string,
  payload: IncomingPayload,
): Promise<void> {
  await lockVisitor(tx, visitor);
  await tx
    .insert(webChatMessages)
    .values({ visitorId: visitor, direction: 'in', messageKey: key, payload })
    .onConflictDoNothing();
}

/** Stores a delivered bubble once per key; a repeated delivery returns the first row's id. */
export async function storeOutgoing(
  db: Db,
  visitor: string,
  key: string,
  bubble: WebBubble,
): Promise<number> {
  return db.transaction(async (tx) => {
    await lockVisitor(tx, visitor);
    const [row] = await tx
      .insert(webChatMessages)
      .values({ visitorId: visitor, direction: 'out', messageKey: key, payload: { ...bubble } })
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

export async function messagesAfter(db: Db, visitor: string, afterId: number, limit: number) {
  const rows = await db
    .select()
    .from(webChatMessages)
    .where(and(eq(webChatMessages.visitorId, visitor), gt(webChatMessages.id, afterId)))
    .orderBy(asc(webChatMessages.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    payload: r.payload,
    at: r.createdAt.toISOString(),
  }));
}
