/**
 * CSV cells cannot become formulas in a spreadsheet, whichever list separator its locale uses:
 * the export is read back here as Excel reads it with `,` and with `;` (quotes honoured), and no
 * cell may start like a formula.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/http/csv.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webVisitor } from '../../support/stack.ts';

const fixture = useStack();

/** The cells of a CSV text as a spreadsheet splits it on `separator`, honouring double quotes. */
function cells(csv: string, separator: ',' | ';'): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]!;
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === separator || ch === '\n') {
      out.push(cell);
      cell = '';
    } else if (ch !== '\r' || csv[i + 1] !== '\n') cell += ch;
  }
  out.push(cell);
  return out;
}

/** A cell a spreadsheet would run: it starts (after white space or quotes) with =, +, - or @. */
const runs = (cell: string) => /^[\s"]*[=+\-@]/.test(cell);

describe('CSV cells in semicolon locales', () => {
  it('quotes a cell holding ; and defuses every piece that starts like a formula', () => {
    expect(csvField('x;=1+1')).toBe(`"x;'=1+1"`);
    expect(csvField('a; "=HYPERLINK(1)')).toBe(`"a;' ""=HYPERLINK(1)"`);
    expect(csvField('a, +1')).toBe(`"a,' +1"`);
    expect(csvField('a;@SUM(1)')).toBe(`"a;'@SUM(1)"`);
    expect(csvField('a;\t1')).toBe(`"a;'\t1"`);
    expect(csvField('a\n=1')).toBe(`"a\n'=1"`);
    expect(csvField('a;\u3000=1')).toBe(`"a;'\u3000=1"`);
    expect(csvField('  =1')).toBe(`'  =1`);
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('JY-2026-0001')).toBe('JY-2026-0001');
    expect(csvField('a-b;c')).toBe('"a-b;c"');
  });

  it('no cell of any text starts like a formula, split on , or on ;', () => {
    const piece = fc.oneof(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', ';', ',', '"', ' ', '\n', "'", '\u3000', '\v'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.array(piece, { maxLength: 8 }).map((p) => p.join('')),
          { maxLength: 4 },
        ),
        (row) => {
          const csv = toCsv(['h'], [row]).slice(1);
          for (const separator of [',', ';'] as const) {
            const split = cells(csv, separator);
            expect(split.filter(runs), `${JSON.stringify(row)} split on ${separator}`).toEqual([]);
          }
        },
      ),
      { numRuns: 500, seed: 20261230 },
    );
  });
});

describe(`the items export in a semicolon locale (${primaryKind})`, () => {
  it('keeps a title like x;=1+1 in one inert cell', async () => {
    const person = await webVisitor(fixture.stack);
    await person.say('建议');
    await person.say('食堂;=1+1;@SUM(A1)');
    await person.say('1');
    await person.say('建议食堂增加一个窗口，缩短排队时间，尤其是中午。');
    await person.say('跳过');
    await person.say('署名');
    expect(bubbleText(await person.say('提交'))).toMatch(/JY-\d{4}-\d{4}/);
    const csv = await (await fixture.stack.api('/submissions.csv')).text();
    expect(csv).toContain(`"食堂;'=1+1;'@SUM(A1)"`);
    for (const separator of [',', ';'] as const) expect(cells(csv, separator).filter(runs)).toEqual([]);
  });
});
