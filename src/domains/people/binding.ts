/**
 * Binding codes: an admin's personal invitation for a roster entry (a link and QR code, printed or
 * sent, valid for weeks) and the one-time code a person asks for in a channel already bound (valid
 * for minutes); redeeming either in another channel joins that channel's person to the code's
 * (src/domains/people/merge.ts). Each code is used once; an expired, used or unknown one binds
 * nothing. Codes are twelve letters and digits that cannot be mistaken for one another.
 */
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { bindingCodes, type PersonRow, people } from '../../../db/schema/index.ts';
import { newAccountNotice } from '../../../flows/commands/binding.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';
import { mergePeople } from './merge.ts';
import { privateChatOf, tellContacts } from './officer-contacts.ts';

const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const codeLength = 12;
export const inviteDays = 30;
export const codeMinutes = 10;
const purpose = 'binding-code';

/** A fresh code, shown as ABCD-EFGH-JKMN. */
function newCode(): string {
  const limit = 256 - (256 % alphabet.length);
  let code = '';
  while (code.length < codeLength) {
    for (const byte of crypto.getRandomValues(new Uint8Array(codeLength * 2))) {
      if (byte < limit && code.length < codeLength) code += alphabet[byte % alphabet.length];
    }
  }
  return code;
}

export const showCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

/** The code as typed (dashes, spaces, lower case, full-width) in its stored form; null when it cannot be one. */
export function readCode(typed: string): string | null {
  const code = typed
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-–—_·.]/g, '');
  if (code.length !== codeLength) return null;
  return [...code].every((c) => alphabet.includes(c)) ? code : null;
}

const hashesOf = (keys: KeyRing, code: string) =>
  Promise.all(keys.ids.map((id) => keys.mac(purpose, code, id)));

async function store(
  tx: Db,
  keys: KeyRing,
  row: { kind: 'invite' | 'code'; personId: string; code: string; expiresAt: Date; now: Date },
) {
  await tx.insert(bindingCodes).values({
    codeHash: await keys.mac(purpose, row.code),
    kind: row.kind,
    personId: row.personId,
    codeSealed: row.kind === 'invite' ? await keys.seal(row.code) : null,
    expiresAt: row.expiresAt,
    createdAt: row.now,
  });
}

/** The person's invitation still to be used, if any: its code and when it expires. */
export async function currentInvite(db: Db, keys: KeyRing, personId: string, now: Date) {
  const [row] = await db
    .select()
    .from(bindingCodes)
    .where(
      and(
        eq(bindingCodes.personId, personId),
        eq(bindingCodes.kind, 'invite'),
        isNull(bindingCodes.usedAt),
        gt(bindingCodes.expiresAt, now),
      ),
    )
    .orderBy(bindingCodes.createdAt)
    .limit(1);
  return row?.codeSealed ? { code: await keys.open(row.codeSealed), expiresAt: row.expiresAt } : null;
}

/** A new invitation for a roster entry; earlier unused ones stop working. */
export async function renewInvite(tx: Db, keys: KeyRing, personId: string, now: Date) {
  await tx
    .delete(bindingCodes)
    .where(
      and(eq(bindingCodes.personId, personId), eq(bindingCodes.kind, 'invite'), isNull(bindingCodes.usedAt)),
    );
  const code = newCode();
  const expiresAt = new Date(now.getTime() + inviteDays * 86_400_000);
  await store(tx, keys, { kind: 'invite', personId, code, expiresAt, now });
  return { code, expiresAt };
}

/** The invitation of each of these people, made where they have none. */
export async function invitesFor(tx: Db, keys: KeyRing, personIds: readonly string[], now: Date) {
  const out = new Map<string, { code: string; expiresAt: Date }>();
  for (const id of personIds)
    out.set(id, (await currentInvite(tx, keys, id, now)) ?? (await renewInvite(tx, keys, id, now)));
  return out;
}

/** A one-time code for the person, to bind another channel within minutes. */
export async function oneTimeCode(tx: Db, keys: KeyRing, personId: string, now: Date) {
  const code = newCode();
  await store(tx, keys, {
    kind: 'code',
    personId,
    code,
    expiresAt: new Date(now.getTime() + codeMinutes * 60_000),
    now,
  });
  return { code, minutes: codeMinutes };
}

export type RedeemOutcome =
  | { ok: true; person: PersonRow; merged: boolean }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'two_roster_entries' | 'wrong_way' };

/**
 * Binds the sender's account on `channel` (their person `personId`) to the code's person. The one
 * with a 工号 stays; the other is joined to it. Refused codes change nothing.
 */
export async function redeemCode(
  tx: Db,
  keys: KeyRing,
  redeem: { typed: string; personId: string; channel: ChannelName; chatId: string; now: Date },
): Promise<RedeemOutcome> {
  const code = readCode(redeem.typed);
  if (!code) return { ok: false, reason: 'unknown' };
  const [row] = await tx
    .select()
    .from(bindingCodes)
    .where(inArray(bindingCodes.codeHash, await hashesOf(keys, code)))
    .for('update');
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= redeem.now) return { ok: false, reason: 'expired' };
  const actor: Pick<AuditEntry, 'actorType' | 'actorId'> = { actorType: 'person', actorId: redeem.personId };
  let person: PersonRow | undefined;
  let merged = false;
  if (row.personId === redeem.personId) {
    [person] = await tx.select().from(people).where(eq(people.id, row.personId));
  } else {
    const [sender] = await tx.select().from(people).where(eq(people.id, redeem.personId));
    const [owner] = await tx.select().from(people).where(eq(people.id, row.personId));
    // The roster entry stays: an invitation's entry always; a one-time code never hands a listed
    // or verified sender (an officer, say) to an account nobody vouched for, whoever asked for it.
    if (
      row.kind === 'code' &&
      sender &&
      owner &&
      !owner.verifiedAt &&
      !owner.employeeNo &&
      (sender.employeeNo || sender.verifiedAt)
    ) {
      return { ok: false, reason: 'wrong_way' };
    }
    // Whoever used the person's accounts so far is told a new one joined (如非本人操作…).
    const earlier = await privateChatOf(tx, row.personId);
    const result = await mergePeople(tx, keys, {
      fromId: redeem.personId,
      intoId: row.personId,
      way: row.kind === 'invite' ? 'invite' : 'code',
      actor,
      now: redeem.now,
    });
    if (!result.ok) {
      if (result.reason !== 'two_roster_entries') return { ok: false, reason: 'unknown' };
      await audit(tx, {
        at: redeem.now,
        ...actor,
        action: 'person.merge_refused',
        subjectType: 'person',
        subjectId: String(owner?.memberNo ?? ''),
        detail: { from: sender?.memberNo ?? null, reason: 'two_roster_entries' },
      });
      return { ok: false, reason: 'two_roster_entries' };
    }
    person = result.person;
    merged = true;
    if (earlier && (earlier.channel !== redeem.channel || earlier.chatId !== redeem.chatId)) {
      await tellContacts(tx, keys, [earlier], (language) => newAccountNotice(redeem.channel, language));
    }
  }
  if (!person) return { ok: false, reason: 'unknown' };
  if (row.kind === 'invite' && !person.verifiedAt) {
    [person] = await tx
      .update(people)
      .set({ verifiedAt: redeem.now })
      .where(eq(people.id, person.id))
      .returning();
  }
  await tx
    .update(bindingCodes)
    .set({ usedAt: redeem.now, usedOn: redeem.channel })
    .where(eq(bindingCodes.codeHash, row.codeHash));
  return { ok: true, person: person!, merged };
}

/** A name as a stranger holding the code may see it: 张*国, 王*. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export type CodePreview = { ok: true; name: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Whose code it is (the name masked), before the person confirms binding with it; nothing is used. */
export async function previewCode(db: Db, keys: KeyRing, typed: string, now: Date): Promise<CodePreview> {
  const code = readCode(typed);
  if (!code) return { ok: false, reason: 'unknown' };
  const [row] = await db
    .select({
      kind: bindingCodes.kind,
      usedAt: bindingCodes.usedAt,
      expiresAt: bindingCodes.expiresAt,
      name: people.displayName,
    })
    .from(bindingCodes)
    .innerJoin(people, eq(people.id, bindingCodes.personId))
    .where(inArray(bindingCodes.codeHash, await hashesOf(keys, code)));
  // The page an invitation link opens takes invitations only: a one-time code is typed in chat.
  if (!row || row.kind !== 'invite') return { ok: false, reason: 'unknown' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, name: maskName(row.name) };
}
