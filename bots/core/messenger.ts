/**
 * The Messenger port: the neutral shapes every channel translates to and from. Flows see only
 * these types; each channel adapter parses its platform's events into `Inbound` and renders
 * `Outbound` in its own way (web bubbles, Lark cards, numbered WeChat text).
 */
import { z } from 'zod';

export const channelNames = ['web', 'lark', 'wechat'] as const;
export type ChannelName = (typeof channelNames)[number];

/** Longest action value a channel may carry back (Lark card values and web buttons alike). */
export const maxActionValueLength = 512;

export const inboundContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  /** A button press: `value` is opaque to the channel; the flow engine decodes and validates it. */
  z.object({
    type: z.literal('action'),
    value: z.string().max(maxActionValueLength),
    label: z.string().optional(),
  }),
  /**
   * A photo or document: `ref` says where it is (a web upload's id, or a Lark message's resource),
   * `name` is the file's name as sent. The server fetches and checks the file itself.
   */
  z.object({
    type: z.literal('file'),
    kind: z.enum(['image', 'file']),
    name: z.string().max(200),
    ref: z.string().min(1).max(500),
  }),
  /** A message the bot cannot read (a voice message, rich text, a sticker): answered with a polite "text only". */
  z.object({ type: z.literal('unsupported'), kind: z.string().max(40) }),
  /** The person opened a chat with the bot, or the bot joined a group: answered with a welcome. */
  z.object({ type: z.literal('welcome') }),
]);
export type InboundContent = z.infer<typeof inboundContentSchema>;

/** One event from a person, as every channel reports it. */
export const inboundSchema = z.object({
  channel: z.enum(channelNames),
  /** Unique per platform delivery, so a re-delivery is recognised and dropped. */
  dedupeKey: z.string().min(1).max(300),
  sender: z.object({
    externalId: z.string().min(1).max(200),
    displayName: z.string().max(200).optional(),
    unionId: z.string().max(200).optional(),
  }),
  chat: z.object({ id: z.string().min(1).max(200), type: z.enum(['private', 'group']) }),
  content: inboundContentSchema,
  /** ISO 8601 time the channel received it. */
  receivedAt: z.string(),
});
export type Inbound = z.infer<typeof inboundSchema>;

const choiceSchema = z.object({ label: z.string(), value: z.string() });
export type Choice = z.infer<typeof choiceSchema>;

const fieldSchema = z.object({ label: z.string(), value: z.string() });
export type Field = z.infer<typeof fieldSchema>;

/**
 * One message to a person, already in their language. `notice` is a line shown above a question,
 * such as why the last answer was refused; `actions` are quick replies such as 上一步 / 取消.
 */
export const outboundSchema = z.discriminatedUnion('type', [
  /** Plain text; `actions` are optional quick replies such as 上一步 / 取消. */
  z.object({
    type: z.literal('text'),
    text: z.string(),
    notice: z.string().optional(),
    hint: z.string().optional(),
    actions: z.array(choiceSchema).optional(),
  }),
  /** A question answered by picking one choice (buttons, or numbered lines). */
  z.object({
    type: z.literal('choices'),
    text: z.string(),
    notice: z.string().optional(),
    choices: z.array(choiceSchema).min(1),
    hint: z.string().optional(),
    actions: z.array(choiceSchema).optional(),
  }),
  /** A summary to approve before something is submitted. */
  z.object({
    type: z.literal('confirm'),
    title: z.string(),
    notice: z.string().optional(),
    fields: z.array(fieldSchema),
    text: z.string(),
    confirm: choiceSchema,
    cancel: choiceSchema,
    actions: z.array(choiceSchema).optional(),
  }),
  /** A card of labelled fields: receipts, status changes, lists. */
  z.object({
    type: z.literal('summary'),
    title: z.string(),
    fields: z.array(fieldSchema),
    text: z.string().optional(),
    tone: z.enum(['info', 'success', 'warning']).optional(),
    actions: z.array(choiceSchema).optional(),
  }),
  /** A news item: its topic, title and summary, with a link to read it in full. */
  z.object({
    type: z.literal('article'),
    topic: z.string(),
    title: z.string(),
    /** The summary. */
    text: z.string(),
    url: z.string().url(),
    readMore: z.string(),
  }),
  /**
   * An anonymous poll: buttons answer it in place (Lark, the web chat); text channels show the
   * numbered answers and how to reply with the poll's code in a private chat. Never updated after
   * it is sent, so a shared card shows nobody's choice.
   */
  z.object({
    type: z.literal('poll'),
    pollId: z.string(),
    code: z.string(),
    title: z.string(),
    notice: z.string().optional(),
    question: z.string(),
    /** What the ends of a scale mean, for ratings. */
    scale: z.string().optional(),
    answers: z.array(z.object({ label: z.string(), answer: z.number().int() })).min(2),
    /** A comment box, when the poll takes comments: its placeholder. */
    comment: z.string().optional(),
    /** When it closes, and what is stored. */
    footer: z.string(),
    /** For channels without buttons: how to answer by code in a private chat. */
    howToAnswer: z.string(),
  }),
]);
export type Outbound = z.infer<typeof outboundSchema>;

/** A message on its way out, with the key that makes a retried send harmless. */
export interface OutboundEnvelope {
  channel: ChannelName;
  chatId: string;
  /** Stable across retries (the outbox row's uuid); platforms that support it deduplicate on it. */
  idempotencyKey: string;
  message: Outbound;
  /** The outbox row's tag naming no one (a poll's reminder), for a channel that keeps its own copy. */
  topic?: string;
}

/** Sealing of what channels keep copies of (the web chat's history): the app's key ring. */
export interface Sealer {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
  isSealed(value: string): boolean;
}

/** A stored message payload sealed as a whole: `{ sealed }`. */
export const isSealedPayload = (payload: unknown): payload is { sealed: string } =>
  typeof payload === 'object' &&
  payload !== null &&
  typeof (payload as { sealed?: unknown }).sealed === 'string' &&
  Object.keys(payload).length === 1;

/** What a send attempt came to. A retryable failure is tried again later with backoff. */
export type SendResult =
  | { ok: true; platformMessageId: string }
  | {
      ok: false;
      retryable: boolean;
      error: string;
      retryAfterMs?: number;
      /** Not attempted at all (held back by this process's own pace): it does not count as a try. */
      deferred?: boolean;
    };

/** Implemented by each channel: delivers one rendered message. */
export interface ChannelSender {
  readonly channel: ChannelName;
  send(envelope: OutboundEnvelope): Promise<SendResult>;
  /**
   * Whether this instance sends on the channel now; unset, always. A channel only one instance
   * may send on at a time (a WeChat account, logged in once) says yes only while it holds it.
   */
  sending?(): boolean;
}

/**
 * The key that orders a conversation's events: the chat and the person. In a group each person
 * has their own conversation with the bot; in a private chat the person is always the same. (A
 * Lark card callback does not say which kind of chat it came from, so the key cannot depend on it.)
 */
export function conversationKey(inbound: Pick<Inbound, 'channel' | 'chat' | 'sender'>): string {
  return `${inbound.channel}:${inbound.chat.id}:${inbound.sender.externalId}`;
}
