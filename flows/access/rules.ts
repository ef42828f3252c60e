/**
 * Who may do what to which thing, written once. The officer API, every console route and every
 * chat command take their decision here; nothing else decides access. A decision is a pure
 * function of facts — the actor's role, the units they handle, an item's unit, who started a
 * poll — which the store looks up (src/domains/people/actors.ts, src/domains/items/access.ts).
 *
 * The rules in words:
 * - Staff file suggestions and help requests; delegates (职工代表) file and co-sign motions.
 * - Officers handle the items of the units they handle (officer_units) and of every unit below;
 *   an item whose author had no unit belongs to the admins alone until one is set.
 * - Officers start polls and may close or cancel only the polls they started; admins any poll.
 * - Officers publish and cancel news, and keep their own digest.
 * - Admins alone manage people, roles and units, schedules, congress sessions, the WeChat login,
 *   and read the audit log.
 * - ADMIN_TOKEN (the API's bearer, or a console session opened with it) acts as an admin.
 */
import { type Role, roles } from '../engine/roles.ts';

/** A person with their role, or the holder of ADMIN_TOKEN. */
export type Actor = { kind: 'token' } | PersonActor;

export interface PersonActor {
  kind: 'person';
  id: string;
  role: Role;
  /** The units they handle and every unit below them (looked up for officers; admins need none). */
  handles: readonly string[];
}

/** Which roles: everyone, delegates alone, officers (admins too), admins alone. */
type Who = 'everyone' | 'delegates' | 'officers' | 'admins';

/** The further fact a decision needs: the item's unit, or who started the poll. */
type Subject = 'item' | 'poll';

interface Rule {
  who: Who;
  of?: Subject;
}

/** Every action, and who may take it. A new route or command picks its action from this table. */
export const rules = {
  // One's own things: filing, one's own items and ratings, profile, news and subscriptions.
  'self.use': { who: 'everyone' },
  'item.file': { who: 'everyone' },
  'motion.file': { who: 'delegates' },
  'motion.cosign': { who: 'delegates' },
  // Suggestions, motions and help cases: an officer's lists hold only their units' (itemScope).
  'item.list': { who: 'officers' },
  'item.read': { who: 'officers', of: 'item' },
  'item.move': { who: 'officers', of: 'item' },
  'item.extend': { who: 'officers', of: 'item' },
  /** A CSV of help requests with their sealed situation and contact in clear. */
  'help.export_sealed': { who: 'admins' },
  'poll.list': { who: 'officers' },
  'poll.read': { who: 'officers' },
  'poll.start': { who: 'officers' },
  'poll.close': { who: 'officers', of: 'poll' },
  'poll.cancel': { who: 'officers', of: 'poll' },
  'news.list': { who: 'officers' },
  'news.publish': { who: 'officers' },
  'news.cancel': { who: 'officers' },
  'digest.own': { who: 'officers' },
  /** The weekly summary over every unit. */
  'report.weekly': { who: 'admins' },
  'console.enter': { who: 'officers' },
  'schedule.list': { who: 'admins' },
  'schedule.change': { who: 'admins' },
  'schedule.run': { who: 'admins' },
  'people.list': { who: 'admins' },
  'people.assign': { who: 'admins' },
  /** The unit tree (officers pick audiences from it). */
  'units.list': { who: 'officers' },
  'units.manage': { who: 'admins' },
  'congress.manage': { who: 'admins' },
  'audit.read': { who: 'admins' },
  'wechat.login': { who: 'admins' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof rules;

/** What an item's decision is taken on: the unit it belongs to (null: the admins'). */
export interface ItemFacts {
  unitId: string | null;
}

/** What a poll's decision is taken on: the officer who started it (null: an admin or the token). */
export interface PollFacts {
  startedBy: string | null;
}

type SubjectOf<A extends Action> = (typeof rules)[A] extends { of: 'item' }
  ? ItemFacts
  : (typeof rules)[A] extends { of: 'poll' }
    ? PollFacts
    : never;

/** Actions taken on one item, one poll, or on nothing in particular. */
export type ItemAction = { [A in Action]: (typeof rules)[A] extends { of: 'item' } ? A : never }[Action];
export type PollAction = { [A in Action]: (typeof rules)[A] extends { of: 'poll' } ? A : never }[Action];

export type Refusal = 'role' | 'not_yours';
export type Decision = { ok: true } | { ok: false; reason: Refusal };

const rolesOf: Record<Who, readonly Role[]> = {
  everyone: roles,
  delegates: ['delegate'],
  officers: ['officer', 'admin'],
  admins: ['admin'],
};

const rule = (action: Action): Rule => rules[action];

/** The roles that may take this action (what the chat's menu and refusals say). */
export function rolesFor(action: Action): readonly Role[] {
  return rolesOf[rule(action).who];
}

/** Whether the actor's role lets them take this action at all (before any fact about the thing). */
export function allows(actor: Actor | Role, action: Action): boolean {
  const who = rule(action).who;
  if (typeof actor !== 'string' && actor.kind === 'token') return who === 'officers' || who === 'admins';
  return rolesOf[who].includes(typeof actor === 'string' ? actor : actor.role);
}

/** Whether people of this role handle every unit's items (and the items of no unit). */
export const handlesEveryUnit = (role: Role) => role === 'admin';

const handlesEverything = (actor: Actor) => actor.kind === 'token' || handlesEveryUnit(actor.role);

/** Whether the actor may take an action on one thing (an item of a unit, a poll someone started). */
export function decide<A extends Action>(
  actor: Actor,
  action: A,
  ...subject: [SubjectOf<A>] extends [never] ? [] : [SubjectOf<A>]
): Decision {
  if (!allows(actor, action)) return { ok: false, reason: 'role' };
  const of = rule(action).of;
  const facts = subject[0];
  if (!of || handlesEverything(actor)) return { ok: true };
  if (!facts || actor.kind !== 'person') return { ok: false, reason: 'not_yours' };
  const mine =
    of === 'item'
      ? 'unitId' in facts && facts.unitId !== null && actor.handles.includes(facts.unitId)
      : 'startedBy' in facts && facts.startedBy !== null && facts.startedBy === actor.id;
  return mine ? { ok: true } : { ok: false, reason: 'not_yours' };
}

/** Which items an actor's lists, exports and figures cover: every unit's and none, or these units'. */
export type ItemScope = { all: true } | { all: false; units: readonly string[] };

export function itemScope(actor: Actor): ItemScope {
  if (!allows(actor, 'item.list')) return { all: false, units: [] };
  if (handlesEverything(actor)) return { all: true };
  return { all: false, units: actor.kind === 'person' ? actor.handles : [] };
}
