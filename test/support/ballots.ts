/** A poll's votes as tests read them while it is open: each sealed ballot opened with the stack's key ring. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { pollVotes } from '../../db/schema/index.ts';
import { type Ballot, openBallot } from '../../src/domains/polls/votes.ts';
import type { KeyRing } from '../../src/kernel/crypto/sealed.ts';

export async function openedBallots(db: Db, keys: KeyRing, pollId: string): Promise<Ballot[]> {
  const rows = await db.select().from(pollVotes).where(eq(pollVotes.pollId, pollId));
  return Promise.all(rows.map((row) => openBallot(keys, row)));
}
