/**
 * The Markdown of a union news item: rendered to HTML for the item's page, and cut down to a
 * plain-text summary for lists and message cards.
 *
 * Parsing is markdown-it's (CommonMark), with its CJK-friendly emphasis rules so that
 * `**注意：**明天开会` is bold as a Chinese writer means it. What we keep is the subset and the
 * safety rules: headings `#` to `###` become h2 to h4 (the page's h1 is the title) and deeper ones
 * stay text; single newlines are line breaks; lists are always tight; raw HTML is escaped and
 * shown as text; tables, fenced code and strikethrough are off; links go only to http:, https:
 * and mailto: addresses, any other link shows its text alone; an image becomes a link to the
 * picture, so a news item can never make readers' browsers load anything by itself. Bare
 * addresses are not linked. Pure: runs on Node and on Workers.
 */
import MarkdownIt, { type StateCore, type Token } from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';

const linkProtocols = new Set(['http:', 'https:', 'mailto:']);
const linkAttributes = 'rel="noopener noreferrer nofollow" target="_blank"';
const deepestHeading = 3;
const maxQuoteDepth = 4;

const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false, breaks: true });
markdown.use(cjkFriendly);
// Setext headings are off so that `---` under a line is always a rule, as officers mean it.
markdown.disable([
  'table',
  'fence',
  'code',
  'lheading',
  'strikethrough',
  'html_block',
  'html_inline',
  'entity',
]);
// Every address is let through the parser; the renderer decides what becomes a link.
markdown.validateLink = () => true;
markdown.core.ruler.after('block', 'tongxin_subset', (state) => {
  keepHeadingsShallow(state.tokens);
  tightenLists(state.tokens);
  flattenDeepQuotes(state.tokens);
});
markdown.core.ruler.after('inline', 'tongxin_empty_links', (state) => {
  for (const token of state.tokens) {
    if (token.children) showEmptyLinkTargets(token.children, (href) => textToken(state, href));
  }
});

const rules = markdown.renderer.rules;
rules.text = (tokens, index) => escapeHtml(tokens[index]!.content);
rules.code_inline = (tokens, index) => `<code>${escapeHtml(tokens[index]!.content)}</code>`;
rules.softbreak = () => '<br>';
rules.hardbreak = () => '<br>';
rules.heading_open = (tokens, index) => `<h${headingLevel(tokens[index]!) + 1}>`;
rules.heading_close = (tokens, index) => `</h${headingLevel(tokens[index]!) + 1}>\n`;
rules.link_open = (tokens, index) => {
  const href = safeHref(String(tokens[index]!.attrGet('href') ?? ''));
  tokens[index]!.meta = { shown: href !== null };
  return href === null ? '' : `<a href="${escapeHtml(href)}" ${linkAttributes}>`;
};
rules.link_close = (tokens, index) => (openingLink(tokens, index)?.meta?.shown ? '</a>' : '');
rules.image = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const alt = escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
  const href = safeHref(String(token.attrGet('src') ?? ''));
  if (href === null) return alt;
  return `<a href="${escapeHtml(href)}" ${linkAttributes}>${alt || escapeHtml(href)}</a>`;
};

/** Renders news Markdown to HTML that is safe to place in a page as is. */
export function renderMarkdown(source: string): string {
  return markdown.render(source).trimEnd();
}

/**
 * The text without Markdown syntax, whitespace collapsed, cut to at most `maxChars` UTF-16 code
 * units (an ellipsis included) and never inside a surrogate pair.
 */
export function summarize(source: string, maxChars: number): string {
  const text = tokensText(markdown.parse(source, {})).replace(/\s+/g, ' ').trim();
  if (text.length <= maxChars) return text;
  if (maxChars < 1) return '';
  let end = maxChars - 1;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

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

// Parse-tree rules ---------------------------------------------------------------------------

function headingLevel(token: Token): number {
  return token.markup.length;
}

/** `####` and deeper are not headings of a news item: they stay a paragraph with their hashes. */
function keepHeadingsShallow(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.type !== 'heading_open' || headingLevel(token) <= deepestHeading) continue;
    const inline = tokens[i + 1]!;
    const close = tokens[i + 2]!;
    inline.content = inline.content ? `${token.markup} ${inline.content}` : token.markup;
    for (const [part, type, tag] of [
      [token, 'paragraph_open', 'p'],
      [close, 'paragraph_close', 'p'],
    ] as const) {
      part.type = type;
      part.tag = tag;
      part.markup = '';
    }
  }
}

/** A list's items are lines, not paragraphs, whatever blank lines stand between them. */
function tightenLists(tokens: Token[]): void {
  let depth = 0;
  for (const token of tokens) {
    if (token.type === 'list_item_open') depth += 1;
    else if (token.type === 'list_item_close') depth -= 1;
    else if (depth > 0 && (token.type === 'paragraph_open' || token.type === 'paragraph_close')) {
      token.hidden = true;
    }
  }
}

/** Quotes nest at most four deep on the page; deeper markers quote at the fourth level. */
function flattenDeepQuotes(tokens: Token[]): void {
  let depth = 0;
  for (const token of tokens) {
    if (token.type === 'blockquote_open') {
      depth += 1;
      token.hidden = depth > maxQuoteDepth;
    } else if (token.type === 'blockquote_close') {
      token.hidden = depth > maxQuoteDepth;
      depth -= 1;
    }
  }
}

/** `[](https://a.example)` shows the address, so a link is never invisible. */
function showEmptyLinkTargets(children: Token[], text: (content: string) => Token): void {
  for (let i = children.length - 2; i >= 0; i -= 1) {
    const open = children[i]!;
    if (open.type !== 'link_open' || children[i + 1]!.type !== 'link_close') continue;
    const href = safeHref(String(open.attrGet('href') ?? ''));
    if (href === null) continue;
    children.splice(i + 1, 0, text(href));
  }
}

function textToken(state: StateCore, content: string): Token {
  const token = new state.Token('text', '', 0);
  token.content = content;
  return token;
}

function openingLink(tokens: Token[], closeIndex: number): Token | undefined {
  let depth = 0;
  for (let i = closeIndex - 1; i >= 0; i -= 1) {
    const token = tokens[i]!;
    if (token.type === 'link_close') depth += 1;
    else if (token.type === 'link_open') {
      if (depth === 0) return token;
      depth -= 1;
    }
  }
  return undefined;
}

/** The address itself when it is absolute http(s) or mailto, as the parser normalised it. */
function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return linkProtocols.has(url.protocol) && href.toLowerCase().startsWith(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

// Plain text ---------------------------------------------------------------------------------

function tokensText(tokens: readonly Token[]): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type === 'inline') parts.push(inlineText(token.children ?? []));
    else if (token.block && token.nesting !== 0) parts.push(' ');
  }
  return parts.join('');
}

function inlineText(children: readonly Token[]): string {
  let text = '';
  for (const child of children) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.type === 'image') text += inlineText(child.children ?? []);
  }
  return text;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
