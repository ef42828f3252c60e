/**
 * The web chat page: its script is served apart (no inline script for the CSP to allow), is
 * written inside a template string and must still parse as JavaScript, and is asked for by a
 * URL that changes with it.
 */
import { describe, expect, it } from 'vitest';
import { chatScript, chatScriptUrl } from '../../../bots/web/app-script.ts';
import { chatPage } from '../../../bots/web/page.ts';

describe('the web chat page', () => {
  it('carries no inline script, only its own by a versioned URL', () => {
    const html = chatPage({ shortcuts: [], timeZone: 'Asia/Shanghai' });
    expect(html).not.toMatch(/<script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(chatScriptUrl).toMatch(/^\/chat\/app\.js\?v=[0-9a-f]{8}$/);
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      `<script src="${chatScriptUrl}">`,
    ]);
  });

  it('has a script that parses', () => {
    expect(chatScript.length).toBeGreaterThan(1000);
    // Compiles the code without running it: a stray escape in the template fails here.
    expect(() => new Function(chatScript)).not.toThrow();
  });
});
