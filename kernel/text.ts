/** What counts as a person's text: normalised, trimmed, measured in characters as people count them. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const controlCharacters = new RegExp(controlCharacter.source, 'g');

/** Invisible format characters (zero-width space, soft hyphen, BOM…), except the joiner inside emoji. */
const formatCharacters = /(?!\u200D)\p{Cf}/gu;

/**
 * NFC-normalises, replaces lone surrogates, drops control and invisible format characters
 * (keeping line breaks and tabs) and trims. Text with nothing visible left becomes empty.
 */
export function normalizeText(raw: string): string {
  const text = raw
    .toWellFormed()
    .normalize('NFC')
    .replace(controlCharacters, '')
    .replace(formatCharacters, '')
    .trim();
  return /^[\s\u200D]*$/u.test(text) ? '' : text;
}

/** True when a value from outside holds characters no text field should (NUL, controls, lone surrogates). */
export function hasUnsafeCharacters(value: string): boolean {
  return !value.isWellFormed() || controlCharacter.test(value);
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

/** The text cut to `max` characters (code points), with an ellipsis when it was longer. */
export function clipText(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/**
 * A file's name as a person sent it, made safe to show and to save: normalised (no controls, no
 * invisible or direction-changing characters), slashes replaced, spaces tidied, its last 100
 * characters kept (where the extension is); `fallback` when nothing is left.
 */
export function fileNameOf(raw: string, fallback = 'file'): string {
  const name = normalizeText(raw.replace(/[\\/]/g, '_')).replace(/\s+/g, ' ');
  return [...name].slice(-100).join('') || fallback;
}
