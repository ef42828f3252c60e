/**
 * The sealed parts of an item in clear, for a reader the access rules allow: a help request's
 * situation and contact, opened only with the read audited in the same transaction.
 */
import type { Db } from '../../../db/handle.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { type AuditEntry, audit } from '../../pipeline/audit.ts';

/** The sealed parts of a help request in clear, for an officer allowed to read it; the read is audited. */
export async function openHelpDetails(
  tx: Db,
  row: { id: string; referenceCode: string; details: Record<string, string> },
  reader: Pick<AuditEntry, 'actorType' | 'actorId'> & { keyRing: KeyRing; now: Date },
): Promise<{ situation: string; contact: string; urgency: string }> {
  const open = async (value: string | undefined) =>
    value && reader.keyRing.isSealed(value) ? reader.keyRing.open(value) : (value ?? '');
  await audit(tx, {
    at: reader.now,
    actorType: reader.actorType,
    actorId: reader.actorId,
    action: 'help_request.read',
    subjectType: 'submission',
    subjectId: row.referenceCode,
  });
  return {
    situation: await open(row.details.situation),
    contact: await open(row.details.contact),
    urgency: row.details.urgency ?? '',
  };
}
