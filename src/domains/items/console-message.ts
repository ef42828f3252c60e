/**
 * Writing to an item's author from the console without moving the item: 仅答复, or a question
 * they are asked to answer. The form is on the item's page and the help case's page; sending it
 * answers with a redirect back there (so a reload does not send it again), with how it went.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { threadLimits } from '../../../flows/commands/thread.ts';
import { type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { charCount, normalizeText } from '../../../kernel/text.ts';
import type { Notice } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { officerWrites } from './thread.ts';

const text = {
  title: { zh: '给提出人发消息（不改变状态）', en: 'Write to the author (the status stays)' },
  body: {
    zh: `内容（最多 ${threadLimits.text.max} 字）`,
    en: `Text (at most ${threadLimits.text.max} characters)`,
  },
  reply: { zh: '仅答复', en: 'Reply only' },
  question: { zh: '提问（请提出人回复）', en: 'Ask (the author is asked to reply)' },
  send: { zh: '发送', en: 'Send' },
  sent: { zh: '已发送给提出人，状态未改变。', en: 'Sent to the author; the status is unchanged.' },
  asked: {
    zh: '已向提出人提问，回复会出现在进展记录里并通知您。',
    en: 'Asked the author; their reply shows on the timeline and is sent to you.',
  },
  empty: {
    zh: `没有发送：请输入 1 到 ${threadLimits.text.max} 字的内容。`,
    en: `Not sent: write 1 to ${threadLimits.text.max} characters.`,
  },
} satisfies Record<string, L10n>;

/** The form, posting to `action`. */
export function messageForm(lang: Lang, csrf: string, action: string) {
  return html`<form method="post" action="${action}" class="card" data-message-form style="margin-top:16px">
  <h2>${t(lang, text.title)}</h2>
  <input type="hidden" name="csrf" value="${csrf}">
  <label>${t(lang, text.body)}<textarea name="text" rows="3" maxlength="${threadLimits.text.max}" required></textarea></label>
  <label style="flex-direction:row;gap:6px;align-items:center"><input type="radio" name="kind" value="reply" checked> ${t(lang, text.reply)}</label>
  <label style="flex-direction:row;gap:6px;align-items:center"><input type="radio" name="kind" value="question"> ${t(lang, text.question)}</label>
  <p><button class="primary" type="submit">${t(lang, text.send)}</button></p>
</form>`;
}

/** The notice a page shows after a message, from its `message` query value. */
export function messageNotice(value: string | undefined): Notice | undefined {
  if (value === 'sent') return { ok: true, text: text.sent };
  if (value === 'asked') return { ok: true, text: text.asked };
  if (value === 'empty') return { ok: false, text: text.empty };
  return undefined;
}

/**
 * Sends the message and goes back to `page` with how it went; 'not_found' or 'not_yours' when the
 * access rules refuse (the caller answers those as it answers a refused move).
 */
export async function postMessage(
  c: Context<ConsoleEnv>,
  deps: ConsoleDeps,
  ref: string,
  page: string,
): Promise<Response | 'not_found' | 'not_yours'> {
  const user = c.get('user');
  const form = await c.req.parseBody();
  const said = normalizeText(typeof form.text === 'string' ? form.text : '');
  const question = form.kind === 'question';
  if (said === '' || charCount(said) > threadLimits.text.max) return c.redirect(`${page}?message=empty`, 303);
  const outcome = await deps.db.transaction((tx) =>
    officerWrites(
      tx,
      {
        actor: user.actor,
        keyRing: deps.keys,
        now: deps.now(),
        timeZone: deps.timeZone,
        kindRules: deps.kindRules,
      },
      { referenceCode: ref, text: said, question },
    ),
  );
  if (!outcome.ok) return outcome.reason;
  deps.wake.outbox();
  return c.redirect(`${page}?message=${question ? 'asked' : 'sent'}`, 303);
}
