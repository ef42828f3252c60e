/** Secrets the server makes for itself once, shared by every instance through the database. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { appSecrets } from '../../db/schema/index.ts';

/** The stored secret of this name, generated (32 random bytes, hex) on first use. */
export async function ensureSecret(db: Db, name: string): Promise<{ value: string; created: boolean }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const candidate = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const inserted = await db
    .insert(appSecrets)
    .values({ name, value: candidate })
    .onConflictDoNothing()
    .returning({ value: appSecrets.value });
  if (inserted[0]) return { value: inserted[0].value, created: true };
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  if (!row) throw new Error(`secret ${name} could not be read`);
  return { value: row.value, created: false };
}
