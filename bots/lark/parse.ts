/**
 * Reads an opened Lark payload (schema 2.0 events, card callbacks, url_verification) into the
 * neutral inbound event. Pure: the caller supplies the bot's own open_id (for mentions) and the
 * time; the verification token and app id are compared by the caller with `sameSecret`.
 */
import { z } from 'zod';
import { fileNameOf, hasUnsafeCharacters } from '../../kernel/text.ts';
import { type Inbound, maxActionValueLength } from '../core/messenger.ts';
import { larkFileRef, readLarkFileRef } from './files.ts';

const idSchema = z.object({ open_id: z.string().min(1).max(200), union_id: z.string().max(200).nullish() });

const headerSchema = z.object({
  event_id: z.string().min(1).max(200),
  event_type: z.string().min(1).max(200),
  token: z.string().max(500),
  app_id: z.string().max(200),
});

const messageEventSchema = z.object({
  sender: z.object({ sender_id: idSchema, sender_type: z.string().optional() }),
  message: z.object({
    message_id: z.string().min(1).max(200),
    chat_id: z.string().min(1).max(200),
    chat_type: z.string(),
    message_type: z.string().max(40),
    content: z.string().max(200_000),
    mentions: z
      .array(
        z.object({
          key: z.string().max(100),
          id: z.object({ open_id: z.string().nullish() }),
          name: z.string().max(200).nullish(),
        }),
      )
      .nullish(),
  }),
});

const cardActionSchema = z.object({
  operator: idSchema,
  action: z.object({ value: z.unknown(), input_value: z.string().max(20_000).nullish() }),
  context: z.object({
    open_chat_id: z.string().min(1).max(200),
    open_message_id: z.string().max(200).optional(),
  }),
});

const chatEventSchema = z.object({ chat_id: z.string().min(1).max(200), operator_id: idSchema });

/** What a card button carries: the engine's action value, nothing else. */
export const cardValueSchema = z
  .object({ v: z.string().min(1).max(maxActionValueLength) })
  .strict()
  .refine((value) => !hasUnsafeCharacters(value.v));

/** What a poll's button (an answer) or comment box carries: see render.ts. */
const pollValueSchema = z.union([
  z.object({ poll: z.uuid(), a: z.number().int().min(0).max(10) }).strict(),
  z.object({ poll: z.uuid(), c: z.literal(1) }).strict(),
]);

const isPollValue = (value: unknown) => typeof value === 'object' && value !== null && 'poll' in value;

export type LarkParsed =
  | { kind: 'challenge'; token: string; challenge: string }
  | {
      kind: 'inbound';
      token: string;
      appId: string;
      eventType: string;
      inbound: Inbound;
      /** For card callbacks: the card that was pressed. */
      messageId?: string;
    }
  /**
   * A click on a poll: answered at once with a toast, never written to the inbox. `forged` when
   * the value is not one a poll card carries.
   */
  | {
      kind: 'vote';
      token: string;
      appId: string;
      eventType: string;
      voter: Pick<Inbound, 'channel' | 'sender'>;
      chatId: string;
      vote: { pollId: string; answer?: number; comment?: string } | { forged: true };
    }
  | {
      kind: 'ignored';
      token: string;
      appId: string;
      eventType: string;
      /**
       * `bot_unknown`: someone was mentioned in a group, but whether it was the bot cannot be told yet.
       * `foreign_card`: a press on a card whose button carries no value of ours (another app's card,
       * or one sent before a change of format); the person is told the card no longer works.
       */
      why: 'unknown_event' | 'not_mentioned' | 'from_bot' | 'bot_unknown' | 'foreign_card';
    }
  /** Unreadable; `token` and `appId` are there when the envelope's header was, so they can be checked first. */
  | { kind: 'malformed'; token?: string; appId?: string };

export interface LarkParseContext {
  /** The bot's own open_id, to tell a mention of the bot from a mention of someone else. */
  botOpenId: string | null;
  now: Date;
}

export function parseLarkPayload(payload: Record<string, unknown>, ctx: LarkParseContext): LarkParsed {
  if (payload.type === 'url_verification') {
    const { token, challenge } = payload;
    if (typeof token !== 'string' || typeof challenge !== 'string' || challenge.length > 500)
      return { kind: 'malformed' };
    return { kind: 'challenge', token, challenge };
  }
  if (payload.schema !== '2.0') return { kind: 'malformed' };
  const header = headerSchema.safeParse(payload.header);
  if (!header.success) return { kind: 'malformed' };
  const { event_id: eventId, event_type: eventType, token, app_id: appId } = header.data;
  const envelope: Envelope = {
    eventId,
    base: { token, appId, eventType },
    malformed: { kind: 'malformed', token, appId },
    receivedAt: ctx.now.toISOString(),
  };
  switch (eventType) {
    case 'im.message.receive_v1':
      return readMessage(payload.event, envelope, ctx);
    case 'card.action.trigger':
      return readCardAction(payload.event, envelope);
    case 'im.chat.member.bot.added_v1':
    case 'im.chat.access_event.bot_p2p_chat_entered_v1':
      return readChatEntered(payload.event, envelope);
    default:
      return { kind: 'ignored', ...envelope.base, why: 'unknown_event' };
  }
}

/** What every event's reading starts from: its header, and the answer when its body is unreadable. */
interface Envelope {
  eventId: string;
  base: { token: string; appId: string; eventType: string };
  malformed: Extract<LarkParsed, { kind: 'malformed' }>;
  receivedAt: string;
}

const senderOf = (id: z.infer<typeof idSchema>) => ({
  externalId: id.open_id,
  ...(id.union_id ? { unionId: id.union_id } : {}),
});

/** A message sent to the bot: in a group, only one that mentions it. */
function readMessage(body: unknown, envelope: Envelope, ctx: LarkParseContext): LarkParsed {
  const { base } = envelope;
  const event = messageEventSchema.safeParse(body);
  if (!event.success) return envelope.malformed;
  const { message } = event.data;
  if (event.data.sender.sender_type && event.data.sender.sender_type !== 'user') {
    return { kind: 'ignored', ...base, why: 'from_bot' };
  }
  const group = message.chat_type !== 'p2p';
  const mentions = message.mentions ?? [];
  const botMention = mentions.find((m) => ctx.botOpenId !== null && m.id.open_id === ctx.botOpenId);
  if (group && !botMention)
    return {
      kind: 'ignored',
      ...base,
      why: ctx.botOpenId === null && mentions.length > 0 ? 'bot_unknown' : 'not_mentioned',
    };
  const inbound: Inbound = {
    channel: 'lark',
    // The platform re-delivers a message for hours, sometimes as a new event: dedupe on the message.
    dedupeKey: `lark:msg:${message.message_id}`,
    sender: senderOf(event.data.sender.sender_id),
    chat: { id: message.chat_id, type: group ? 'group' : 'private' },
    content: contentOf(message, mentions, botMention?.key),
    receivedAt: envelope.receivedAt,
  };
  return { kind: 'inbound', ...base, inbound };
}

/** What a message says: its text, a photo or file to fetch, or a kind the bot does not read. */
function contentOf(
  message: z.infer<typeof messageEventSchema>['message'],
  mentions: readonly { key: string; name?: string | null | undefined }[],
  botKey: string | undefined,
): Inbound['content'] {
  const type = message.message_type;
  if (type === 'text') return { type: 'text', text: textOf(message.content, mentions, botKey) };
  if (type === 'image' || type === 'file') {
    const body = fileContentSchema.safeParse(parseJson(message.content));
    const key = body.success ? (type === 'image' ? body.data.image_key : body.data.file_key) : undefined;
    if (key) {
      const ref = larkFileRef({ messageId: message.message_id, key, type });
      if (readLarkFileRef(ref)) {
        const name = type === 'file' ? fileNameOf(body.data?.file_name ?? '') : 'image';
        return { type: 'file', kind: type, name, ref };
      }
    }
  }
  return { type: 'unsupported', kind: type };
}

/** An image message's content (`image_key`) or a file message's (`file_key`, `file_name`). */
const fileContentSchema = z.object({
  image_key: z.string().max(200).optional(),
  file_key: z.string().max(200).optional(),
  file_name: z.string().max(1000).optional(),
});

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** A press on a card's button: a poll's answer (a vote), or the engine's action value. */
function readCardAction(body: unknown, envelope: Envelope): LarkParsed {
  const { base } = envelope;
  const event = cardActionSchema.safeParse(body);
  if (!event.success) return envelope.malformed;
  if (isPollValue(event.data.action.value)) {
    const value = pollValueSchema.safeParse(event.data.action.value);
    const comment = event.data.action.input_value ?? '';
    return {
      kind: 'vote',
      ...base,
      voter: { channel: 'lark', sender: senderOf(event.data.operator) },
      chatId: event.data.context.open_chat_id,
      vote: !value.success
        ? { forged: true }
        : 'a' in value.data
          ? { pollId: value.data.poll, answer: value.data.a }
          : { pollId: value.data.poll, comment },
    };
  }
  const value = cardValueSchema.safeParse(event.data.action.value);
  if (!value.success) return { kind: 'ignored', ...base, why: 'foreign_card' };
  const inbound: Inbound = {
    channel: 'lark',
    dedupeKey: `lark:event:${envelope.eventId}`,
    sender: senderOf(event.data.operator),
    // A callback does not say which kind of chat the card is in; the conversation key does not need it.
    chat: { id: event.data.context.open_chat_id, type: 'private' },
    content: { type: 'action', value: value.data.v },
    receivedAt: envelope.receivedAt,
  };
  const messageId = event.data.context.open_message_id;
  return { kind: 'inbound', ...base, inbound, ...(messageId ? { messageId } : {}) };
}

/** The bot added to a group, or a private chat with it opened: a welcome. */
function readChatEntered(body: unknown, envelope: Envelope): LarkParsed {
  const event = chatEventSchema.safeParse(body);
  if (!event.success) return envelope.malformed;
  const inbound: Inbound = {
    channel: 'lark',
    dedupeKey: `lark:event:${envelope.eventId}`,
    sender: senderOf(event.data.operator_id),
    chat: {
      id: event.data.chat_id,
      type: envelope.base.eventType === 'im.chat.member.bot.added_v1' ? 'group' : 'private',
    },
    content: { type: 'welcome' },
    receivedAt: envelope.receivedAt,
  };
  return { kind: 'inbound', ...envelope.base, inbound };
}

/** A mention's placeholder in the text: `@_user_` and its number, whole (`@_user_1` is not in `@_user_10`), or `@_all`. */
const mentionKey = /@_user_\d+|@_all/g;

/**
 * The typed text, with the bot's mention and `@_all` removed and other mentions shown by name. Its
 * lines stay as typed (a description over several lines keeps them); spaces are tidied within
 * each line, where a removed mention leaves them doubled.
 */
function textOf(
  content: string,
  mentions: readonly { key: string; name?: string | null | undefined }[],
  botKey: string | undefined,
): string {
  let text = '';
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { text?: unknown }).text === 'string') {
      text = (parsed as { text: string }).text;
    }
  } catch {
    return '';
  }
  const names = new Map(mentions.map((m) => [m.key, m.key === botKey ? '' : `@${m.name ?? ''}`]));
  names.set('@_all', '');
  return text
    .replace(mentionKey, (key) => names.get(key) ?? key)
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .trim();
}
