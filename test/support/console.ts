/**
 * Driving the console in tests over the in-process app: form posts from the console's origin,
 * sessions (an admin with ADMIN_TOKEN, an officer with the link the bot sends), and the org units
 * and help requests tests set up.
 */
import { expect } from 'vitest';
import { adminToken, bubbleText, type Stack, type webPerson } from './stack.ts';

export type Visitor = Awaited<ReturnType<typeof webPerson>>['visitor'];

export const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
export const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

export function consoleClient(stack: () => Stack, origin: string) {
  const form = (fields: Record<string, string>, cookie = '') => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie },
    body: new URLSearchParams(fields).toString(),
  });
  const get = (path: string, cookie: string) => stack().request(path, { headers: { cookie } });
  const session = async (res: Response) => {
    expect(res.status).toBe(303);
    const cookie = cookieOf(res);
    return { cookie, csrf: csrfOf(await (await get('/console', cookie)).text()) };
  };
  return {
    form,
    get,
    adminSession: async () =>
      session(await stack().request('/console/signin/token', form({ token: adminToken }))),
    /** Asks the bot for a link in the web chat and signs in with it. */
    officerSession: async (visitor: Visitor) => {
      const replies = (await visitor.say('后台')) as { link?: { url: string } }[];
      const token = new URL(replies.find((r) => r.link)?.link?.url ?? '').searchParams.get('t') ?? '';
      return session(await stack().request('/console/signin/link', form({ t: token })));
    },
  };
}

export async function createUnit(stack: Stack, nameZh: string): Promise<string> {
  const res = await stack.api('/org-units', { method: 'POST', json: { nameZh, nameEn: nameZh } });
  return ((await res.json()) as { id: string }).id;
}

/** Files a daily-relief help request in the web chat; resolves to its BF code. */
export async function askForHelp(visitor: Visitor, situation: string): Promise<string> {
  await visitor.say('求助');
  await visitor.say('日常');
  await visitor.say(situation);
  await visitor.say('较急');
  await visitor.say('电话');
  await visitor.say('13912345678');
  const code = /BF-\d{4}-\d{4}/.exec(bubbleText(await visitor.say('提交')))?.[0] ?? '';
  expect(code).toMatch(/^BF-/);
  return code;
}
