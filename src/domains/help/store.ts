/**
 * Help requests (帮扶/救助, 维权咨询): the situation and the contact details are sealed with the
 * data key before they are written; reading them back is for officers and every read is audited.
 */
import { sql } from 'drizzle-orm';
import type { ChannelName } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import { people, submissions } from '../../../db/schema/index.ts';
import type { HelpDraft } from '../../../flows/help/draft.ts';
import { helpKindLabels, type Urgency } from '../../../flows/help/kinds.ts';
import type { HelpStatus } from '../../../flows/help/lifecycle.ts';
import { yearIn } from '../../../kernel/l10n.ts';
import type { HelpAckHours } from '../../kernel/config.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { fileOntoItem } from '../items/files.ts';
import { recordFiling } from '../items/filing.ts';
import { nextReferenceCode, referencePrefixes } from '../items/reference-codes.ts';

export interface HelpFilingContext {
  personId: string;
  channel: ChannelName;
  chatId: string;
  now: Date;
  timeZone: string;
  keyRing: KeyRing;
  /** Hours within which an officer must acknowledge it: routine, and 紧急 (very urgent). */
  ackHours: HelpAckHours;
}

/** The hours an officer has to acknowledge a request of this urgency. */
export const ackHoursFor = (urgency: Urgency, hours: HelpAckHours) =>
  urgency === 'very_urgent' ? Math.min(hours.urgent, hours.normal) : hours.normal;

export async function createHelpRequest(tx: Db, draft: HelpDraft, at: HelpFilingContext) {
  const referenceCode = await nextReferenceCode(
    tx,
    referencePrefixes.help_request,
    yearIn(at.now, at.timeZone),
  );
  const status: HelpStatus = 'new';
  const ackDueAt = new Date(at.now.getTime() + ackHoursFor(draft.urgency, at.ackHours) * 3_600_000);
  const contact = draft.contact.way === 'phone' ? `phone:${draft.contact.phone}` : 'chat';
  const [row] = await tx
    .insert(submissions)
    .values({
      kind: 'help_request',
      referenceCode,
      personId: at.personId,
      originChannel: at.channel,
      originChatId: at.chatId,
      status,
      // The kind's name is all the title says; what happened is in the sealed details.
      title: helpKindLabels[draft.kind].zh,
      category: draft.kind,
      details: {
        situation: await at.keyRing.seal(draft.situation),
        contact: await at.keyRing.seal(contact),
        urgency: draft.urgency,
      },
      orgUnitId: sql`(select ${people.orgUnitId} from ${people} where ${people.id} = ${at.personId})`,
      ackDueAt,
      createdAt: at.now,
      updatedAt: at.now,
    })
    .returning();
  const files = await fileOntoItem(tx, at.keyRing, {
    ids: draft.files ?? [],
    personId: at.personId,
    submissionId: row!.id,
    anonymous: false,
  });
  await recordFiling(tx, row!, at.keyRing, {
    now: at.now,
    category: draft.kind,
    urgency: draft.urgency,
    detail: { helpKind: draft.kind, urgency: draft.urgency },
  });
  return {
    referenceCode,
    status,
    createdAt: at.now.toISOString(),
    ackDueAt: ackDueAt.toISOString(),
    files: files.length,
  };
}

/** Help requests nobody acknowledged in time and not yet escalated, oldest first. */
export async function overdueHelpRequests(db: Db, now: Date, limit = 50) {
  return db
    .select({
      id: submissions.id,
      referenceCode: submissions.referenceCode,
      orgUnitId: submissions.orgUnitId,
    })
    .from(submissions)
    .where(
      sql`${submissions.kind} = 'help_request' and ${submissions.status} = 'new'
          and ${submissions.ackDueAt} <= ${now.toISOString()} and ${submissions.escalatedAt} is null`,
    )
    .orderBy(submissions.ackDueAt)
    .limit(limit);
}
