/**
 * Help requests end to end: filed in the web chat, read by an officer (audited), moved along
 * their lifecycle with a reply the person reads; and a scan of every table finds the situation,
 * the phone number and the reply nowhere in clear.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/handle.ts';
import { auditLog } from '../../../db/schema/index.ts';
import { createKeyRing, generateDataKey } from '../../../src/kernel/crypto/sealed.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webVisitor } from '../../support/stack.ts';

const fixture = useStack();
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fixture.stack.api(path, init);

const situation = '爱人下岗，孩子上大学学费两万元，家里实在凑不齐，想申请日常困难救助。';
const phone = '13912345678';
const reply = '已核实情况，请周三上午带身份证到工会办公室213室面谈。';

/** Every row of every table, as text, to look for what must not be there. */
async function everything(): Promise<string> {
  const tables = await queryRows<{ table_name: string }>(
    fixture.database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public'`,
  );
  const dumps: string[] = [];
  for (const { table_name } of tables) {
    const rows = await queryRows(fixture.database.db, sql.raw(`select * from "${table_name}"`));
    dumps.push(JSON.stringify(rows));
  }
  return dumps.join('\n');
}

describe(`help requests (${primaryKind})`, () => {
  it('keeps the situation, the contact and the officers’ reply sealed everywhere, and audits every read', async () => {
    const person = await webVisitor(fixture.stack);
    await person.say('求助');
    await person.say('日常');
    await person.say(situation);
    // Mid-form, the answer is sealed in the conversation's state too.
    expect(await everything()).not.toContain('学费两万元');
    await person.say('较急');
    await person.say('电话');
    await person.say(phone);
    const receipt = bubbleText(await person.say('提交'));
    const code = /BF-\d{4}-\d{4}/.exec(receipt)![0];
    expect(receipt).toContain('最迟受理时间');

    // Nothing the person wrote is anywhere in clear: not the item, the inbox, the chat history,
    // the outbox, the conversation or the audit log.
    let dump = await everything();
    expect(dump).toContain(code);
    expect(dump).not.toContain('学费两万元');
    expect(dump).not.toContain(phone);
    expect(dump).not.toContain('1234 5678');

    // Lists show the kind and urgency only; the case itself opens for the officer, and that read is audited.
    const list = (await (await api('/submissions?kind=help_request')).json()) as {
      items: { referenceCode: string; details: Record<string, string> }[];
    };
    expect(list.items.find((i) => i.referenceCode === code)?.details).toEqual({ urgency: 'urgent' });
    const reads = async () =>
      (await fixture.database.db.select().from(auditLog).where(eq(auditLog.action, 'help_request.read')))
        .length;
    const before = await reads();
    const detail = (await (await api(`/submissions/${code}`)).json()) as {
      status: string;
      details: { situation: string; contact: string; urgency: string };
      nextStatuses: string[];
    };
    expect(detail).toMatchObject({
      status: 'new',
      details: { situation, contact: `phone:${phone}`, urgency: 'urgent' },
      nextStatuses: ['acknowledged'],
    });
    expect(await reads()).toBe(before + 1);

    // Its own lifecycle: declining needs a reason; the reply reaches the person and stays sealed.
    const move = (status: string, text = '') =>
      api(`/submissions/${code}/status`, { method: 'POST', json: { status, reply: text } });
    expect((await move('approved')).status).toBe(409);
    expect((await move('acknowledged', reply)).status).toBe(200);
    expect((await move('verifying')).status).toBe(200);
    const declined = await move('declined');
    expect(declined.status).toBe(400);
    expect(((await declined.json()) as { error: { message: string } }).error.message).toContain('未批准');
    await fixture.stack.drain();
    const told = bubbleText(await person.replies());
    expect(told).toContain('您的求助有新进展');
    expect(told).toContain(reply);
    expect(bubbleText(await person.say(code))).toContain(reply);

    dump = await everything();
    expect(dump).not.toContain('学费两万元');
    expect(dump).not.toContain(phone);
    expect(dump).not.toContain('工会办公室213室');
    expect(dump).not.toContain('已核实情况');

    // Another goes the whole way: at its follow-up the person is asked, and their rating closes it.
    await person.say('求助');
    await person.say('越冬');
    await person.say('家里冬季取暖费缺口较大，想申请越冬救助。');
    await person.say('一般');
    await person.say('这里');
    const second = /BF-\d{4}-\d{4}/.exec(bubbleText(await person.say('提交')))![0];
    for (const status of ['acknowledged', 'verifying', 'approved', 'delivered', 'follow_up']) {
      const res = await api(`/submissions/${second}/status`, { method: 'POST', json: { status } });
      expect(res.status, status).toBe(200);
    }
    await fixture.stack.drain();
    const asked = bubbleText(await person.replies());
    expect(asked.split('您对办理结果满意吗').length - 1).toBe(1);
    expect(bubbleText(await person.press('满意'))).toContain(`感谢您的评价：${second} 满意`);
    const closed = (await (await api(`/submissions/${second}`)).json()) as { status: string; rating: number };
    expect(closed).toMatchObject({ status: 'closed', rating: 1 });
    expect(bubbleText(await person.say(`评价 ${second} 满意`))).toContain('已经评价过了');

    // Under 我的, with its own statuses.
    expect(bubbleText(await person.say('我的'))).toContain(`${code} 日常困难救助`);
  });

  it('cannot open a case with another key, and opens old values after the key is rotated', async () => {
    const old = generateDataKey('k1');
    const sealed = await createKeyRing(old).seal('住院押金');
    const rotated = createKeyRing(`${generateDataKey('k2')},${old}`);
    expect(await rotated.open(sealed)).toBe('住院押金');
    expect((await rotated.seal('x')).startsWith('tx1.k2.')).toBe(true);
    await expect(createKeyRing(generateDataKey('k1')).open(sealed)).rejects.toThrow();
    await expect(createKeyRing(generateDataKey('k3')).open(sealed)).rejects.toThrow('no key "k1"');
    expect(() => createKeyRing('k1:c2hvcnQ=')).toThrow('32 bytes');
  });
});
