/** The CSV export: Excel-ready bytes, the right rows, sensitive columns only on request and audited. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../../db/schema/index.ts';
import { csvField } from '../../../src/http/csv.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webVisitor } from '../../support/stack.ts';

const fixture = useStack();

describe(`CSV export (${primaryKind})`, () => {
  it('exports items with a BOM and CRLF, keeps help-request text out unless asked, and audits when asked', async () => {
    const person = await webVisitor(fixture.stack);
    await person.say('建议');
    await person.say('=SUM(A1) 食堂, "窗口"');
    await person.say('1');
    await person.say('建议食堂增加一个窗口，缩短排队时间，\n尤其是中午。');
    await person.say('跳过');
    await person.say('署名');
    const suggestion = /JY-\d{4}-\d{4}/.exec(bubbleText(await person.say('提交')))![0];
    await person.say('求助');
    await person.say('日常');
    await person.say('孩子生病需要长期用药，每月药费一千多元。');
    await person.say('一般');
    await person.say('这里');
    const help = /BF-\d{4}-\d{4}/.exec(bubbleText(await person.say('提交')))![0];

    const res = await fixture.stack.api('/submissions.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="tongxin-items-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toContain('编号 Reference,类型 Kind,状态 Status');
    expect(text).toContain(`${help},求助,待受理,日常困难救助,日常困难救助`);
    expect(text).toContain(`${suggestion},合理化建议,已提交,"'=SUM(A1) 食堂, ""窗口""",安全生产`);
    expect(text).not.toContain('药费');

    const reads = async () =>
      (await fixture.database.db.select().from(auditLog).where(eq(auditLog.action, 'help_request.read')))
        .length;
    const before = await reads();
    const full = await (await fixture.stack.api('/submissions.csv?kind=help_request&sensitive=true')).text();
    expect(full).toContain('孩子生病需要长期用药，每月药费一千多元。');
    expect(full).toContain(',chat');
    expect(full).not.toContain(suggestion);
    expect(await reads()).toBe(before + 1);
    expect((await fixture.stack.api('/submissions.csv?sensitive=yes')).status).toBe(400);
  });

  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });
});
