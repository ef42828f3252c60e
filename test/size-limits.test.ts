/**
 * The size limits of the house: no file over 400 lines (tests included), and no function in the
 * product's code over 80 lines. Tables are data, not functions, and are not counted; a test's
 * scenario (`it`, `describe`) is a story told in order and is held to the file limit only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const maxFileLines = 400;
const maxFunctionLines = 80;
/** The product's code; tests, their support and fixtures are held to the file limit only. */
const productFolders = ['bots/', 'db/', 'flows/', 'kernel/', 'src/', 'scripts/', 'bench/'];

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  // A file deleted but not yet staged is still listed: only those on disk are measured.
  .filter((file) => file !== '' && !file.startsWith('test/fixtures/') && existsSync(join(root, file)));

const lineCount = (text: string) => text.split('\n').length;

/** Every function, method and arrow in a file longer than the limit, with where it starts. */
function longFunctions(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > maxFunctionLines) found.push(`${file}:${start + 1} (${end - start + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('size limits', () => {
  it(`keeps every file at ${maxFileLines} lines or fewer`, () => {
    const long = files
      .map((file) => ({ file, lines: lineCount(readFileSync(join(root, file), 'utf8')) }))
      .filter(({ lines }) => lines > maxFileLines)
      .map(({ file, lines }) => `${file} (${lines} lines)`);
    expect(long).toEqual([]);
  });

  it(`keeps every function of the product at ${maxFunctionLines} lines or fewer`, () => {
    const product = files.filter((file) => productFolders.some((folder) => file.startsWith(folder)));
    expect(product.length).toBeGreaterThan(100);
    expect(product.flatMap(longFunctions)).toEqual([]);
  });
});
