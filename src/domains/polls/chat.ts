/**
 * The chat side of polls (投票 for officers and admins), over the polls store: list, create,
 * read a closed poll's results, close early or cancel. Creating, closing and cancelling are
 * audited; only the officer who started a poll, or an admin, may close or cancel it.
 */
import type { Inbound } from '../../../bots/core/messenger.ts';
import type { Db } from '../../../db/handle.ts';
import type { PollRow } from '../../../db/schema/index.ts';
import { decide, type PersonActor, type PollAction } from '../../../flows/access/rules.ts';
import type { EffectResults } from '../../../flows/effects.ts';
import type { Role } from '../../../flows/engine/roles.ts';
import type { PollActOutcome, PollBrief, PollDraft, PollRef } from '../../../flows/polls/effects.ts';
import { pollSpec } from '../../../flows/polls/spec.ts';
import type { KeyRing } from '../../kernel/crypto/sealed.ts';
import { audit } from '../../pipeline/audit.ts';
import { cancelPoll, closePoll } from './close.ts';
import { createPoll, findPollByCode, findPollByNo, listPolls, pollView } from './store.ts';

/** Who acts, and where they typed the command. */
export interface PollChatScope {
  personId: string;
  role: Role;
  inbound: Pick<Inbound, 'channel' | 'chat'>;
  now: Date;
  timeZone: string;
  keyRing: KeyRing;
}

export const briefOfPoll = (row: PollRow): PollBrief => ({
  no: row.no,
  code: row.code,
  status: row.status,
  question: row.question,
  kind: row.kind,
  opensAt: row.opensAt.toISOString(),
  closesAt: row.closesAt.toISOString(),
});

const findByRef = (db: Db, ref: PollRef) =>
  'no' in ref ? findPollByNo(db, ref.no) : findPollByCode(db, ref.code);

const auditPoll = (tx: Db, scope: PollChatScope, action: string, pollId: string, detail = {}) =>
  audit(tx, {
    at: scope.now,
    actorType: 'officer',
    actorId: scope.personId,
    action,
    subjectType: 'poll',
    subjectId: pollId,
    detail,
  });

export async function listPollsForChat(db: Db, limit: number): Promise<EffectResults['polls.list']> {
  return { items: (await listPolls(db, { limit })).map(briefOfPoll) };
}

/** Writes the poll, opening now: the poll job posts it on its next pass. */
export async function createPollFromChat(
  tx: Db,
  draft: PollDraft,
  scope: PollChatScope,
): Promise<EffectResults['polls.create']> {
  // "Here" is the group it was typed in; a private chat has no group, so everyone.
  const here = draft.audience === 'here' && scope.inbound.chat.type === 'group';
  const spec = pollSpec.parse({
    ...draft.spec,
    audience: here
      ? { kind: 'chats', chats: [{ channel: scope.inbound.channel, chatId: scope.inbound.chat.id }] }
      : { kind: 'everyone' },
  });
  const row = await createPoll(
    tx,
    {
      ...spec,
      opensAt: scope.now,
      closesAt: new Date(scope.now.getTime() + draft.durationMinutes * 60_000),
    },
    { now: scope.now, createdBy: scope.personId },
  );
  await auditPoll(tx, scope, 'poll.create', row.id, { kind: spec.kind, audience: spec.audience.kind });
  return { poll: briefOfPoll(row), audience: here ? 'here' : 'everyone' };
}

/** A closed poll's frozen results; below the threshold they say only that too few answered. */
export async function pollResultsForChat(db: Db, ref: PollRef): Promise<EffectResults['polls.results']> {
  const row = await findByRef(db, ref);
  if (!row) return { ok: false, reason: 'not_found' };
  if (row.status === 'cancelled') return { ok: false, reason: 'cancelled' };
  if (row.status !== 'closed') return { ok: false, reason: 'not_closed' };
  return { ok: true, poll: pollView(row), results: row.results ?? { answers: 0, shown: false } };
}

/** Closing and cancelling follow the access rules: the officer who started it, or an admin. */
const mayAct = (row: PollRow, scope: PollChatScope, action: PollAction) => {
  // A poll's decision needs no units, only who acts and who started it.
  const actor: PersonActor = { kind: 'person', id: scope.personId, role: scope.role, handles: [] };
  return decide(actor, action, { startedBy: row.createdBy }).ok;
};

export async function closePollFromChat(tx: Db, ref: PollRef, scope: PollChatScope): Promise<PollActOutcome> {
  const row = await findByRef(tx, ref);
  if (!row) return { ok: false, reason: 'not_found' };
  if (!mayAct(row, scope, 'poll.close')) return { ok: false, reason: 'not_yours' };
  if (row.status !== 'open') return { ok: false, reason: 'not_open' };
  const closed = await closePoll(tx, row.id, {
    now: scope.now,
    timeZone: scope.timeZone,
    keys: scope.keyRing,
  });
  if (!closed) return { ok: false, reason: 'not_open' };
  await auditPoll(tx, scope, 'poll.close', row.id);
  return { ok: true, poll: briefOfPoll(closed) };
}

export async function cancelPollFromChat(
  tx: Db,
  ref: PollRef,
  scope: PollChatScope,
): Promise<PollActOutcome> {
  const row = await findByRef(tx, ref);
  if (!row) return { ok: false, reason: 'not_found' };
  if (!mayAct(row, scope, 'poll.cancel')) return { ok: false, reason: 'not_yours' };
  const cancelled = await cancelPoll(tx, row.id, scope.now);
  if (!cancelled) return { ok: false, reason: 'not_cancellable' };
  await auditPoll(tx, scope, 'poll.cancel', row.id);
  return { ok: true, poll: briefOfPoll(cancelled) };
}
