/** The web chat page's script is written inside a template string: it must still parse as JavaScript. */
import { describe, expect, it } from 'vitest';
import { chatPage } from '../bots/web/page.ts';

describe('the web chat page', () => {
  it('carries a script that parses', () => {
    const html = chatPage({ shortcuts: [], timeZone: 'Asia/Shanghai' });
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(script.length).toBeGreaterThan(1000);
    // Compiles the code without running it: a stray escape in the template fails here.
    expect(() => new Function(script)).not.toThrow();
  });
});
