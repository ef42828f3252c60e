/**
 * The access rules as pure decisions: who may act by role, an officer only on their units' items
 * (an item of no unit is the admins'), only on the polls they started, the token as an admin;
 * every effect a chat command can declare is held to a rule, and the chat's commands take their
 * roles from the same table.
 */
import { describe, expect, it } from 'vitest';
import { effectAction } from '../../flows/access/effects.ts';
import {
  type Action,
  type Actor,
  allows,
  decide,
  itemScope,
  rolesFor,
  rules,
} from '../../flows/access/rules.ts';
import type { Effect } from '../../flows/effects.ts';
import { roles } from '../../flows/engine/roles.ts';
import { commands, flows } from '../../flows/registry.ts';

const north = 'unit-north';
const northStation = 'unit-north-station';
const south = 'unit-south';

const staff: Actor = { kind: 'person', id: 'p-staff', role: 'staff', handles: [] };
const delegate: Actor = { kind: 'person', id: 'p-delegate', role: 'delegate', handles: [] };
const officer: Actor = { kind: 'person', id: 'p-officer', role: 'officer', handles: [north, northStation] };
const unbound: Actor = { kind: 'person', id: 'p-unbound', role: 'officer', handles: [] };
const admin: Actor = { kind: 'person', id: 'p-admin', role: 'admin', handles: [] };
const token: Actor = { kind: 'token' };

describe('the access rules', () => {
  it('lets each role take only its own kinds of action, and the token act as an admin', () => {
    const who = (action: Action) =>
      [staff, delegate, officer, admin, token].map((a) => (allows(a, action) ? 1 : 0)).join('');
    expect(who('item.file')).toBe('11110');
    expect(who('motion.file')).toBe('01000');
    expect(who('item.read')).toBe('00111');
    expect(who('poll.close')).toBe('00111');
    expect(who('news.publish')).toBe('00111');
    expect(who('console.enter')).toBe('00111');
    for (const action of [
      'people.assign',
      'units.manage',
      'schedule.change',
      'schedule.run',
      'audit.read',
      'congress.manage',
      'wechat.login',
      'help.export_sealed',
    ] as const)
      expect(who(action), action).toBe('00011');
  });

  it('lets an officer touch an item only of a unit they handle; an item of no unit is the admins’', () => {
    for (const action of ['item.read', 'item.move', 'item.extend'] as const) {
      expect(decide(officer, action, { unitId: northStation })).toEqual({ ok: true });
      expect(decide(officer, action, { unitId: south })).toEqual({ ok: false, reason: 'not_yours' });
      expect(decide(officer, action, { unitId: null })).toEqual({ ok: false, reason: 'not_yours' });
      expect(decide(unbound, action, { unitId: north })).toEqual({ ok: false, reason: 'not_yours' });
      expect(decide(admin, action, { unitId: null })).toEqual({ ok: true });
      expect(decide(token, action, { unitId: south })).toEqual({ ok: true });
      expect(decide(staff, action, { unitId: northStation })).toEqual({ ok: false, reason: 'role' });
    }
  });

  it('lets only the officer who started a poll, or an admin, close or cancel it', () => {
    for (const action of ['poll.close', 'poll.cancel'] as const) {
      expect(decide(officer, action, { startedBy: 'p-officer' })).toEqual({ ok: true });
      expect(decide(unbound, action, { startedBy: 'p-officer' })).toEqual({ ok: false, reason: 'not_yours' });
      // Started by an admin or with the token: not an officer's.
      expect(decide(officer, action, { startedBy: null })).toEqual({ ok: false, reason: 'not_yours' });
      expect(decide(admin, action, { startedBy: 'p-officer' })).toEqual({ ok: true });
      expect(decide(token, action, { startedBy: null })).toEqual({ ok: true });
      expect(decide(staff, action, { startedBy: 'p-staff' })).toEqual({ ok: false, reason: 'role' });
    }
  });

  it('scopes lists to the units an officer handles, everything for admins, nothing for staff', () => {
    expect(itemScope(admin)).toEqual({ all: true });
    expect(itemScope(token)).toEqual({ all: true });
    expect(itemScope(officer)).toEqual({ all: false, units: [north, northStation] });
    expect(itemScope(unbound)).toEqual({ all: false, units: [] });
    expect(itemScope(staff)).toEqual({ all: false, units: [] });
  });

  it('gives every chat flow and restricted command its roles from the table', () => {
    const expected: Record<string, Action> = {
      motion: 'motion.file',
      cosign: 'motion.cosign',
      case: 'item.read',
      handle: 'item.move',
      case_message: 'item.move',
      case_reply: 'item.move',
      assign: 'people.assign',
      digest: 'digest.own',
      polls: 'poll.list',
      schedules: 'schedule.list',
      console: 'console.enter',
    };
    for (const entry of [...flows, ...commands]) {
      const action = expected[entry.name];
      if (action) expect(entry.roles, entry.name).toEqual(rolesFor(action));
      // Everyone's: suggestions, help, one's own items, news, ratings and profile.
      else expect(entry.roles, entry.name).toBeUndefined();
    }
  });

  it('holds every effect a chat command can declare to a rule', () => {
    const samples: Effect[] = [
      { type: 'schedules.act', no: 1, action: 'run' },
      { type: 'schedules.act', no: 1, action: 'pause' },
      { type: 'person.assign', memberNo: 1001, role: 'officer', unitName: null },
      { type: 'case.move', referenceCode: 'JY-2026-0001', said: '审核中' },
      { type: 'polls.cancel', ref: { no: 1 } },
      { type: 'console.link' },
      { type: 'items.mine', limit: 5 },
    ];
    expect(samples.map(effectAction)).toEqual([
      'schedule.run',
      'schedule.change',
      'people.assign',
      'item.move',
      'poll.cancel',
      'console.enter',
      'self.use',
    ]);
    for (const action of Object.keys(rules) as Action[])
      expect(
        rolesFor(action).every((r) => roles.includes(r)),
        action,
      ).toBe(true);
  });
});
