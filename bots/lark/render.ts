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

function fieldRow(field: Field): Element {
  return {
    tag: 'column_set',
    horizontal_spacing: '8px',
    columns: [
      { tag: 'column', width: 'auto', elements: [plain(field.label)] },
      { tag: 'column', width: 'weighted', weight: 3, elements: [plain(clip(field.value, 2000))] },
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

function card(parts: {
  title?: string;
  tone?: keyof typeof templates;
  notice?: string;
  text?: string;
  fields?: readonly Field[];
  footer?: string;
  hint?: string;
  primary?: readonly Choice[];
  secondary?: readonly Choice[];
}): LarkMessage {
  const elements: Element[] = [
    ...(parts.notice ? [plain(`⚠️ ${parts.notice}`)] : []),
    ...(parts.text ? [plain(parts.text)] : []),
    ...(parts.fields ?? []).map(fieldRow),
    ...(parts.footer ? [plain(parts.footer)] : []),
    ...(parts.hint ? [plain(parts.hint)] : []),
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
  return { msgType: 'interactive', content: JSON.stringify(body) };
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
  }
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
  }
}
