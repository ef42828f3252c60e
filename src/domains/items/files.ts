/**
 * Files on items, in the database: a web upload kept at once (checked, sealed), a Lark file noted
 * to fetch later, a draft taking one, an item taking a draft's files when filed, and reading them
 * back for the console. Who sent a file is only a keyed tag, which an anonymous item's files lose.
 */
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import {
  type AttachmentAccepts,
  type AttachmentState,
  attachments,
  submissions,
} from '../../../db/schema/index.ts';
import { type FileRefusal, filesPerItem } from '../../../flows/files/rules.ts';
import type { Lang } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { checkFile } from './file-rules.ts';

export const ownerTag = (keys: KeyRing, personId: string) => keys.mac('attachment-owner', personId);

/** A file as a draft or the console knows it. */
export interface FileInfo {
  id: string;
  name: string;
  kind: 'image' | 'file';
}

/** Files one person may have uploaded and not yet put on any draft or item. */
const looseFilesPerPerson = 20;

/** The id an upload gets from its message's key, so the same upload sent again is the same row. */
async function uploadId(keys: KeyRing, key: string): Promise<string> {
  const h = await keys.mac('attachment-upload', key);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Keeps a file uploaded in the web chat, checked and sealed; or says why not. `key` is the
 * message's own (the same upload sent again is kept once); past twenty files not yet on anything,
 * the sender is asked to file what they have first.
 */
export async function storeUpload(
  db: Db,
  keys: KeyRing,
  upload: { personId: string; name: string; bytes: Uint8Array; maxBytes: number; key: string },
): Promise<({ ok: true } & FileInfo) | { ok: false; why: FileRefusal }> {
  const tag = await ownerTag(keys, upload.personId);
  const id = await uploadId(keys, upload.key);
  const [kept] = await db
    .select({ mime: attachments.mime, ownerTag: attachments.ownerTag })
    .from(attachments)
    .where(eq(attachments.id, id));
  if (kept)
    return { ok: true, id, name: upload.name, kind: kept.mime?.startsWith('image/') ? 'image' : 'file' };
  const checked = checkFile(upload.bytes, upload.maxBytes);
  if (!checked.ok) return checked;
  const [loose] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(attachments)
    .where(and(eq(attachments.ownerTag, tag), isNull(attachments.submissionId)));
  if ((loose?.n ?? 0) >= looseFilesPerPerson) return { ok: false, why: 'loose' };
  await db
    .insert(attachments)
    .values({
      id,
      ownerTag: tag,
      source: 'web',
      state: 'ready',
      nameSealed: await keys.seal(upload.name),
      mime: checked.type.mime,
      size: checked.bytes.byteLength,
      content: await keys.sealBytes(checked.bytes),
    })
    .onConflictDoNothing();
  const kind = checked.type.class === 'photo' ? 'image' : 'file';
  return { ok: true, id, name: upload.name, kind };
}

/** A person's files not yet on an item become another's (two people joined into one). */
export async function moveLooseFiles(tx: Db, keys: KeyRing, fromId: string, intoId: string): Promise<void> {
  await tx
    .update(attachments)
    .set({ ownerTag: await ownerTag(keys, intoId) })
    .where(and(eq(attachments.ownerTag, await ownerTag(keys, fromId)), isNull(attachments.submissionId)));
}

/** Notes a file a channel holds (a Lark message's), to fetch once a draft or item takes it. */
export async function noteChannelFile(
  tx: Db,
  keys: KeyRing,
  file: {
    personId: string;
    source: 'lark';
    kind: 'image' | 'file';
    ref: string;
    name: string;
    notify: { channel: ChannelName; chatId: string; lang: Lang };
  },
): Promise<string> {
  const [row] = await tx
    .insert(attachments)
    .values({
      ownerTag: await ownerTag(keys, file.personId),
      source: file.source,
      sourceSeal: await keys.seal(file.ref),
      sourceKind: file.kind,
      notifySeal: await keys.seal(JSON.stringify({ ...file.notify, name: file.name })),
      state: 'pending',
      nameSealed: await keys.seal(file.name),
    })
    .returning({ id: attachments.id });
  return row!.id;
}

/** The sender's own file, not yet on an item: what a draft may take. */
export async function ownLooseFile(tx: Db, keys: KeyRing, id: string, personId: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await tx
    .select({
      state: attachments.state,
      mime: attachments.mime,
      nameSealed: attachments.nameSealed,
      source: attachments.source,
      sourceKind: attachments.sourceKind,
    })
    .from(attachments)
    .where(
      and(
        eq(attachments.id, id),
        eq(attachments.ownerTag, await ownerTag(keys, personId)),
        isNull(attachments.submissionId),
      ),
    )
    .for('update');
  return row ?? null;
}

export type HoldOutcome = { ok: true; name: string } | { ok: false; why: FileRefusal };

/**
 * A draft (or an item being added to) takes the sender's file: from now on it is fetched, if it
 * still has to be. A web upload that is not a photo is refused where only photos go.
 */
export async function holdFile(
  tx: Db,
  keys: KeyRing,
  hold: { id: string; personId: string; accepts: AttachmentAccepts },
): Promise<HoldOutcome> {
  const row = await ownLooseFile(tx, keys, hold.id, hold.personId);
  if (!row || row.state === 'refused' || row.state === 'failed') return { ok: false, why: 'gone' };
  const name = await keys.open(row.nameSealed);
  // A file still to fetch is judged by its name for now (a Lark image has none), and by its content once fetched.
  const photo =
    row.state === 'ready'
      ? Boolean(row.mime?.startsWith('image/'))
      : row.source === 'lark' && (row.sourceKind === 'image' || /\.(jpe?g|png|webp)$/i.test(name));
  if (hold.accepts === 'photo' && !photo) return { ok: false, why: 'photo_only' };
  await tx.update(attachments).set({ accepts: hold.accepts }).where(eq(attachments.id, hold.id));
  return { ok: true, name };
}

/**
 * The files a draft held go onto the item filed from it, in the order they came, each given its
 * place among the item's files. On an anonymous item they lose the sender's tag, their names
 * (which may name the sender, or the moment a photo was taken) become 附件1, 附件2…, and the time
 * the fetch job keeps is cut to the hour. Files the sender no longer holds are passed over.
 */
export async function fileOntoItem(
  tx: Db,
  keys: KeyRing,
  link: { ids: readonly string[]; personId: string; submissionId: string; anonymous: boolean },
): Promise<{ id: string; name: string }[]> {
  const ids = link.ids.filter((id) => /^[0-9a-f-]{36}$/.test(id)).slice(0, filesPerItem);
  const tag = await ownerTag(keys, link.personId);
  const placed: { id: string; name: string }[] = [];
  let position = await lastPosition(tx, link.submissionId);
  for (const id of ids) {
    const name = `附件${position + 1}`;
    const [row] = await tx
      .update(attachments)
      .set({
        submissionId: link.submissionId,
        position: position + 1,
        ...(link.anonymous
          ? {
              ownerTag: null,
              nameSealed: await keys.seal(name),
              nextAttemptAt: sql`date_trunc('hour', ${attachments.nextAttemptAt})`,
            }
          : {}),
      })
      .where(and(eq(attachments.id, id), eq(attachments.ownerTag, tag), isNull(attachments.submissionId)))
      .returning({ nameSealed: attachments.nameSealed });
    if (!row) continue;
    position++;
    placed.push({ id, name: link.anonymous ? name : await keys.open(row.nameSealed) });
  }
  return placed;
}

async function lastPosition(tx: Db, submissionId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(${attachments.position}), 0)::int` })
    .from(attachments)
    .where(eq(attachments.submissionId, submissionId));
  return row?.n ?? 0;
}

/** How many files an item holds already (those refused or lost not counted). */
export async function filesOnItem(tx: Db, submissionId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(attachments)
    .where(and(eq(attachments.submissionId, submissionId), inArray(attachments.state, ['pending', 'ready'])));
  return row?.n ?? 0;
}

/** A file as the console lists it. */
export interface ListedFile {
  id: string;
  name: string;
  state: AttachmentState;
  mime: string | null;
  size: number | null;
  refusal: FileRefusal | null;
}

/** An item's files (by its reference), oldest first, their names opened. */
export async function listFiles(db: Db, keys: KeyRing, referenceCode: string): Promise<ListedFile[]> {
  const rows = await db
    .select({
      id: attachments.id,
      nameSealed: attachments.nameSealed,
      state: attachments.state,
      mime: attachments.mime,
      size: attachments.size,
      refusal: attachments.refusal,
    })
    .from(attachments)
    .innerJoin(submissions, eq(submissions.id, attachments.submissionId))
    .where(eq(submissions.referenceCode, referenceCode))
    .orderBy(asc(attachments.position), asc(attachments.id));
  return Promise.all(
    rows.map(async ({ nameSealed, refusal, ...row }) => ({
      ...row,
      name: await keys.open(nameSealed),
      refusal: refusal as FileRefusal | null,
    })),
  );
}

/** One ready file of the item with this reference, opened; null when that item has no such file. */
export async function fileOfItem(
  db: Db,
  keys: KeyRing,
  referenceCode: string,
  id: string,
): Promise<{ kind: string; name: string; mime: string; bytes: Uint8Array } | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await db
    .select({
      kind: submissions.kind,
      state: attachments.state,
      nameSealed: attachments.nameSealed,
      mime: attachments.mime,
      content: attachments.content,
    })
    .from(attachments)
    .innerJoin(submissions, eq(submissions.id, attachments.submissionId))
    .where(and(eq(attachments.id, id), eq(submissions.referenceCode, referenceCode)));
  if (row?.state !== 'ready' || !row.content || !row.mime) return null;
  return {
    kind: row.kind,
    name: await keys.open(row.nameSealed),
    mime: row.mime,
    bytes: await keys.openBytes(row.content),
  };
}

/**
 * Clears files no item took: after two days one no draft took (a photo sent outside a form), and
 * one a draft took once that draft has surely ended (its conversation's time out, and a day more).
 */
export async function sweepLooseFiles(db: Db, now: Date, conversationMinutes: number): Promise<number> {
  const unheld = new Date(now.getTime() - 2 * 86_400_000);
  const held = new Date(now.getTime() - conversationMinutes * 60_000 - 2 * 86_400_000);
  const rows = await db
    .delete(attachments)
    .where(
      and(
        isNull(attachments.submissionId),
        or(
          and(isNull(attachments.accepts), lt(attachments.createdAt, unheld)),
          lt(attachments.createdAt, held),
        ),
      ),
    )
    .returning({ id: attachments.id });
  return rows.length;
}
