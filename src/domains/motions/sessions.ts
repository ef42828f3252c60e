/** The congress sessions (职代会届次): listed, created, renamed, opened and closed, each change audited. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { congressSessions } from '../../../db/schema/index.ts';
import { audit } from '../../pipeline/audit.ts';
import { type MotionActor, tokenActor } from './store.ts';

export async function listSessions(db: Db) {
  return db.select().from(congressSessions).orderBy(congressSessions.createdAt);
}

/** Creates a session; opening one closes whichever was open (new motions join the open one). */
export async function saveSession(
  db: Db,
  session: { id?: string; nameZh?: string; nameEn?: string; open?: boolean },
  now: Date,
  actor: MotionActor = tokenActor,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    if (session.open)
      await tx.update(congressSessions).set({ open: false }).where(eq(congressSessions.open, true));
    let id = session.id;
    if (id) {
      const updated = await tx
        .update(congressSessions)
        .set({
          ...(session.nameZh ? { nameZh: session.nameZh } : {}),
          ...(session.nameEn ? { nameEn: session.nameEn } : {}),
          ...(session.open !== undefined ? { open: session.open } : {}),
        })
        .where(eq(congressSessions.id, id))
        .returning({ id: congressSessions.id });
      if (updated.length === 0) return null;
    } else {
      const [row] = await tx
        .insert(congressSessions)
        .values({
          nameZh: session.nameZh!,
          nameEn: session.nameEn!,
          open: session.open ?? false,
          createdAt: now,
        })
        .returning({ id: congressSessions.id });
      id = row!.id;
    }
    await audit(tx, {
      at: now,
      actorType: actor.type,
      actorId: actor.id,
      action: 'congress_session.save',
      subjectType: 'congress_session',
      subjectId: id,
      detail: { open: session.open },
    });
    return id;
  });
}
