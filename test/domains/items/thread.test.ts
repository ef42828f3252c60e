/**
 * A case is a conversation, over real requests into the app. On a help request an officer asks a
 * question from the console without changing the status; the worker just types their answer (no
 * more "没有听懂"), which lands on the case's timeline, sealed at rest, and reaches the officer
 * without its words. An officer's 答复 in chat reaches the worker, who answers with 回复. On a
 * suggestion the author adds 补充说明, whose words reach the officers; a finished item takes none,
 * and nobody adds to an item that is not theirs. Someone in the middle of a form keeps it.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations, submissionEvents, submissions } from '../../../db/schema/index.ts';
import { consoleClient, createUnit } from '../../support/console.ts';
import { bubbleText, useStack, webPerson } from '../../support/stack.ts';

const publicUrl = 'https://union.example.org';
const fixture = useStack({ env: { PUBLIC_URL: publicUrl } });
const { form, get, officerSession } = consoleClient(() => fixture.stack, publicUrl);

async function people() {
  const stack = fixture.stack;
  const unit = await createUnit(stack, '太平林场工会');
  const officer = await webPerson(stack);
  const worker = await webPerson(stack);
  await stack.api(`/people/${officer.memberNo}`, {
    method: 'PATCH',
    json: { role: 'officer', officerUnitIds: [unit] },
  });
  await stack.api(`/people/${worker.memberNo}`, { method: 'PATCH', json: { orgUnitId: unit } });
  await stack.drain();
  await officer.visitor.replies();
  await worker.visitor.replies();
  return { officer, worker };
}

const eventsOf = async (ref: string) => {
  const [item] = await fixture.database.db
    .select()
    .from(submissions)
    .where(eq(submissions.referenceCode, ref));
  return fixture.database.db
    .select()
    .from(submissionEvents)
    .where(eq(submissionEvents.submissionId, item!.id));
};

describe('a case as a conversation', () => {
  it('runs a help case as a two-way thread, sealed, without moving its status', async () => {
    const { officer, worker } = await people();
    await worker.visitor.say('求助');
    await worker.visitor.say('越冬');
    await worker.visitor.say('家里暖气坏了，老人怕冷，想申请越冬救助。');
    await worker.visitor.say('一般');
    await worker.visitor.say('这里');
    const ref = /BF-\d{4}-\d{4}/.exec(bubbleText(await worker.visitor.say('提交')))![0];
    await officer.visitor.replies();

    // The officer asks from the console: the status stays, and the page says so after a redirect.
    const session = await officerSession(officer.visitor);
    const asked = await fixture.stack.request(
      `/console/help/${ref}/message`,
      form(
        { csrf: session.csrf, text: '您好，我是王老师，今天下午方便上门看看吗？', kind: 'question' },
        session.cookie,
      ),
    );
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(`/console/help/${ref}?message=asked`);
    expect(await (await get(asked.headers.get('location')!, session.cookie)).text()).toContain(
      '已向提出人提问',
    );

    await fixture.stack.drain();
    const question = bubbleText(await worker.visitor.replies());
    expect(question).toContain(`工会干部就您的求助 ${ref} 提问`);
    expect(question).toContain('今天下午方便上门看看吗？');
    expect(question).toContain('[回复]');

    // The worker just types: it is the answer to that case, and the bot says so.
    const answered = bubbleText(await worker.visitor.say('好的，谢谢王老师，我下午在家'));
    expect(answered).toContain(`已把您的话转给负责 ${ref} 的工会干部`);
    expect(answered).not.toContain('没有听懂');
    await fixture.stack.drain();
    const told = bubbleText(await officer.visitor.replies());
    expect(told).toContain(`提出人回复：${ref}`);
    expect(told).toContain('求助内容保密');
    expect(told).not.toContain('我下午在家');

    const page = await (await get(`/console/help/${ref}`, session.cookie)).text();
    expect(page).toContain('工会干部提问');
    expect(page).toContain('提出人回复');
    expect(page).toContain('好的，谢谢王老师，我下午在家');
    const [row] = await fixture.database.db
      .select()
      .from(submissions)
      .where(eq(submissions.referenceCode, ref));
    expect(row!.status).toBe('new');
    const thread = (await eventsOf(ref)).filter((e) => e.type === 'question' || e.type === 'message_in');
    expect(thread).toHaveLength(2);
    for (const e of thread) {
      expect(fixture.stack.keyRing.isSealed(e.note!)).toBe(true);
      expect(e.note).not.toContain('王老师');
    }

    // 答复 in chat; the worker answers with the 回复 button this time.
    expect(bubbleText(await officer.visitor.say(`答复 ${ref} 已联系街道民政办，明天有人上门`))).toContain(
      '状态未改变',
    );
    await fixture.stack.drain();
    expect(bubbleText(await worker.visitor.replies())).toContain('已联系街道民政办');
    expect(bubbleText(await worker.visitor.press('回复'))).toContain(`请输入您对 ${ref} 的回复`);
    expect(bubbleText(await worker.visitor.say('收到，谢谢'))).toContain('已把您的话转给');
    expect((await eventsOf(ref)).filter((e) => e.type === 'message_in')).toHaveLength(2);

    // Asked again, the worker may start something else instead: a start word is not an answer.
    await officer.visitor.say(`提问 ${ref} 还需要什么帮助吗？`);
    await fixture.stack.drain();
    await worker.visitor.replies();
    expect(bubbleText(await worker.visitor.say('我的'))).toContain(ref);
    expect((await eventsOf(ref)).filter((e) => e.type === 'message_in')).toHaveLength(2);
  });

  it('takes 补充说明 on the author’s own open suggestion, and keeps a form in progress', async () => {
    const { officer, worker } = await people();
    await worker.visitor.say('建议');
    await worker.visitor.say('食堂增加夜班热饭窗口');
    await worker.visitor.say('1');
    await worker.visitor.say('夜班职工凌晨下班时食堂已关门，建议保留一个热饭窗口到凌晨一点。');
    await worker.visitor.say('跳过');
    await worker.visitor.say('署名');
    const ref = /JY-\d{4}-\d{4}/.exec(bubbleText(await worker.visitor.say('提交')))![0];
    await fixture.stack.drain();
    await officer.visitor.replies();

    const added = bubbleText(await worker.visitor.say(`补充 ${ref.replace(/-/g, '')} 二班也有十几个人需要`));
    expect(added).toContain(`已把您的话转给负责 ${ref} 的工会干部`);
    await fixture.stack.drain();
    const told = bubbleText(await officer.visitor.replies());
    expect(told).toContain(`提出人回复：${ref}`);
    expect(told).toContain('二班也有十几个人需要');
    // Someone else's item reads as none of theirs.
    expect(bubbleText(await officer.visitor.say(`补充 ${ref} 我也要说`))).toContain('没有找到您提交的');

    // In the middle of a new form when the officer writes: the form stays, 回复 waits for it.
    await worker.visitor.say('建议');
    await officer.visitor.say(`提问 ${ref} 夜班一般几点下班？`);
    await fixture.stack.drain();
    expect(bubbleText(await worker.visitor.replies())).toContain('夜班一般几点下班？');
    expect(bubbleText(await worker.visitor.say('更衣室加装暖气'))).toContain('属于哪一类');
    expect(bubbleText(await worker.visitor.press('回复'))).toContain('请先');
    await worker.visitor.say('取消');

    // An anonymous author is asked too, but nothing of theirs is written in the officer's transaction.
    await worker.visitor.say('建议');
    await worker.visitor.say('更衣室加装暖气');
    await worker.visitor.say('1');
    await worker.visitor.say('冬天更衣室太冷，换衣服时容易感冒，建议加装暖气片。');
    await worker.visitor.say('跳过');
    await worker.visitor.say('匿名');
    const hidden = /JY-\d{4}-\d{4}/.exec(bubbleText(await worker.visitor.say('提交')))![0];
    await fixture.stack.drain();
    await officer.visitor.replies();
    expect(bubbleText(await officer.visitor.say(`提问 ${hidden} 是哪个更衣室？`))).toContain(
      '已向提出人提问',
    );
    await fixture.stack.drain();
    expect(bubbleText(await worker.visitor.replies())).toContain('是哪个更衣室？');
    const open = await fixture.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.flow, 'item_reply'));
    expect(open).toEqual([]);
    expect(bubbleText(await worker.visitor.say(`回复 ${hidden} 二楼东侧`))).toContain('已把您的话转给');

    // A finished item takes no more.
    for (const json of [
      { status: 'in_review' },
      { status: 'not_adopted', reply: '经研究暂不采纳' },
      { status: 'closed' },
    ]) {
      const res = await fixture.stack.api(`/submissions/${ref}/status`, { method: 'POST', json });
      expect(res.status, await res.text()).toBe(200);
    }
    expect(bubbleText(await worker.visitor.say(`补充 ${ref} 再说一句`))).toContain('已办结');
  });
});
