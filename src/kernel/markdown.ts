/**
 * The Markdown of a union news item: rendered to HTML for the item's page, and cut down to a
 * plain-text summary for lists and message cards.
 *
 * Only a small subset is understood: headings `#` to `###` (h2 to h4, since the page's h1 is the
 * title), paragraphs with single newlines kept as line breaks, bold, italic, inline code, bullet
 * and numbered lists, block quotes, `---` rules, and links to http:, https: and mailto: addresses.
 * Everything else, raw HTML included, is escaped and shown as text. An image becomes a link to
 * the picture, so a news item can never make readers' browsers load anything by itself.
 *
 * The text comes from people, so it is untrusted input: the parser is a hand-written scanner
 * that is linear in the input (quotes nest at most four deep), with no regex that can backtrack
 * over a long line. Pure: runs on Node and on Workers.
 */

type Emphasis = 'strong' | 'em';

type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'break' }
  | { kind: 'code'; text: string }
  | { kind: 'open'; tag: Emphasis }
  | { kind: 'close'; tag: Emphasis }
  /** `href` is null when the target is not a safe address: the content is then shown alone. */
  | { kind: 'link'; href: string | null; content: Inline[] };

type Block =
  | { kind: 'heading'; level: number; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'rule' };

/** Renders news Markdown to HTML that is safe to place in a page as is. */
export function renderMarkdown(source: string): string {
  return blocksHtml(parseBlocks(toLines(source), 0));
}

/**
 * The text without Markdown syntax, whitespace collapsed, cut to at most `maxChars` UTF-16 code
 * units (an ellipsis included) and never inside a surrogate pair.
 */
export function summarize(source: string, maxChars: number): string {
  const text = parseBlocks(toLines(source), 0).map(blockText).join(' ').replace(/\s+/g, ' ').trim();
  if (text.length <= maxChars) return text;
  if (maxChars < 1) return '';
  let end = maxChars - 1;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

// Blocks -------------------------------------------------------------------------------------

const maxQuoteDepth = 4;

type LineStart =
  | { kind: 'rule' }
  | { kind: 'heading'; level: number; rest: string }
  | { kind: 'quote'; rest: string }
  | { kind: 'item'; ordered: boolean; number: number; rest: string };

function toLines(source: string): string[] {
  return source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd());
}

/** What a line starts, if anything other than plain text. Each regex is anchored and bounded. */
function lineStart(line: string, depth: number): LineStart | null {
  const text = line.trimStart();
  if (/^-{3,}$/.test(text)) return { kind: 'rule' };
  const heading = /^(#{1,3})(?:[ \t]|$)/.exec(text);
  if (heading) {
    const level = heading[1]!.length;
    return { kind: 'heading', level, rest: withoutClosingHashes(text.slice(level).trim()) };
  }
  if (text.startsWith('>') && depth < maxQuoteDepth) {
    return { kind: 'quote', rest: text.slice(text.startsWith('> ') ? 2 : 1) };
  }
  if (/^[-*][ \t]/.test(text)) return { kind: 'item', ordered: false, number: 0, rest: text.slice(2).trim() };
  const ordered = /^(\d{1,9})\.[ \t]/.exec(text);
  if (ordered) {
    const rest = text.slice(ordered[0].length).trim();
    return { kind: 'item', ordered: true, number: Number(ordered[1]), rest };
  }
  return null;
}

/** `## Title ##` is `Title`; `## C#` keeps its hash, since a closing run follows a space. */
function withoutClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  if (end === text.length) return text;
  if (end === 0) return '';
  return text[end - 1] === ' ' || text[end - 1] === '\t' ? text.slice(0, end).trimEnd() : text;
}

/** A numbered line only breaks into a paragraph when it starts at 1, as in "in 2024. we". */
function interruptsParagraph(start: LineStart | null): boolean {
  return start !== null && !(start.kind === 'item' && start.ordered && start.number !== 1);
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function parseBlocks(lines: readonly string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i += 1;
      continue;
    }
    const start = lineStart(line, depth);
    if (start?.kind === 'rule') {
      blocks.push({ kind: 'rule' });
      i += 1;
    } else if (start?.kind === 'heading') {
      blocks.push({ kind: 'heading', level: start.level, content: parseInline(start.rest) });
      i += 1;
    } else if (start?.kind === 'quote') {
      const inner: string[] = [];
      for (
        let next: LineStart | null = start;
        next?.kind === 'quote';
        next = lineStart(lines[i] ?? '', depth)
      ) {
        inner.push(next.rest);
        i += 1;
      }
      blocks.push({ kind: 'quote', blocks: parseBlocks(inner, depth + 1) });
    } else if (start?.kind === 'item') {
      i = parseList(lines, i, start.ordered, depth, blocks);
    } else {
      const paragraph = [line.trim()];
      for (i += 1; i < lines.length && !isBlank(lines[i]!); i += 1) {
        if (interruptsParagraph(lineStart(lines[i]!, depth))) break;
        paragraph.push(lines[i]!.trim());
      }
      blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join('\n')) });
    }
  }
  return blocks;
}

/** Reads one list from `from`, pushes it, and returns the index of the first line after it. */
function parseList(
  lines: readonly string[],
  from: number,
  ordered: boolean,
  depth: number,
  blocks: Block[],
): number {
  const items: string[][] = [];
  let start = 1;
  let i = from;
  while (i < lines.length) {
    const line = lines[i]!;
    const lineKind = lineStart(line, depth);
    if (lineKind?.kind === 'item' && lineKind.ordered === ordered) {
      if (items.length === 0) start = lineKind.number;
      items.push([lineKind.rest]);
      i += 1;
    } else if (isBlank(line)) {
      // Blank lines between items keep the list going; anything else after them ends it.
      let next = i;
      while (next < lines.length && isBlank(lines[next]!)) next += 1;
      const after = next < lines.length ? lineStart(lines[next]!, depth) : null;
      if (after?.kind !== 'item' || after.ordered !== ordered) break;
      i = next;
    } else if (lineKind === null) {
      items[items.length - 1]!.push(line.trim()); // a continuation of the item above
      i += 1;
    } else {
      break;
    }
  }
  blocks.push({ kind: 'list', ordered, start, items: items.map((item) => parseInline(item.join('\n'))) });
  return i;
}

// Inline -------------------------------------------------------------------------------------

/** A run of `*` or `_` that may open or close emphasis; kept in a linked list while matching. */
interface Delimiter {
  kind: 'delimiter';
  char: '*' | '_';
  count: number;
  canOpen: boolean;
  canClose: boolean;
  position: number;
  opens: Emphasis[];
  closes: Emphasis[];
  prev: Delimiter | null;
  next: Delimiter | null;
}

/** Where each bracket closes, where the next whitespace is, and where backtick runs are. */
interface Scan {
  brackets: Int32Array;
  parens: Int32Array;
  nextSpace: Int32Array;
  backticks: Map<number, { positions: number[]; cursor: number }>;
}

const specialChars = new Set(['\\', '`', '!', '[', '*', '_', '\n']);
const asciiPunctuation = /^[!-/:-@[-`{-~]$/;
const linkProtocols = new Set(['http:', 'https:', 'mailto:']);

function scan(text: string): Scan {
  const n = text.length;
  const brackets = new Int32Array(n).fill(-1);
  const parens = new Int32Array(n).fill(-1);
  const nextSpace = new Int32Array(n + 1).fill(n);
  const backticks = new Map<number, { positions: number[]; cursor: number }>();
  const openBrackets: number[] = [];
  const openParens: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '[') openBrackets.push(i);
    else if (c === '(') openParens.push(i);
    else if (c === ']' && openBrackets.length > 0) brackets[openBrackets.pop()!] = i;
    else if (c === ')' && openParens.length > 0) parens[openParens.pop()!] = i;
  }
  // Backslashes do not escape inside code, so a run after one can still close a span.
  for (let i = 0; i < n; ) {
    if (text[i] !== '`') {
      i += 1;
      continue;
    }
    let end = i;
    while (text[end] === '`') end += 1;
    const runs = backticks.get(end - i) ?? { positions: [], cursor: 0 };
    runs.positions.push(i);
    backticks.set(end - i, runs);
    i = end;
  }
  for (let i = n - 1; i >= 0; i -= 1) nextSpace[i] = /\s/.test(text[i]!) ? i : nextSpace[i + 1]!;
  return { brackets, parens, nextSpace, backticks };
}

/** The next run of exactly `length` backticks after `after`, or -1. Cursors only move forward. */
function closingBackticks(found: Scan, length: number, after: number): number {
  const runs = found.backticks.get(length);
  if (!runs) return -1;
  while (runs.cursor < runs.positions.length && runs.positions[runs.cursor]! <= after) runs.cursor += 1;
  return runs.positions[runs.cursor] ?? -1;
}

/** `[label](target)` at `open`, with no whitespace in the target and its parentheses balanced. */
function linkAt(
  text: string,
  found: Scan,
  open: number,
): { label: string; target: string; end: number } | null {
  const close = found.brackets[open]!;
  if (close < 0 || text[close + 1] !== '(') return null;
  const end = found.parens[close + 1]!;
  if (end < 0 || found.nextSpace[close + 2]! < end) return null;
  return { label: text.slice(open + 1, close), target: text.slice(close + 2, end), end: end + 1 };
}

function safeHref(target: string): string | null {
  try {
    const url = new URL(target.replace(/\\([!-/:-@[-`{-~])/g, '$1'));
    return linkProtocols.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function parseInline(text: string, allowLinks = true): Inline[] {
  const found = scan(text);
  const pieces: (Inline | Delimiter)[] = [];
  let first: Delimiter | null = null;
  let last: Delimiter | null = null;
  let pending = '';
  const flush = () => {
    if (pending !== '') pieces.push({ kind: 'text', text: pending });
    pending = '';
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (!specialChars.has(c)) {
      const from = i;
      while (i < text.length && !specialChars.has(text[i]!)) i += 1;
      pending += text.slice(from, i);
    } else if (c === '\\' && asciiPunctuation.test(text[i + 1] ?? '')) {
      pending += text[i + 1];
      i += 2;
    } else if (c === '`') {
      let end = i;
      while (text[end] === '`') end += 1;
      const close = closingBackticks(found, end - i, i);
      if (close < 0) {
        pending += text.slice(i, end);
        i = end;
      } else {
        flush();
        pieces.push({ kind: 'code', text: codeText(text.slice(end, close)) });
        i = close + (end - i);
      }
    } else if (allowLinks && (c === '[' || (c === '!' && text[i + 1] === '['))) {
      const link = linkAt(text, found, c === '!' ? i + 1 : i);
      if (link) {
        flush();
        const href = safeHref(link.target);
        const content = parseInline(link.label, false);
        const shown = content.length > 0 || href === null ? content : [{ kind: 'text' as const, text: href }];
        pieces.push({ kind: 'link', href, content: shown });
        i = link.end;
      } else {
        pending += c;
        i += 1;
      }
    } else if (c === '*' || c === '_') {
      let end = i;
      while (text[end] === c) end += 1;
      flush();
      const delimiter = delimiterRun(text, i, end, c);
      delimiter.prev = last;
      if (last) last.next = delimiter;
      else first = delimiter;
      last = delimiter;
      pieces.push(delimiter);
      i = end;
    } else if (c === '\n') {
      flush();
      pieces.push({ kind: 'break' });
      i += 1;
    } else {
      pending += c;
      i += 1;
    }
  }
  flush();
  matchEmphasis(first);
  return pieces.flatMap((piece) => (piece.kind === 'delimiter' ? delimiterInlines(piece) : [piece]));
}

/** Code keeps its text; line breaks become spaces and one padding space each side is dropped. */
function codeText(raw: string): string {
  const text = raw.replace(/\n/g, ' ');
  return text.length > 2 && text.startsWith(' ') && text.endsWith(' ') && text.trim() !== ''
    ? text.slice(1, -1)
    : text;
}

/**
 * A run opens when text follows it and closes when text precedes it. `_` also needs a word
 * boundary on the outer side, so snake_case stays as written. Punctuation counts as text, so
 * `**注意：**明天` is bold, as Chinese writers expect.
 */
function delimiterRun(text: string, from: number, end: number, char: '*' | '_'): Delimiter {
  const before = charBefore(text, from);
  const after = charAt(text, end);
  const canOpen = after !== '' && !/\s/.test(after) && (char === '*' || !isWordChar(before));
  const canClose = before !== '' && !/\s/.test(before) && (char === '*' || !isWordChar(after));
  return {
    kind: 'delimiter',
    char,
    count: end - from,
    canOpen,
    canClose,
    position: from,
    opens: [],
    closes: [],
    prev: null,
    next: null,
  };
}

/**
 * Pairs openers with closers, innermost first, as CommonMark's "process emphasis" does (without
 * its rule of three). Runs between a matched pair leave the list and stay text; after a closer
 * finds no opener, later closers of that character never look below it, so the work stays linear.
 */
function matchEmphasis(first: Delimiter | null): void {
  const floor = { '*': -1, _: -1 };
  let closer = first;
  while (closer) {
    if (!closer.canClose) {
      closer = closer.next;
      continue;
    }
    let opener = closer.prev;
    while (opener && opener.position > floor[closer.char]) {
      if (opener.char === closer.char && opener.canOpen) break;
      opener = opener.prev;
    }
    if (opener && opener.position > floor[closer.char]) {
      const used = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      const tag = used === 2 ? 'strong' : 'em';
      opener.count -= used;
      closer.count -= used;
      opener.opens.unshift(tag);
      closer.closes.push(tag);
      opener.next = closer;
      closer.prev = opener;
      if (opener.count === 0) unlink(opener);
      if (closer.count === 0) {
        const next: Delimiter | null = closer.next;
        unlink(closer);
        closer = next;
      }
    } else {
      floor[closer.char] = closer.position - 1;
      const next: Delimiter | null = closer.next;
      if (!closer.canOpen) unlink(closer);
      closer = next;
    }
  }
}

function unlink(delimiter: Delimiter): void {
  if (delimiter.prev) delimiter.prev.next = delimiter.next;
  if (delimiter.next) delimiter.next.prev = delimiter.prev;
}

/** Closing tags come from the run's left, opening tags from its right; the rest is text. */
function delimiterInlines(delimiter: Delimiter): Inline[] {
  return [
    ...delimiter.closes.map((tag): Inline => ({ kind: 'close', tag })),
    ...(delimiter.count > 0 ? [{ kind: 'text' as const, text: delimiter.char.repeat(delimiter.count) }] : []),
    ...delimiter.opens.map((tag): Inline => ({ kind: 'open', tag })),
  ];
}

function charBefore(text: string, index: number): string {
  if (index === 0) return '';
  const from = index >= 2 && isHighSurrogate(text.charCodeAt(index - 2)) ? index - 2 : index - 1;
  return text.slice(from, index);
}

function charAt(text: string, index: number): string {
  const code = text.codePointAt(index);
  return code === undefined ? '' : String.fromCodePoint(code);
}

function isWordChar(char: string): boolean {
  return /^[\p{L}\p{N}]$/u.test(char);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// Output -------------------------------------------------------------------------------------

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and for quoted attribute values (both quote kinds). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

function blocksHtml(blocks: readonly Block[]): string {
  return blocks.map(blockHtml).join('\n');
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level + 1}>${inlineHtml(block.content)}</h${block.level + 1}>`;
    case 'paragraph':
      return `<p>${inlineHtml(block.content)}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
      const items = block.items.map((item) => `<li>${inlineHtml(item)}</li>\n`).join('');
      return `<${tag}${start}>\n${items}</${tag}>`;
    }
    case 'quote':
      return `<blockquote>\n${block.blocks.map((inner) => `${blockHtml(inner)}\n`).join('')}</blockquote>`;
    case 'rule':
      return '<hr>';
  }
}

function inlineHtml(inlines: readonly Inline[]): string {
  let html = '';
  for (const inline of inlines) {
    if (inline.kind === 'text') html += escapeHtml(inline.text);
    else if (inline.kind === 'break') html += '<br>';
    else if (inline.kind === 'code') html += `<code>${escapeHtml(inline.text)}</code>`;
    else if (inline.kind === 'open') html += `<${inline.tag}>`;
    else if (inline.kind === 'close') html += `</${inline.tag}>`;
    else if (inline.href === null) html += inlineHtml(inline.content);
    else {
      const attributes = `href="${escapeHtml(inline.href)}" rel="noopener noreferrer nofollow" target="_blank"`;
      html += `<a ${attributes}>${inlineHtml(inline.content)}</a>`;
    }
  }
  return html;
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return inlineText(block.content);
    case 'list':
      return block.items.map(inlineText).join(' ');
    case 'quote':
      return block.blocks.map(blockText).join(' ');
    case 'rule':
      return '';
  }
}

function inlineText(inlines: readonly Inline[]): string {
  let text = '';
  for (const inline of inlines) {
    if (inline.kind === 'text' || inline.kind === 'code') text += inline.text;
    else if (inline.kind === 'break') text += ' ';
    else if (inline.kind === 'link') text += inlineText(inline.content);
  }
  return text;
}
