/** Appends to the audit log. Called inside the transaction of the change it records. */
import type { Db } from '../../db/handle.ts';
import { auditLog } from '../../db/schema/index.ts';

export interface AuditEntry {
  at: Date;
  /** `author`: the unnamed author of an anonymous item, acting on it (no actor id). */
  actorType: 'person' | 'author' | 'officer' | 'admin_token' | 'system';
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  detail?: Record<string, unknown>;
}

export async function audit(tx: Db, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, detail: entry.detail ?? {} });
}
