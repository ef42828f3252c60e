/**
 * Who filed an item, kept so that an anonymous item names nobody at rest. A signed item keeps its
 * author and origin chat in clear columns. An anonymous one keeps them only sealed with the data
 * key (to tell the author how it goes), plus a keyed hash of the person that finds their own
 * items (我的) and cannot be recomputed from a copy of the database. Times the author's own
 * actions write on an anonymous item are kept to the minute.
 */
import { eq, inArray, or, type SQL } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { people, type SubmissionRow, submissions } from '../../../db/schema/index.ts';
import type { Lang } from '../../../kernel/l10n.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';

export interface Author {
  personId: string;
  channel: ChannelName;
  chatId: string;
}

const tagPurpose = 'item-author';

/** The person's author tag under every key of the ring (a rotated key still finds older items). */
export function authorTags(keys: KeyRing, personId: string): Promise<string[]> {
  return Promise.all(keys.ids.map((id) => keys.mac(tagPurpose, personId, id)));
}

/** The columns naming the author: clear for a signed item, sealed and tagged for an anonymous one. */
export async function authorColumns(keys: KeyRing, author: Author, anonymous: boolean) {
  if (!anonymous) {
    return {
      personId: author.personId,
      originChannel: author.channel,
      originChatId: author.chatId,
      authorSeal: null,
      authorTag: null,
    };
  }
  return {
    personId: null,
    originChannel: null,
    originChatId: null,
    authorSeal: await keys.seal(JSON.stringify(author)),
    authorTag: await keys.mac(tagPurpose, author.personId),
  };
}

/** The items this person filed, signed or anonymous. */
export async function authoredBy(keys: KeyRing, personId: string): Promise<SQL> {
  return or(
    eq(submissions.personId, personId),
    inArray(submissions.authorTag, await authorTags(keys, personId)),
  )!;
}

type AuthorFields = Pick<
  SubmissionRow,
  'personId' | 'originChannel' | 'originChatId' | 'authorSeal' | 'anonymous'
>;

/** Who filed the item and where to tell them; null when its seal cannot be opened (a key dropped). */
export async function authorOf(keys: KeyRing, row: AuthorFields): Promise<Author | null> {
  if (row.personId && row.originChannel && row.originChatId) {
    return { personId: row.personId, channel: row.originChannel, chatId: row.originChatId };
  }
  if (!row.authorSeal) return null;
  try {
    return JSON.parse(await keys.open(row.authorSeal)) as Author;
  } catch {
    return null;
  }
}

/** Where a signed item (a motion, a help request) was filed: its author is always named. */
export function signedOrigin(row: Pick<SubmissionRow, 'originChannel' | 'originChatId' | 'referenceCode'>): {
  channel: ChannelName;
  chatId: string;
} {
  if (!row.originChannel || !row.originChatId) throw new Error(`${row.referenceCode} has no origin chat`);
  return { channel: row.originChannel, chatId: row.originChatId };
}

/** The author with their language, for telling them of a change. */
export async function authorContact(
  db: Db,
  keys: KeyRing,
  row: AuthorFields,
): Promise<(Author & { language: Lang; hidden: boolean }) | null> {
  const author = await authorOf(keys, row);
  if (!author) return null;
  const [person] = await db
    .select({ language: people.language })
    .from(people)
    .where(eq(people.id, author.personId));
  return { ...author, language: person?.language ?? 'zh', hidden: row.anonymous };
}

/**
 * When the author's own action on an anonymous item is recorded: to the minute, so no stored time
 * equals, to the millisecond, the time of the message that carried it.
 */
export const authorTime = (now: Date, anonymous: boolean): Date =>
  anonymous ? new Date(Math.floor(now.getTime() / 60_000) * 60_000) : now;
