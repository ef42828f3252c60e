/**
 * News Markdown: each construct of the subset, everything else shown as text, links only to
 * http(s) and mailto, well-formed output for any input, and no input slow enough to stall a page.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown, summarize } from '../../src/kernel/markdown.ts';

const linkAttributes = 'rel="noopener noreferrer nofollow" target="_blank"';
const link = (href: string, text: string) => `<a href="${href}" ${linkAttributes}>${text}</a>`;

/**
 * Throws unless every tag is one the renderer may write, tags nest properly, links go only to
 * http(s) or mailto, and no `<`, `>` or `"` is left outside a tag.
 */
function expectSafeHtml(html: string): void {
  const stack: string[] = [];
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    if (tag === '<br>' || tag === '<hr>') continue;
    const open =
      /^<(p|h2|h3|h4|ul|li|blockquote|strong|em|code)>$/.exec(tag) ??
      /^<(ol)(?: start="\d+")?>$/.exec(tag) ??
      new RegExp(`^<(a) href="(?:https?:|mailto:)[^"<>]*" ${linkAttributes}>$`).exec(tag);
    if (open) {
      stack.push(open[1]!);
      continue;
    }
    const close = /^<\/([a-z0-9]+)>$/.exec(tag);
    expect(close, `unexpected tag ${tag} in ${html}`).not.toBeNull();
    expect(stack.pop(), `misnested ${tag} in ${html}`).toBe(close![1]);
  }
  expect(stack, html).toEqual([]);
  expect(html.replace(/<[^>]*>/g, ''), html).not.toMatch(/[<>"]/);
}

describe('renderMarkdown: blocks', () => {
  it('renders # to ### as h2 to h4, below the page title', () => {
    expect(renderMarkdown('# 通知\n## Agenda ##\n### C#')).toBe(
      '<h2>通知</h2>\n<h3>Agenda</h3>\n<h4>C#</h4>',
    );
  });

  it('leaves #### and #hashtag as paragraph text', () => {
    expect(renderMarkdown('#### deep\n#tag')).toBe('<p>#### deep</p>\n<p>#tag</p>');
    expect(renderMarkdown('#tag\n话题')).toBe('<p>#tag<br>话题</p>');
  });

  it('separates paragraphs by blank lines and keeps single newlines as line breaks', () => {
    expect(renderMarkdown('第一行\n第二行\r\n\r\n\n  second paragraph  ')).toBe(
      '<p>第一行<br>第二行</p>\n<p>second paragraph</p>',
    );
  });

  it('renders bullet lists with - or *, continuation lines and blank lines between items', () => {
    expect(renderMarkdown('- 工资\n- 休假\n  每年十天\n\n- 安全\n\nafter')).toBe(
      '<ul>\n<li>工资</li>\n<li>休假<br>每年十天</li>\n<li>安全</li>\n</ul>\n<p>after</p>',
    );
    expect(renderMarkdown('* 工资\n* 休假')).toBe('<ul>\n<li>工资</li>\n<li>休假</li>\n</ul>');
  });

  it('starts a new list when the bullet changes, as CommonMark does', () => {
    expect(renderMarkdown('- 工资\n* 休假')).toBe('<ul>\n<li>工资</li>\n</ul>\n<ul>\n<li>休假</li>\n</ul>');
  });

  it('renders numbered lists, with a start when they do not begin at 1', () => {
    expect(renderMarkdown('1. one\n2. two')).toBe('<ol>\n<li>one</li>\n<li>two</li>\n</ol>');
    expect(renderMarkdown('3. three\n4. four')).toBe('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>');
  });

  it('does not turn a year at the start of a wrapped line into a list', () => {
    expect(renderMarkdown('合同到期于\n2025. 之后续签')).toBe('<p>合同到期于<br>2025. 之后续签</p>');
  });

  it('renders block quotes, which may hold other blocks and nest', () => {
    expect(renderMarkdown('> 会员说：\n> - 加薪\n>> 引用\n\n正文')).toBe(
      '<blockquote>\n<p>会员说：</p>\n<ul>\n<li>加薪</li>\n</ul>\n<blockquote>\n<p>引用</p>\n</blockquote>\n</blockquote>\n<p>正文</p>',
    );
  });

  it('stops nesting quotes at four levels, deeper text quoted at the fourth', () => {
    const html = renderMarkdown(`${'>'.repeat(6)} deep`);
    expect(html.match(/<blockquote>/g)).toHaveLength(4);
    expect(html.match(/<\/blockquote>/g)).toHaveLength(4);
    expect(html).toContain('<p>deep</p>');
  });

  it('renders --- as a rule, also right under a line (never a heading)', () => {
    expect(renderMarkdown('above\n---\nbelow')).toBe('<p>above</p>\n<hr>\n<p>below</p>');
  });

  it('renders nothing for empty or blank input', () => {
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown(' \n\n\t')).toBe('');
  });
});

describe('renderMarkdown: inline', () => {
  it('renders bold, italic with * or _, and both', () => {
    expect(renderMarkdown('**粗体** *斜体* _italic_ ***both***')).toBe(
      '<p><strong>粗体</strong> <em>斜体</em> <em>italic</em> <em><strong>both</strong></em></p>',
    );
  });

  it('bolds Chinese text ending in punctuation', () => {
    expect(renderMarkdown('**注意：**明天开会')).toBe('<p><strong>注意：</strong>明天开会</p>');
  });

  it('leaves snake_case, spaced asterisks and unmatched markers as text', () => {
    expect(renderMarkdown('snake_case_name 2 * 3 * 4 **open')).toBe(
      '<p>snake_case_name 2 * 3 * 4 **open</p>',
    );
  });

  it('lets emphasis run across a line break', () => {
    expect(renderMarkdown('**one\ntwo**')).toBe('<p><strong>one<br>two</strong></p>');
  });

  it('renders inline code literally, escaped, with longer fences holding backticks', () => {
    expect(renderMarkdown('`<b>**x**</b>` `` a`b `` ``` unclosed')).toBe(
      '<p><code>&lt;b&gt;**x**&lt;/b&gt;</code> <code>a`b</code> ``` unclosed</p>',
    );
  });

  it('honours backslash escapes', () => {
    expect(renderMarkdown('\\*not italic\\* \\[not](http://a.example) \\\\')).toBe(
      '<p>*not italic* [not](http://a.example) \\</p>',
    );
  });

  it('passes Chinese text through untouched', () => {
    const text = '同心工会：全体会员大会将于下周三召开，请准时参加！「重要」';
    expect(renderMarkdown(text)).toBe(`<p>${text}</p>`);
  });

  it('does not link bare URLs', () => {
    expect(renderMarkdown('see https://example.com')).toBe('<p>see https://example.com</p>');
  });
});

describe('renderMarkdown: links and images', () => {
  it('links http, https and mailto targets, opening a new tab without referrer', () => {
    expect(renderMarkdown('[官网](https://union.example/新闻) [mail](mailto:office@union.example)')).toBe(
      `<p>${link('https://union.example/%E6%96%B0%E9%97%BB', '官网')} ${link('mailto:office@union.example', 'mail')}</p>`,
    );
  });

  it('keeps balanced parentheses in a target and formatting in the text', () => {
    expect(renderMarkdown('[**Wiki**](https://en.wikipedia.org/wiki/Union_(labour))')).toBe(
      `<p>${link('https://en.wikipedia.org/wiki/Union_(labour)', '<strong>Wiki</strong>')}</p>`,
    );
  });

  it('shows the address when the link text is empty', () => {
    expect(renderMarkdown('[](http://a.example)')).toBe(
      `<p>${link('http://a.example/', 'http://a.example/')}</p>`,
    );
  });

  it('shows a target with a control character as text', () => {
    expect(renderMarkdown('[x](\u0001javascript:alert(1))')).toBe('<p>[x](\u0001javascript:alert(1))</p>');
  });

  it.each([
    ['[x](javascript:alert(1))'],
    ['[x](JAVASCRIPT:alert(1))'],
    ['[x](java&#x09;script:alert(1))'],
    ['[x](javascript%3Aalert(1))'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)'],
    ['[x](vbscript:msgbox(1))'],
    ['[x](/relative/path)'],
    ['[x](//evil.example)'],
    ['[x](file:///etc/passwd)'],
    ['[x]()'],
  ])('renders only the text for %s', (source) => {
    expect(renderMarkdown(source)).toBe('<p>x</p>');
  });

  it('shows a target with whitespace as text, quotes escaped', () => {
    expect(renderMarkdown('[x](" onmouseover=")')).toBe('<p>[x](&quot; onmouseover=&quot;)</p>');
    expect(renderMarkdown('[x](java\tscript:alert(1))')).toBe('<p>[x](java\tscript:alert(1))</p>');
  });

  it('cannot break out of the href attribute', () => {
    expect(renderMarkdown('[x](http://a.example/"onmouseover="alert(1))')).toBe(
      `<p>${link('http://a.example/%22onmouseover=%22alert(1)', 'x')}</p>`,
    );
    expect(renderMarkdown("[x](mailto:a\"onmouseover='b'@c.example)")).toBe(
      `<p>${link('mailto:a%22onmouseover=&#39;b&#39;@c.example', 'x')}</p>`,
    );
    expect(renderMarkdown('[x](https://a.example/?q=<script>)')).toBe(
      `<p>${link('https://a.example/?q=%3Cscript%3E', 'x')}</p>`,
    );
  });

  it('renders an image as a link to it, never as an img', () => {
    expect(renderMarkdown('![合影](https://union.example/photo.jpg)')).toBe(
      `<p>${link('https://union.example/photo.jpg', '合影')}</p>`,
    );
    expect(renderMarkdown('![x](data:image/png;base64,AAAA) ![y](javascript:alert(1))')).toBe('<p>x y</p>');
  });

  it('does not nest links: the inner one wins, as CommonMark says', () => {
    expect(renderMarkdown('[a [b](http://b.example)](http://a.example)')).toBe(
      `<p>[a ${link('http://b.example/', 'b')}](http://a.example)</p>`,
    );
  });
});

describe('renderMarkdown: raw HTML and safety', () => {
  it.each([
    ['<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
    ['<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>'],
    [
      '<a href="javascript:alert(1)">x</a>',
      '<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>',
    ],
    ["it's &amp; <b>", '<p>it&#39;s &amp;amp; &lt;b&gt;</p>'],
    ['# <svg onload=alert(1)>', '<h2>&lt;svg onload=alert(1)&gt;</h2>'],
    ['- <iframe>', '<ul>\n<li>&lt;iframe&gt;</li>\n</ul>'],
  ])('shows %s as text', (source, html) => {
    expect(renderMarkdown(source)).toBe(html);
  });

  it('writes only allowed, well-nested tags for arbitrary input', () => {
    const pieces = [
      '*',
      '**',
      '_',
      '`',
      '[',
      ']',
      '(',
      ')',
      '![',
      '\\',
      '\n',
      '\n\n',
      '> ',
      '- ',
      '1. ',
      '# ',
      '---\n',
      'a',
      '中',
      ' ',
      '<',
      '>',
      '"',
      "'",
      '&',
      'javascript:',
      'http://x.example/',
      'mailto:a@b.c',
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 500; round += 1) {
      let source = '';
      for (let i = 0; i < 60; i += 1) source += pieces[Math.floor(random() * pieces.length)];
      expectSafeHtml(renderMarkdown(source));
    }
  });

  it.each([
    ['asterisks', '*'.repeat(200_000)],
    ['open brackets', '['.repeat(200_000)],
    ['unclosed bold', '**a'.repeat(60_000)],
    ['mixed runs', '*_'.repeat(100_000)],
    ['backtick runs', '` ``'.repeat(50_000)],
    ['unfinished links', '[a]('.repeat(50_000)],
    ['nested links', `${'[a](b'.repeat(30_000)}${')'.repeat(30_000)}`],
    ['quote markers', '>'.repeat(200_000)],
    ['spaced heading', `# ${' '.repeat(199_990)}x#`],
    ['list items', '- x\n\n'.repeat(40_000)],
  ])(
    'renders 200,000 characters of %s without hanging, and safely',
    (_name, source) => {
      // Linear work is a fraction of a second here even on a slow machine; backtracking that grows
      // with the square of the length (or faster) runs far past the test's generous deadline.
      // No elapsed time is asserted.
      const html = renderMarkdown(source);
      summarize(source, 200);
      expectSafeHtml(html);
    },
    60_000,
  );
});

describe('summarize', () => {
  it('strips Markdown syntax and collapses whitespace', () => {
    const source =
      '# 大会通知\n\n**全体会员**请于 *周三*\n到 [礼堂](https://union.example/map) 集合。\n\n- 带 `会员证`\n- 准时\n\n---\n> 谢谢';
    expect(summarize(source, 200)).toBe('大会通知 全体会员请于 周三 到 礼堂 集合。 带 会员证 准时 谢谢');
  });

  it('keeps raw HTML as text, without escaping it', () => {
    expect(summarize('a <b> & c', 50)).toBe('a <b> & c');
  });

  it('returns text that fits unchanged', () => {
    expect(summarize('abcde', 5)).toBe('abcde');
  });

  it('cuts longer text to maxChars, ellipsis included', () => {
    expect(summarize('abcdef', 5)).toBe('abcd…');
    expect(summarize('同心工会全体会员大会', 5)).toBe('同心工会…');
  });

  it('does not end on a space before the ellipsis', () => {
    expect(summarize('ab cdef', 4)).toBe('ab…');
  });

  it('never splits a surrogate pair', () => {
    expect(summarize('abcdef😀xyz', 8)).toBe('abcdef…');
    expect(summarize('abcdef😀xyz', 9)).toBe('abcdef😀…');
    expect(summarize('😀😀😀', 4)).toBe('😀…');
  });

  it('handles tiny limits', () => {
    expect(summarize('abc', 1)).toBe('…');
    expect(summarize('abc', 0)).toBe('');
  });
});
