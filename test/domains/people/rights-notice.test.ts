/**
 * A role or unit change tells the person what changed and what they can now do: made an officer
 * (with units to handle) in the console, told how to reach the console; moved to another unit;
 * made a delegate again, told they no longer handle items. Someone never seen in a private chat
 * (a roster entry not bound yet) is told nothing, and the change still happens.
 */
import { describe, expect, it } from 'vitest';
import { people } from '../../../db/schema/index.ts';
import { consoleClient, createUnit } from '../../support/console.ts';
import { bubbleText, useStack, webPerson } from '../../support/stack.ts';

const publicUrl = 'https://union.example.org';
const fixture = useStack({ env: { PUBLIC_URL: publicUrl } });
const { form, adminSession } = consoleClient(() => fixture.stack, publicUrl);

describe('telling a person their rights changed', () => {
  it('says what changed and what they can do now, each time', async () => {
    const station = await createUnit(fixture.stack, '太平林场工会');
    const mill = await createUnit(fixture.stack, '木材加工厂工会');
    const { visitor, memberNo } = await webPerson(fixture.stack);
    const admin = await adminSession();
    const save = async (fields: Record<string, string>) => {
      const res = await fixture.stack.request(
        `/console/people/${memberNo}`,
        form({ csrf: admin.csrf, ...fields }, admin.cookie),
      );
      expect(res.status).toBe(303);
      await fixture.stack.drain();
      return bubbleText(await visitor.replies());
    };
    const officer = await save({ role: 'officer', unit: station, handles: station });
    expect(officer).toContain('您的身份有变化');
    expect(officer).toContain('角色: 职工 → 工会干部');
    expect(officer).toContain('所属单位: 太平林场工会');
    expect(officer).toContain('负责单位: 太平林场工会');
    expect(officer).toContain('发送“后台”');

    const moved = await save({ role: 'officer', unit: mill, handles: station });
    expect(moved).toContain('所属单位: 木材加工厂工会');
    expect(moved).not.toContain('角色');

    const delegate = await save({ role: 'delegate', unit: mill });
    expect(delegate).toContain('角色: 工会干部 → 职工代表');
    expect(delegate).toContain('您不再处理事项');

    // Saving without a change says nothing.
    expect(await save({ role: 'delegate', unit: mill })).toBe('');

    // In English for someone who chose it.
    await visitor.say('English');
    await visitor.replies();
    const english = await save({ role: 'admin', unit: mill });
    expect(english).toContain('Your place in the union has changed');
    expect(english).toContain('You are now an admin');
  });

  it('tells nobody when the person was never seen in a private chat', async () => {
    const [entry] = await fixture.database.db
      .insert(people)
      .values({ displayName: '花名册职工', nameSource: 'roster', employeeNo: 'N-1' })
      .returning({ memberNo: people.memberNo });
    const res = await fixture.stack.api(`/people/${entry!.memberNo}`, {
      method: 'PATCH',
      json: { role: 'delegate' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { role: string }).role).toBe('delegate');
  });
});
