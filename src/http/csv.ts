/**
 * CSV as Excel opens it: UTF-8 with a byte-order mark (so Chinese text is read right), CRLF line
 * ends, fields quoted when needed, and cells that a spreadsheet would run as a formula made inert.
 *
 * A spreadsheet in a locale whose list separator is `;` splits lines on `;` and honours a quote
 * only at the start of what it splits off, so `a,"x;=1+1"` still gives it a cell `=1+1"`. So
 * every piece of a cell that such a reader (or a line break inside the cell) could start a cell
 * with is defused, not only the cell's start, and a cell holding `;` is quoted as well.
 */

/**
 * Where a piece starts (the cell's start, or after ; , or a line break) that, past white space
 * and quotes, would run as a formula. Line breaks are not skipped, so a run of them is not
 * rescanned from each one.
 */
const formulaPiece = /(^|[;,\r\n])(?=(?:(?![\r\n])[\s"])*[=+\-@\t\r])/g;

export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  // A piece starting with =, +, -, @, a tab or a CR would be a formula: an apostrophe keeps it text.
  if (typeof value === 'string') text = text.replace(formulaPiece, "$1'");
  return /[",;\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
