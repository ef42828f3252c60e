/**
 * A photo or document uploaded from the web chat page: `POST /chat/files`, the file as the body,
 * its name in `x-file-name` (URI-encoded, so it stays out of the address and the access log) and
 * the page's message id in `x-message-id` (so a retried upload is one message). The server keeps
 * the file, checked by its content and sealed, then takes the message naming it like any other;
 * a refused file is answered with the limit it broke and nothing is kept.
 */
import type { Context } from 'hono';
import { AppError, floodText } from '../../kernel/errors.ts';
import { readRawBody } from '../../kernel/http/raw-body.ts';
import { fileNameOf } from '../../kernel/text.ts';
import type { Intake } from '../core/intake.ts';
import type { Inbound } from '../core/messenger.ts';
import { readVisitor, secureSite } from './identity.ts';
import type { WebChatDeps } from './routes.ts';

const text = {
  noCookie: {
    zh: '无法识别您的身份，请刷新页面（需要允许 Cookie）。',
    en: 'Your session could not be recognised. Please reload the page (cookies must be allowed).',
  },
  otherSite: {
    zh: '只能从本站的聊天页上传文件。',
    en: 'Files can only be uploaded from this site’s chat page.',
  },
  badId: {
    zh: '上传缺少消息编号，请刷新页面后重试。',
    en: 'The upload has no message id; reload the page and try again.',
  },
  empty: { zh: '文件是空的。', en: 'The file is empty.' },
  tooLarge: (max: number) => ({
    zh: `文件过大：每个文件最多 ${max} MB。`,
    en: `The file is too large: at most ${max} MB each.`,
  }),
};

/** A post from this site's own page only. */
export function fromThisSite(c: Context, publicUrl: string): boolean {
  const origin = c.req.header('origin');
  if (origin && origin !== 'null')
    return origin === new URL(c.req.url).origin || origin === new URL(publicUrl).origin;
  return c.req.header('sec-fetch-site') === 'same-origin';
}

/** The file's name as sent, decoded and made safe; `file` when there is none. */
function fileName(raw: string | undefined): string {
  try {
    return fileNameOf(decodeURIComponent(raw ?? ''));
  } catch {
    return 'file';
  }
}

export async function postFile(c: Context, deps: WebChatDeps, intake: Intake) {
  if (!fromThisSite(c, deps.publicUrl)) throw new AppError('forbidden', text.otherSite);
  const visitor = await readVisitor(c, deps.signer, secureSite(c, deps.publicUrl));
  if (!visitor) throw new AppError('unauthorized', text.noCookie);
  const from = { channel: 'web' as const, sender: { externalId: visitor } };
  const throttled = await intake.admit(from);
  if (throttled) throw new AppError('too_many_requests', throttled);
  const source = deps.sourceOf?.(c) ?? 'unknown';
  if (deps.addressLimit && source !== 'unknown' && !(await deps.addressLimit.allow(`web-address:${source}`)))
    throw new AppError('too_many_requests', floodText);
  const id = c.req.header('x-message-id') ?? '';
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) throw new AppError('validation_failed', text.badId);
  const bytes = await readRawBody(c, intake.fileMaxBytes);
  if (!bytes)
    throw new AppError('payload_too_large', text.tooLarge(Math.round(intake.fileMaxBytes / 1_048_576)));
  if (bytes.byteLength === 0) throw new AppError('validation_failed', text.empty);
  const name = fileName(c.req.header('x-file-name'));
  const dedupeKey = `web:${visitor}:${id}`;
  const kept = await intake.keepFile(from, { name, bytes, key: dedupeKey });
  if (!kept.ok) throw new AppError(kept.busy ? 'too_many_requests' : 'unsupported_media_type', kept.text);
  const inbound: Inbound = {
    ...from,
    dedupeKey,
    chat: { id: visitor, type: 'private' },
    content: { type: 'file', kind: kept.kind, name, ref: kept.ref },
    receivedAt: deps.now().toISOString(),
  };
  const taken = await intake.take(inbound, { admitted: true, shown: { label: `📎 ${name}` } });
  if (taken.outcome === 'throttled') throw new AppError('too_many_requests', taken.text);
  if (taken.outcome === 'duplicate') return c.json({ accepted: false, duplicate: true }, 200);
  deps.log.info('inbox.accepted', { channel: 'web', id: taken.outcome === 'accepted' ? taken.id : 0 });
  deps.hub.notify(visitor);
  return c.json({ accepted: true }, 202);
}
