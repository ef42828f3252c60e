/**
 * Renders neutral messages as WeChat text: WeChat has no buttons, so choices are numbered lines
 * answered with "1", "2" or the option's words, and a poll shows its answers with its code, to be
 * answered in a private chat ("K7Q3 2") so nobody in the group sees anyone's choice.
 */
import type { Choice, Outbound } from '../core/messenger.ts';

/** WeChat cuts long text messages; longer text is shortened rather than lost. */
export const maxWechatText = 2000;

const clip = (text: string) =>
  [...text].length > maxWechatText ? `${[...text].slice(0, maxWechatText - 1).join('')}…` : text;

const numbered = (choices: readonly Choice[]) => choices.map((c, i) => `${i + 1}. ${c.label}`);

const quick = (actions: readonly Choice[] | undefined) =>
  actions?.length ? [actions.map((a) => `「${a.label}」`).join(' ')] : [];

export function renderWechat(message: Outbound): string {
  const lines: string[] = [];
  switch (message.type) {
    case 'text':
      if (message.notice) lines.push(`⚠️ ${message.notice}`);
      lines.push(message.text);
      if (message.hint) lines.push(message.hint);
      lines.push(...quick(message.actions));
      break;
    case 'choices':
      if (message.notice) lines.push(`⚠️ ${message.notice}`);
      lines.push(message.text, ...numbered(message.choices));
      if (message.hint) lines.push(message.hint);
      lines.push(...quick(message.actions));
      break;
    case 'confirm':
      if (message.notice) lines.push(`⚠️ ${message.notice}`);
      lines.push(
        `【${message.title}】`,
        ...message.fields.map((f) => `${f.label}：${f.value}`),
        message.text,
      );
      lines.push(...numbered([message.confirm, message.cancel]), ...quick(message.actions));
      break;
    case 'summary':
      lines.push(`【${message.title}】`, ...message.fields.map((f) => `${f.label}：${f.value}`));
      if (message.text) lines.push(message.text);
      lines.push(...quick(message.actions));
      break;
    case 'article':
      lines.push(`【${message.title}】`, message.topic, message.text, `${message.readMore}：${message.url}`);
      break;
    case 'poll':
      if (message.notice) lines.push(`⏰ ${message.notice}`);
      lines.push(`【${message.title}】`, message.question);
      if (message.scale) lines.push(message.scale);
      lines.push(
        message.answers.map((a) => a.label).join(message.answers.length > 5 ? ' ' : '\n'),
        message.howToAnswer,
        message.footer,
      );
      break;
  }
  return clip(lines.join('\n'));
}
