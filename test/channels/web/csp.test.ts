/**
 * The web chat page allows scripts from this server only (#21): its content-security policy has
 * `script-src 'self'` and no 'unsafe-inline', and the page's script is served at its own URL,
 * as JavaScript, cacheable for a year under a URL that changes with it.
 */
import { describe, expect, it } from 'vitest';
import { chatScript } from '../../../bots/web/app-script.ts';
import { primaryKind } from '../../support/databases.ts';
import { useStack } from '../../support/stack.ts';

const fixture = useStack();

/** The policy's directives by name. */
const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );

describe(`the web chat's scripts (${primaryKind})`, () => {
  it('are allowed from this server only, and the page has none inline', async () => {
    const res = await fixture.stack.request('/chat');
    const policy = directives(res.headers.get('content-security-policy') ?? '');
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    const html = await res.text();
    expect(html).not.toMatch(/<script>/);
    const src = /<script src="(\/chat\/app\.js\?v=[0-9a-f]{8})"><\/script>/.exec(html)?.[1];
    expect(src).toBeDefined();

    const script = await fixture.stack.request(src!);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe(chatScript);
  });
});
