/**
 * Files as they come in: a file message handed to the flows as the server's own id for it (a web
 * upload already kept, or a channel's file noted to fetch), and an upload from the web chat's page
 * kept before its message is taken in.
 */
import type { Inbound, InboundContent } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { refusalText } from '../../../flows/files/rules.ts';
import type { L10n, Lang } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { resolvePerson } from '../people/people.ts';
import { noteChannelFile, ownLooseFile, storeUpload } from './files.ts';

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
  file: { name: string; bytes: Uint8Array; maxBytes: number; key: string },
): Promise<{ ok: true; ref: string; kind: 'image' | 'file' } | { ok: false; text: L10n; busy: boolean }> {
  const person = await ctx.db.transaction((tx) => resolvePerson(tx, from));
  const kept = await storeUpload(ctx.db, ctx.keys, { personId: person.id, ...file });
  if (kept.ok) return { ok: true, ref: `${from.channel}:${kept.id}`, kind: kept.kind };
  return {
    ok: false,
    text: refusalText(kept.why, { maxBytes: file.maxBytes, size: file.bytes.byteLength }),
    busy: kept.why === 'loose',
  };
}
