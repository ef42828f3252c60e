/**
 * The photos and documents on an item, in the console: listed on the item's page and the help
 * case's page (photos as thumbnails), each served only to someone who may read that item, through
 * `/console/items/:ref/files/:id`. A help case's file is audited when opened, as the case is.
 * Files are sent as they were checked: their type from their content, never sniffed by the
 * browser, never cached, and never run (a sandbox with no script).
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { refusalText } from '../../../flows/files/rules.ts';
import { type L10n, type Lang, t } from '../../../kernel/l10n.ts';
import { actorOf } from '../../console/access.ts';
import type { ConsoleDeps, ConsoleEnv } from '../../console/context.ts';
import { audit } from '../../pipeline/audit.ts';
import { consoleAccess, itemNotFound, itemNotYours } from './console-access.ts';
import { extensionOf } from './file-check.ts';
import { fileOfItem, type ListedFile, listFiles } from './files.ts';

const text = {
  title: { zh: '附件', en: 'Attachments' },
  none: { zh: '没有附件。', en: 'No attachments.' },
  pending: { zh: '正在取得…', en: 'Being fetched…' },
  refused: { zh: '未能附上：', en: 'Not attached: ' },
} satisfies Record<string, L10n>;

/** The name a file is saved under: as sent, but with the extension its content has (never the sender's). */
function savedName(name: string, mime: string): string {
  const ext = extensionOf(mime);
  const base = name.replace(/\.[A-Za-z0-9]{1,8}$/, '') || 'file';
  return ext ? `${base}.${ext}` : base;
}

const sizeOf = (bytes: number | null) =>
  bytes === null
    ? ''
    : bytes >= 1_048_576
      ? `${(bytes / 1_048_576).toFixed(1)} MB`
      : `${Math.ceil(bytes / 1024)} KB`;

function fileLine(ref: string, file: ListedFile, lang: Lang, maxBytes: number) {
  const url = `/console/items/${encodeURIComponent(ref)}/files/${file.id}`;
  if (file.state === 'pending')
    return html`<li data-file="pending">${file.name} · <span class="muted">${t(lang, text.pending)}</span></li>`;
  if (file.state !== 'ready')
    return html`<li data-file="refused">${file.name} · <span class="muted">${t(lang, text.refused)}${t(
      lang,
      refusalText(file.refusal ?? 'failed', { maxBytes, size: file.size }),
    )}</span></li>`;
  if (file.mime?.startsWith('image/'))
    return html`<li data-file="photo"><a href="${url}" target="_blank" rel="noopener"><img src="${url}" alt="${file.name}" loading="lazy" style="max-width:240px;max-height:240px;display:block;border-radius:6px"></a><span class="muted">${file.name} · ${sizeOf(file.size)}</span></li>`;
  return html`<li data-file="document"><a href="${url}" download="${savedName(file.name, file.mime ?? '')}">📄 ${file.name}</a> <span class="muted">${sizeOf(file.size)}</span></li>`;
}

/** The files section of an item's page. */
export async function filesSection(
  deps: Pick<ConsoleDeps, 'db' | 'keys' | 'fileMaxBytes'>,
  item: { referenceCode: string },
  lang: Lang,
) {
  const files = await listFiles(deps.db, deps.keys, item.referenceCode);
  const maxBytes = deps.fileMaxBytes ?? 10 * 1_048_576;
  return html`<h2 style="margin-top:16px">${t(lang, text.title)} (${files.length})</h2>
${
  files.length === 0
    ? html`<p class="muted">${t(lang, text.none)}</p>`
    : html`<ul class="files" data-files style="list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px">${files.map((f) => fileLine(item.referenceCode, f, lang, maxBytes))}</ul>`
}`;
}

/** One file of an item, to someone who may read the item; 404 for anything else. */
export async function serveFile(c: Context<ConsoleEnv, '/console/items/:ref/files/:id'>, deps: ConsoleDeps) {
  const user = c.get('user');
  const ref = c.req.param('ref').slice(0, 40);
  const allowed = await consoleAccess(deps, user, 'item.read', ref);
  if (allowed === 'not_found') return c.html(itemNotFound(user.language), 404);
  if (allowed === 'not_yours') return c.html(itemNotYours(user.language), 403);
  const file = await fileOfItem(deps.db, deps.keys, ref, c.req.param('id'));
  if (!file) return c.html(itemNotFound(user.language), 404);
  if (file.kind === 'help_request')
    await audit(deps.db, {
      at: deps.now(),
      ...actorOf(user),
      action: 'help.read_file',
      subjectType: 'submission',
      subjectId: ref,
    });
  const photo = file.mime.startsWith('image/');
  const name = encodeURIComponent(savedName(file.name, file.mime));
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
    'content-type': file.mime,
    'content-disposition': `${photo ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`,
    'content-length': String(file.bytes.byteLength),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'referrer-policy': 'no-referrer',
  });
}
