import { describe, expect, it } from 'vitest';
import { parseAssignment } from '../../flows/commands/people.ts';
import { createDialogue, textOf } from '../support/dialogue.ts';

describe('commands by role', () => {
  it('keeps the admin commands out of a staff member’s menu and refuses them when typed', async () => {
    const staff = createDialogue();
    expect(textOf(await staff.say('菜单'))).not.toContain('设置角色');
    expect(textOf(await staff.say('角色 1024 干部'))).toContain('“设置角色和单位”仅限管理员使用');
    expect(staff.effects).toEqual([]);
    // English words too; the answer is in the person's language.
    expect(textOf(await staff.say('role 1024 officer'))).toContain('仅限管理员使用');
  });

  it('takes such a command, typed inside a flow by someone who may not use it, as the answer', async () => {
    const staff = createDialogue();
    await staff.say('建议');
    const next = textOf(await staff.say('角色 1024 干部 太平'));
    expect(next).toContain('哪一类');
    expect(staff.state?.data).toMatchObject({ title: '角色 1024 干部 太平' });
  });

  it('lets an admin name a person by member number, role and unit', async () => {
    const admin = createDialogue(undefined, { role: 'admin' });
    expect(textOf(await admin.say('菜单'))).toContain('设置角色');
    const done = textOf(await admin.say('角色 1024 干部 太平林场 工会'));
    expect(done).toContain('已更新');
    expect(admin.effects.at(-1)).toEqual({
      type: 'person.assign',
      memberNo: 1024,
      role: 'officer',
      unitName: '太平林场 工会',
    });
    expect(textOf(await admin.say('角色 1024 队长'))).toContain('不认识角色“队长”');
    expect(admin.effects).toHaveLength(1);
    expect(textOf(await admin.say('单位'))).toContain('用法');
  });

  it('reads the command’s shapes', () => {
    expect(parseAssignment('单位 1024 检修班')).toEqual({ memberNo: 1024, role: null, unitName: '检修班' });
    expect(parseAssignment('ROLE 7 Delegate')).toEqual({ memberNo: 7, role: 'delegate', unitName: null });
    expect(parseAssignment('角色 张三 干部')).toBeNull();
    expect(parseAssignment('单位 1024')).toBeNull();
  });
});
