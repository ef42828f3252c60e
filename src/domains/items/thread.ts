/**
 * A case as a conversation: an officer's message to an item's author that moves nothing (仅答复)
 * or asks something, and the author's answer or 补充说明. Each goes on the item's timeline (sealed
 * on a help case, like everything of one) and to the other side: the author where they filed it,
 * with the reply opened for them so they can simply type; the officers handling the item in their
 * private chats. An anonymous item's author is reached through its sealed author and named nowhere;
 * their own message is written as the author's, timed to the minute.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import {
  conversations,
  type SubmissionRow,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import type { CaseMessageOutcome, ItemMessageOutcome } from '../../../flows/commands/item-effects.ts';
import { authorMessageNotice, officerMessageNotice } from '../../../flows/commands/thread.ts';
import { MENU } from '../../../flows/engine/setup.ts';
import type { ConversationState } from '../../../flows/engine/types.ts';
import { type FileRefusal, filesPerItem } from '../../../flows/files/rules.ts';
import { nextStatuses } from '../../../flows/lifecycles.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { saveConversation } from '../../pipeline/conversations.ts';
import { enqueue } from '../../pipeline/outbox.ts';
import { sealFlowState } from '../../pipeline/sensitive.ts';
import { auditActor } from '../people/actors.ts';
import { itemReaders, tellContacts } from '../people/officer-contacts.ts';
import { type Author, authorContact, authoredBy, authorTime } from './authors.ts';
import { findCase, type OfficerScope } from './cases.ts';
import { fileOntoItem, filesOnItem, holdFile } from './files.ts';

/** How long the author's chat waits for their answer to an officer's message. */
const answerHours = 24;

const noteOf = async (keys: KeyRing, item: SubmissionRow, text: string) =>
  item.kind === 'help_request' ? keys.seal(text) : text;

/**
 * Opens the reply to this item in the author's private chat, unless they are in the middle of
 * something else there (a form): then the 回复 button on the message is their way.
 */
async function openReply(tx: Db, keys: KeyRing, author: Author, referenceCode: string, now: Date) {
  const [row] = await tx
    .select({ key: conversations.key, flow: conversations.flow, expiresAt: conversations.expiresAt })
    .from(conversations)
    .where(
      and(
        eq(conversations.channel, author.channel),
        eq(conversations.chatId, author.chatId),
        eq(conversations.personId, author.personId),
        eq(conversations.chatType, 'private'),
      ),
    )
    .for('update');
  const busy =
    row?.flow && row.flow !== MENU && row.flow !== 'item_reply' && row.expiresAt && row.expiresAt > now;
  if (!row || busy) return;
  const state: ConversationState = {
    flow: 'item_reply',
    version: 1,
    step: 'text',
    data: { ref: referenceCode },
    history: [],
    expiresAt: new Date(now.getTime() + answerHours * 3_600_000).toISOString(),
  };
  await saveConversation(tx, row.key, await sealFlowState(state, keys));
}

/** An officer writes to the item's author without moving it. */
export async function officerWrites(
  tx: Db,
  officer: OfficerScope,
  message: { referenceCode: string; text: string; question: boolean },
): Promise<CaseMessageOutcome> {
  const found = await findCase(tx, message.referenceCode, officer, 'item.move');
  if (!found.ok) return { ok: false, reason: found.reason === 'not_yours' ? 'not_yours' : 'not_found' };
  const item = found.row.submission;
  const actor = auditActor(officer.actor);
  await tx.insert(submissionEvents).values({
    submissionId: item.id,
    at: officer.now,
    ...actor,
    type: message.question ? 'question' : 'message_out',
    note: await noteOf(officer.keyRing, item, message.text),
  });
  await tx.update(submissions).set({ updatedAt: officer.now }).where(eq(submissions.id, item.id));
  await audit(tx, {
    at: officer.now,
    ...actor,
    action: 'submission.message',
    subjectType: 'submission',
    subjectId: item.referenceCode,
    detail: { question: message.question },
  });
  const author = await authorContact(tx, officer.keyRing, item);
  if (author) {
    await enqueue(tx, officer.keyRing, [
      {
        channel: author.channel,
        chatId: author.chatId,
        ...(author.hidden ? { hideRecipient: true } : {}),
        message: officerMessageNotice(item, message, author.language),
      },
    ]);
    // Only a question opens the reply, and never for an anonymous author: writing their
    // conversation in the officer's transaction would tie the item to them.
    if (message.question && !author.hidden)
      await openReply(tx, officer.keyRing, author, item.referenceCode, officer.now);
  }
  return { ok: true };
}

/** The author writes on their own open item; the officers handling it are told. */
export async function authorWrites(
  tx: Db,
  keys: KeyRing,
  message: {
    personId: string;
    referenceCode: string;
    text: string;
    /** A photo or document sent as the message, and the largest file taken. */
    file?: { id: string; name: string } | undefined;
    maxBytes: number;
    now: Date;
  },
): Promise<ItemMessageOutcome & { anonymous?: boolean }> {
  const [item] = await tx
    .select()
    .from(submissions)
    .where(
      and(eq(submissions.referenceCode, message.referenceCode), await authoredBy(keys, message.personId)),
    )
    .for('update');
  if (!item) return { ok: false, reason: 'not_found' };
  // Nothing can follow a finished item: a new situation is a new item.
  if (nextStatuses(item.kind, item.status).length === 0) {
    return { ok: false, reason: 'closed' };
  }
  const taken = message.file ? await takeFile(tx, keys, item, { ...message, file: message.file }) : null;
  if (taken && !taken.ok) return { ok: false, reason: 'file', why: taken.why, maxBytes: message.maxBytes };
  // The name as kept: an anonymous author's file is 附件N, its own name never shown.
  const said = taken?.ok ? [`📎 ${taken.name}`, message.text].filter(Boolean).join('\n') : message.text;
  const at = authorTime(message.now, item.anonymous);
  const actor = item.anonymous
    ? ({ actorType: 'author', actorId: null } as const)
    : ({ actorType: 'person', actorId: message.personId } as const);
  await tx.insert(submissionEvents).values({
    submissionId: item.id,
    at,
    ...actor,
    type: 'message_in',
    note: await noteOf(keys, item, said),
  });
  await tx.update(submissions).set({ updatedAt: at }).where(eq(submissions.id, item.id));
  await audit(tx, {
    at,
    ...actor,
    action: 'submission.message_in',
    subjectType: 'submission',
    subjectId: item.referenceCode,
  });
  const readers = await itemReaders(tx, item.orgUnitId);
  const shown = item.kind === 'help_request' ? null : { text: said };
  await tellContacts(
    tx,
    keys,
    readers.filter((r) => item.anonymous || r.personId !== message.personId),
    (language) => authorMessageNotice(item, shown, language),
  );
  return { ok: true, referenceCode: item.referenceCode, anonymous: item.anonymous };
}

/**
 * The author's file goes on their item: a photo on any item, a document on a help request only, up
 * to the files an item holds. Its name as kept when it went on; else why not.
 */
async function takeFile(
  tx: Db,
  keys: KeyRing,
  item: SubmissionRow,
  message: { personId: string; file: { id: string } },
): Promise<{ ok: true; name: string } | { ok: false; why: FileRefusal }> {
  if ((await filesOnItem(tx, item.id)) >= filesPerItem) return { ok: false, why: 'too_many' };
  const accepts = item.kind === 'help_request' ? 'any' : 'photo';
  const held = await holdFile(tx, keys, { id: message.file.id, personId: message.personId, accepts });
  if (!held.ok) return held;
  const [placed] = await fileOntoItem(tx, keys, {
    ids: [message.file.id],
    personId: message.personId,
    submissionId: item.id,
    anonymous: item.anonymous,
  });
  return placed ? { ok: true, name: placed.name } : { ok: false, why: 'gone' };
}
