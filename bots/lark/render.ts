/**
 * Renders neutral messages as Lark messages: card JSON 2.0 with callback buttons for questions,
 * confirmations and summaries, plain text where a card adds nothing. Every piece of text goes in
 * a plain_text component, never markdown, so nothing a person typed can inject formatting or links.
 */
import type { Choice, Field, Outbound } from '../core/messenger.ts';

export interface LarkMessage {
  msgType: 'text' | 'interactive';
  /** The `content` field of the send API: a JSON string. */
  content: string;
}

type Element = Record<string, unknown>;

const plain = (content: string): Element => ({ tag: 'div', text: { tag: 'plain_text', content } });

const clip = (text: string, max: number) =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;

/**
 * Lark refuses card messages over 30 KB of request body, where the card is a JSON string inside
 * the JSON of the request, so every quote and backslash in it counts twice. Texts are clipped
 * shorter and shorter until the card, escaped as it is sent, fits with room left for the rest of
 * the request (receive_id, msg_type, uuid), so a long answer is shortened rather than never
 * delivered.
 */
const maxCardBytes = 28 * 1024;
const utf8 = new TextEncoder();

/** The card's size as it stands in the request body: escaped, in quotes, in UTF-8. */
export const sentCardBytes = (content: string): number => utf8.encode(JSON.stringify(content)).length;

function fieldRow(field: Field, limit: number): Element {
  return {
    tag: 'column_set',
    horizontal_spacing: '8px',
    columns: [
      { tag: 'column', width: 'auto', elements: [plain(field.label)] },
      { tag: 'column', width: 'weighted', weight: 3, elements: [plain(clip(field.value, limit))] },
    ],
  };
}

function buttonRow(primary: readonly Choice[], secondary: readonly Choice[]): Element[] {
  const buttons = [
    ...primary.map((c) => ({ choice: c, type: 'primary' })),
    ...secondary.map((c) => ({ choice: c, type: 'default' })),
  ];
  if (buttons.length === 0) return [];
  return [
    {
      tag: 'column_set',
      flex_mode: 'flow',
      horizontal_spacing: '8px',
      columns: buttons.map(({ choice, type }) => ({
        tag: 'column',
        width: 'auto',
        elements: [
          {
            tag: 'button',
            type,
            text: { tag: 'plain_text', content: clip(choice.label, 100) },
            behaviors: [{ type: 'callback', value: { v: choice.value } }],
          },
        ],
      })),
    },
  ];
}

const templates = { info: 'blue', success: 'green', warning: 'orange' } as const;

function card(
  parts: {
    title?: string;
    tone?: keyof typeof templates;
    notice?: string;
    text?: string;
    fields?: readonly Field[];
    footer?: string;
    hint?: string;
    primary?: readonly Choice[];
    secondary?: readonly Choice[];
  },
  limit = 4000,
): LarkMessage {
  const elements: Element[] = [
    ...(parts.notice ? [plain(`⚠️ ${clip(parts.notice, limit)}`)] : []),
    ...(parts.text ? [plain(clip(parts.text, limit))] : []),
    ...(parts.fields ?? []).map((field) => fieldRow(field, Math.min(limit, 2000))),
    ...(parts.footer ? [plain(clip(parts.footer, limit))] : []),
    ...(parts.hint ? [plain(clip(parts.hint, limit))] : []),
    ...buttonRow(parts.primary ?? [], parts.secondary ?? []),
  ];
  const body = {
    schema: '2.0',
    config: { update_multi: true },
    ...(parts.title
      ? {
          header: {
            title: { tag: 'plain_text', content: clip(parts.title, 100) },
            template: templates[parts.tone ?? 'info'],
          },
        }
      : {}),
    body: { elements },
  };
  const content = JSON.stringify(body);
  if (limit > 50 && sentCardBytes(content) > maxCardBytes) return card(parts, Math.floor(limit / 2));
  return { msgType: 'interactive', content };
}

export function renderLark(message: Outbound): LarkMessage {
  switch (message.type) {
    case 'text':
      if (!message.notice && !message.actions?.length) {
        const text = message.hint ? `${message.text}\n${message.hint}` : message.text;
        return { msgType: 'text', content: JSON.stringify({ text }) };
      }
      return card({
        notice: message.notice,
        text: message.text,
        hint: message.hint,
        secondary: message.actions,
      });
    case 'choices':
      return card({
        notice: message.notice,
        text: message.text,
        hint: message.hint,
        primary: message.choices,
        secondary: message.actions,
      });
    case 'confirm':
      return card({
        title: message.title,
        notice: message.notice,
        fields: message.fields,
        text: message.text,
        primary: [message.confirm],
        secondary: [...(message.actions ?? []), message.cancel],
      });
    case 'summary':
      return card({
        title: message.title,
        tone: message.tone,
        fields: message.fields,
        footer: message.text,
        secondary: message.actions,
      });
    case 'article':
      return articleCard(message);
    case 'poll':
      return pollCard(message);
  }
}

/** What a poll's buttons and comment box carry back: the poll and the answer, nothing else. */
export const pollValue = (pollId: string, answer: number) => ({ poll: pollId, a: answer });
export const pollCommentValue = (pollId: string) => ({ poll: pollId, c: 1 });

/**
 * A poll card: the question, a button per answer and, when comments are taken, a box whose text
 * comes back on Enter. It is shared in a group and never updated, so it shows nobody's choice.
 */
function pollCard(message: Extract<Outbound, { type: 'poll' }>): LarkMessage {
  const elements: Element[] = [
    ...(message.notice ? [plain(`⏰ ${clip(message.notice, 500)}`)] : []),
    plain(clip(message.question, 1000)),
    ...(message.scale ? [plain(clip(message.scale, 200))] : []),
    {
      tag: 'column_set',
      flex_mode: 'flow',
      horizontal_spacing: '8px',
      columns: message.answers.map((answer) => ({
        tag: 'column',
        width: 'auto',
        elements: [
          {
            tag: 'button',
            type: 'default',
            text: { tag: 'plain_text', content: clip(answer.label, 60) },
            behaviors: [{ type: 'callback', value: pollValue(message.pollId, answer.answer) }],
          },
        ],
      })),
    },
    ...(message.comment
      ? [
          {
            tag: 'input',
            placeholder: { tag: 'plain_text', content: clip(message.comment, 100) },
            max_length: 500,
            behaviors: [{ type: 'callback', value: pollCommentValue(message.pollId) }],
          },
        ]
      : []),
    plain(clip(message.footer, 300)),
  ];
  const content = JSON.stringify({
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: clip(message.title, 100) }, template: 'purple' },
    body: { elements },
  });
  return { msgType: 'interactive', content };
}

/** A news card: topic and summary as plain text, and a button that opens the item's page. */
function articleCard(message: Extract<Outbound, { type: 'article' }>): LarkMessage {
  const content = JSON.stringify({
    schema: '2.0',
    config: { update_multi: true },
    header: {
      title: { tag: 'plain_text', content: clip(message.title, 100) },
      subtitle: { tag: 'plain_text', content: clip(message.topic, 40) },
      template: 'red',
    },
    body: {
      elements: [
        plain(clip(message.text, 2000)),
        {
          tag: 'button',
          type: 'primary',
          text: { tag: 'plain_text', content: clip(message.readMore, 100) },
          behaviors: [{ type: 'open_url', default_url: message.url }],
        },
      ],
    },
  });
  return { msgType: 'interactive', content };
}

/**
 * The card as it should look once a button on it was pressed: the same content without buttons,
 * and the choice made. Null when the value is not one of the card's buttons.
 */
export function answeredCard(message: Outbound, pressedValue: string): LarkMessage | null {
  const buttons: Choice[] =
    message.type === 'choices'
      ? [...message.choices, ...(message.actions ?? [])]
      : message.type === 'confirm'
        ? [message.confirm, message.cancel, ...(message.actions ?? [])]
        : message.type === 'article' || message.type === 'poll'
          ? []
          : [...(message.actions ?? [])];
  const pressed = buttons.find((b) => b.value === pressedValue);
  if (!pressed) return null;
  const chosen = `✓ ${pressed.label}`;
  switch (message.type) {
    case 'text':
      return card({ text: message.text, footer: chosen });
    case 'choices':
      return card({ text: message.text, footer: chosen });
    case 'confirm':
      return card({ title: message.title, fields: message.fields, text: message.text, footer: chosen });
    case 'summary':
      return card({ title: message.title, tone: message.tone, fields: message.fields, footer: chosen });
    case 'article':
    case 'poll':
      return null;
  }
}
