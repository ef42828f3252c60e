/**
 * Photos and files people send the bot in Lark, fetched as the documentation describes:
 * `GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=image|file` with the tenant
 * token, answered with the file's bytes (its type in `Content-Type`), or with a JSON refusal. The
 * platform serves files of up to 100 MB; reading stops at our own, smaller limit.
 */
import type { FetchedFile, MessageFiles } from '../core/files.ts';
import { classifyLarkFailure } from './errors.ts';
import type { LarkTransport } from './transport.ts';

export interface LarkFileRef {
  messageId: string;
  key: string;
  type: 'image' | 'file';
}

const idPattern = /^[A-Za-z0-9_-]{1,200}$/;

/** How a Lark file is named in the inbound event: `lark:<type>:<message id>:<key>`. */
export const larkFileRef = (ref: LarkFileRef) => `lark:${ref.type}:${ref.messageId}:${ref.key}`;

export function readLarkFileRef(ref: string): LarkFileRef | null {
  const [tag, type, messageId, key, ...rest] = ref.split(':');
  if (tag !== 'lark' || rest.length > 0 || (type !== 'image' && type !== 'file')) return null;
  if (!messageId || !key || !idPattern.test(messageId) || !idPattern.test(key)) return null;
  return { messageId, key, type };
}

/**
 * Codes meaning the file will never come: the message or resource is not there or not the bot's
 * to read (234001 bad message id, 234003 not in the message, 234004 not the app's, 234037 too
 * large, 234043 a card's or forwarded message's resource, 230110 the message was deleted).
 */
const goneCodes = new Set([234001, 234003, 234004, 234043, 230110]);
const tooLargeCodes = new Set([234037]);
const permissionCodes = new Set([99991672, 99991679]);

export function larkFiles(transport: LarkTransport): MessageFiles {
  return {
    async fetch(ref, maxBytes): Promise<FetchedFile> {
      const file = readLarkFileRef(ref);
      if (!file) return { ok: false, why: 'gone', detail: 'not a Lark file reference' };
      const request = {
        path: `/open-apis/im/v1/messages/${file.messageId}/resources/${file.key}`,
        query: { type: file.type },
      };
      for (let attempt = 0; ; attempt++) {
        const answer = await transport.download(request, maxBytes);
        if (answer.tooLarge) return { ok: false, why: 'too_large', detail: `over ${maxBytes} bytes` };
        if (answer.bytes)
          return {
            ok: true,
            bytes: answer.bytes,
            ...(answer.contentType ? { contentType: answer.contentType } : {}),
          };
        const code = typeof answer.body?.code === 'number' ? answer.body.code : undefined;
        const detail = `HTTP ${answer.status} code ${code ?? 'none'} ${answer.body?.msg ?? ''}`.trim();
        const failure = classifyLarkFailure(answer.status, code);
        // A token the platform calls invalid is dropped and the file asked for once more.
        if (failure.kind === 'token_invalid' && attempt === 0) {
          transport.dropToken();
          continue;
        }
        if (code !== undefined && tooLargeCodes.has(code)) return { ok: false, why: 'too_large', detail };
        if (code !== undefined && permissionCodes.has(code))
          return { ok: false, why: 'no_permission', detail };
        if ((code !== undefined && goneCodes.has(code)) || failure.kind === 'permanent')
          return { ok: false, why: 'gone', detail };
        throw new Error(`Lark file not fetched: ${detail}`);
      }
    },
  };
}
