/**
 * Reads a WeChat message (as wechaty reports it) into the neutral inbound event. Pure: the
 * adapter hands in the facts. Identities are contact ids; a group chat is its room id. In a group
 * only a message that mentions the bot is taken, with the mention removed.
 */
import { type Inbound, maxActionValueLength } from '../core/messenger.ts';

export interface WechatFacts {
  id: string;
  talkerId: string;
  talkerName?: string;
  /** The room, for a group message. */
  roomId?: string;
  /** Sent by the bot's own account. */
  self: boolean;
  /** Text, or what kind of other message (image, file, …). */
  kind: 'text' | string;
  /** The text; in a group, with the bot's mention taken out. */
  text: string;
  mentionsBot: boolean;
  receivedAt: Date;
}

/** A room's chat id: kept apart from contact ids, so a send knows which it is. */
export const roomChatId = (roomId: string) => `room:${roomId}`;
export const roomIdOf = (chatId: string) => (chatId.startsWith('room:') ? chatId.slice(5) : null);

export function parseWechat(facts: WechatFacts): Inbound | null {
  if (facts.self) return null;
  const group = facts.roomId !== undefined;
  if (group && !facts.mentionsBot) return null;
  return {
    channel: 'wechat',
    dedupeKey: `wechat:msg:${facts.id}`.slice(0, 300),
    sender: {
      externalId: facts.talkerId,
      ...(facts.talkerName ? { displayName: facts.talkerName.slice(0, 200) } : {}),
    },
    chat: group ? { id: roomChatId(facts.roomId!), type: 'group' } : { id: facts.talkerId, type: 'private' },
    content:
      facts.kind === 'text'
        ? {
            type: 'text',
            text: facts.text
              .replace(/\s+/g, ' ')
              .trim()
              .slice(0, maxActionValueLength * 8),
          }
        : { type: 'unsupported', kind: facts.kind.slice(0, 40) },
    receivedAt: facts.receivedAt.toISOString(),
  };
}
