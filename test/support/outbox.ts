/** The outbox as tests read it: every row's sealed payload opened with the stack's key ring. */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { type OutboxRow, outbox } from '../../db/schema/index.ts';
import type { KeyRing } from '../../src/kernel/crypto/sealed.ts';
import { openOutboxRow } from '../../src/pipeline/outbox.ts';

export interface OpenedRow extends OutboxRow {
  /** The real chat (for a row whose recipient is hidden, the one inside its seal). */
  to: string;
  message: Record<string, unknown>;
}

/** Every outbox row, oldest first, opened; `chatId` narrows to rows whose real chat is that one. */
export async function openedOutbox(db: Db, keys: KeyRing, chatId?: string): Promise<OpenedRow[]> {
  const rows = await db.select().from(outbox).orderBy(asc(outbox.id));
  const opened = await Promise.all(
    rows.map(async (row) => {
      const { chatId: to, message } = await openOutboxRow(keys, row);
      return { ...row, to, message: message as Record<string, unknown> };
    }),
  );
  return chatId === undefined ? opened : opened.filter((r) => r.to === chatId);
}

/** How many messages with exactly this text were queued (sent or not). */
export async function queuedWithText(db: Db, keys: KeyRing, text: string): Promise<number> {
  return (await openedOutbox(db, keys)).filter((r) => r.message.text === text).length;
}

/** One row by id, opened. */
export async function openedRow(db: Db, keys: KeyRing, id: number): Promise<OpenedRow | null> {
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id));
  if (!row) return null;
  const { chatId: to, message } = await openOutboxRow(keys, row);
  return { ...row, to, message: message as Record<string, unknown> };
}
