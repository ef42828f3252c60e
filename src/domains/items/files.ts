/**
 * Files on items, in the database: a web upload kept at once (checked, sealed), a Lark file noted
 * to fetch later, a draft taking one, an item taking a draft's files when filed, and reading them
 * back for the console. Who sent a file is only a keyed tag, which an anonymous item's files lose.
 */
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { ChannelName, Inbound, InboundContent } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import {
  type AttachmentAccepts,
  type AttachmentState,
  attachments,
  submissions,
} from '../../../db/schema/index.ts';
import { type FileRefusal, filesPerItem, refusalText } from '../../../flows/files/rules.ts';
import type { L10n, Lang } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { resolvePerson } from '../people/people.ts';
import { checkFile } from './file-rules.ts';

export const ownerTag = (keys: KeyRing, personId: string) => keys.mac('attachment-owner', personId);

/** A file as a draft or the console knows it. */
export interface FileInfo {
  id: string;
  name: string;
  kind: 'image' | 'file';
}

/** Keeps a file uploaded in the web chat, checked and sealed; or says why not. */
export async function storeUpload(
  db: Db,
  keys: KeyRing,
  upload: { personId: string; name: string; bytes: Uint8Array; maxBytes: number },
): Promise<({ ok: true } & FileInfo) | { ok: false; why: FileRefusal }> {
  const checked = checkFile(upload.bytes, upload.maxBytes);
  if (!checked.ok) return checked;
  const [row] = await db
    .insert(attachments)
    .values({
      ownerTag: await ownerTag(keys, upload.personId),
      source: 'web',
      state: 'ready',
      nameSealed: await keys.seal(upload.name),
      mime: checked.type.mime,
      size: checked.bytes.byteLength,
      content: await keys.sealBytes(checked.bytes),
    })
    .returning({ id: attachments.id });
  const kind = checked.type.class === 'photo' ? 'image' : 'file';
  return { ok: true, id: row!.id, name: upload.name, kind };
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
      notifySeal: await keys.seal(JSON.stringify(file.notify)),
      state: 'pending',
      nameSealed: await keys.seal(file.name),
    })
    .returning({ id: attachments.id });
  return row!.id;
}

/** The sender's own file, not yet on an item: what a draft may take. */
async function ownLooseFile(tx: Db, keys: KeyRing, id: string, personId: string) {
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
 * The files a draft held go onto the item filed from it. On an anonymous item they lose the
 * sender's tag. Files the sender no longer holds (or never did) are passed over.
 */
export async function fileOntoItem(
  tx: Db,
  keys: KeyRing,
  link: { ids: readonly string[]; personId: string; submissionId: string; anonymous: boolean },
): Promise<number> {
  const ids = link.ids.filter((id) => /^[0-9a-f-]{36}$/.test(id)).slice(0, filesPerItem);
  if (ids.length === 0) return 0;
  const rows = await tx
    .update(attachments)
    .set({
      submissionId: link.submissionId,
      ...(link.anonymous ? { ownerTag: null } : {}),
    })
    .where(
      and(
        inArray(attachments.id, ids),
        eq(attachments.ownerTag, await ownerTag(keys, link.personId)),
        isNull(attachments.submissionId),
      ),
    )
    .returning({ id: attachments.id });
  return rows.length;
}

/** How many files an item holds already. */
export async function filesOnItem(tx: Db, submissionId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(attachments)
    .where(eq(attachments.submissionId, submissionId));
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
    .orderBy(asc(attachments.seq));
  return Promise.all(
    rows.map(async ({ nameSealed, refusal, ...row }) => ({
      ...row,
      name: await keys.open(nameSealed),
      refusal: refusal as FileRefusal | null,
    })),
  );
}

/** One file's item and content, for serving it to someone who may read the item; null when it has none. */
export async function readFile(
  db: Db,
  keys: KeyRing,
  id: string,
): Promise<{ submissionId: string; name: string; mime: string; bytes: Uint8Array } | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  if (!row?.submissionId || row.state !== 'ready' || !row.content || !row.mime) return null;
  return {
    submissionId: row.submissionId,
    name: await keys.open(row.nameSealed),
    mime: row.mime,
    bytes: await keys.openBytes(row.content),
  };
}

/** Clears files no item took within two days (a draft abandoned, a photo sent outside a form). */
export async function sweepLooseFiles(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 2 * 86_400_000);
  const rows = await db
    .delete(attachments)
    .where(and(isNull(attachments.submissionId), lt(attachments.createdAt, cutoff)))
    .returning({ id: attachments.id });
  return rows.length;
}

/**
 * A file message as the flows see it: a web upload already kept is named by its id (when it is the
 * sender's own and on no item yet); a channel's file is noted, to fetch once a draft takes it.
 * Anything else is a message the bot cannot read.
 */
export async function receiveFile(
  tx: Db,
  keys: KeyRing,
  person: { id: string; language: Lang },
  inbound: Pick<Inbound, 'channel' | 'chat' | 'content'>,
): Promise<InboundContent> {
  const { content } = inbound;
  if (content.type !== 'file') return content;
  const unreadable: InboundContent = { type: 'unsupported', kind: 'file' };
  if (inbound.channel === 'web' && content.ref.startsWith('web:')) {
    const id = content.ref.slice(4);
    return (await ownLooseFile(tx, keys, id, person.id)) ? { ...content, ref: id } : unreadable;
  }
  if (inbound.channel === 'lark' && content.ref.startsWith('lark:')) {
    const id = await noteChannelFile(tx, keys, {
      personId: person.id,
      source: 'lark',
      kind: content.kind,
      ref: content.ref,
      name: content.name,
      notify: { channel: inbound.channel, chatId: inbound.chat.id, lang: person.language },
    });
    return { ...content, ref: id };
  }
  return unreadable;
}

/**
 * An upload from the web chat's page: the sender is found (or made, for a new visitor) in a
 * transaction of its own, then the file is checked and kept in another, so its row shares no
 * transaction with anything naming them.
 */
export async function keepUpload(
  ctx: { db: Db; keys: KeyRing },
  from: Pick<Inbound, 'channel' | 'sender'>,
  file: { name: string; bytes: Uint8Array; maxBytes: number },
): Promise<{ ok: true; ref: string; kind: 'image' | 'file' } | { ok: false; text: L10n }> {
  const person = await ctx.db.transaction((tx) => resolvePerson(tx, from));
  const kept = await storeUpload(ctx.db, ctx.keys, { personId: person.id, ...file });
  if (kept.ok) return { ok: true, ref: `${from.channel}:${kept.id}`, kind: kept.kind };
  return { ok: false, text: refusalText(kept.why, { maxBytes: file.maxBytes, size: file.bytes.byteLength }) };
}
