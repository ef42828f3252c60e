/**
 * CSV as Excel opens it: UTF-8 with a byte-order mark (so Chinese text is read right), CRLF line
 * ends, fields quoted when needed, and cells that a spreadsheet would run as a formula made inert.
 */

const formulaStart = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would be a formula in Excel: an apostrophe keeps it text.
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
