/** What counts as a person's text: normalised, trimmed, measured in characters as people count them. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** NFC-normalises, drops control characters (keeping line breaks and tabs) and trims. */
export function normalizeText(raw: string): string {
  return raw.normalize('NFC').replace(controlCharacters, '').trim();
}

/** Length in Unicode code points, so an emoji or a Chinese character counts as one. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The form used to compare a reply with command words and option labels (full-width folded too). */
export function foldForMatch(text: string): string {
  return normalizeText(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, ' ')
    .replace(/^[「“"'《]+|[」”"'》。.!！?？]+$/g, '');
}
