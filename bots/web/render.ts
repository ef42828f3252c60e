/** Renders neutral messages as web chat bubbles: a title, text, labelled fields and buttons. */
import type { Choice, Outbound } from '../core/messenger.ts';

export interface WebButton {
  label: string;
  value: string;
  primary: boolean;
}

export interface WebBubble {
  title?: string;
  notice?: string;
  text?: string;
  fields?: { label: string; value: string }[];
  hint?: string;
  /** Closing words under the fields of a summary. */
  footer?: string;
  tone?: 'info' | 'success' | 'warning';
  buttons?: WebButton[];
  /** A poll: its answers post to the vote endpoint, never into the conversation. */
  poll?: { id: string; answers: { label: string; answer: number }[]; comment?: string };
  /** A link out of the chat (a news item's page). */
  link?: { label: string; url: string };
}

const buttons = (primary: readonly Choice[], secondary: readonly Choice[] = []): WebButton[] => [
  ...primary.map((c) => ({ ...c, primary: true })),
  ...secondary.map((c) => ({ ...c, primary: false })),
];

export function renderBubble(message: Outbound): WebBubble {
  switch (message.type) {
    case 'text':
      return {
        notice: message.notice,
        text: message.text,
        hint: message.hint,
        buttons: buttons([], message.actions),
      };
    case 'choices':
      return {
        notice: message.notice,
        text: message.text,
        hint: message.hint,
        buttons: buttons(message.choices, message.actions),
      };
    case 'confirm':
      return {
        notice: message.notice,
        title: message.title,
        fields: message.fields,
        text: message.text,
        buttons: buttons([message.confirm], [...(message.actions ?? []), message.cancel]),
      };
    case 'summary':
      return {
        title: message.title,
        fields: message.fields,
        footer: message.text,
        tone: message.tone,
        buttons: buttons([], message.actions),
      };
    case 'article':
      return {
        title: message.title,
        notice: message.topic,
        text: message.text,
        link: { label: message.readMore, url: message.url },
      };
    case 'poll':
      return {
        title: message.title,
        notice: message.notice,
        text: message.scale ? `${message.question}\n${message.scale}` : message.question,
        footer: message.footer,
        tone: 'info',
        poll: {
          id: message.pollId,
          answers: message.answers,
          ...(message.comment ? { comment: message.comment } : {}),
        },
      };
  }
}
