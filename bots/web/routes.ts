/**
 * The web chat's HTTP side: the page, posting a message (taken in through the intake, then 202),
 * answering a poll from its card, and reading new messages from the history with a long poll.
 */
import { type Context, type Env, Hono } from 'hono';
import { z } from 'zod';
import { AppError, type ErrorCode, floodText } from '../../kernel/errors.ts';
import { readJson, validationError } from '../../kernel/http/json-body.ts';
import { t } from '../../kernel/l10n.ts';
import type { Intake, KeyLimit, VoteOutcome } from '../core/intake.ts';
import type { ChannelLog } from '../core/telemetry.ts';
import { chatScript } from './app-script.ts';
import { type BindingPreview, bindRoutes } from './bind-page.ts';
import type { WebHistory } from './history.ts';
import type { WebChatHub } from './hub.ts';
import { ensureVisitor, readVisitor, secureSite, type VisitorSigner } from './identity.ts';
import { chatPage, faviconSvg, type Shortcut } from './page.ts';
import { parseWebMessage } from './parse.ts';
import { renderBubble } from './render.ts';
import { postFile } from './upload.ts';

export interface WebChatDeps {
  history: WebHistory;
  hub: WebChatHub;
  signer: VisitorSigner;
  log: ChannelLog;
  now: () => Date;
  timeZone: string;
  /** The server's public address: whether the cookie is marked secure. */
  publicUrl: string;
  /** The chips under the message box: words pressed rather than typed (the server's flows name them). */
  shortcuts: readonly Shortcut[];
  /** Refuses messages from one client address past so many a minute (a flood changing cookies). */
  addressLimit?: KeyLimit;
  /** Where a request comes from (`unknown` when the runtime cannot tell: then only the person counts). */
  sourceOf?: (c: Context) => string;
  /** Whose binding code it is (the name masked), for the page an invitation link opens. */
  bindingPreview?: (code: string) => Promise<BindingPreview>;
}

const voteBody = z
  .object({ answer: z.number().int().min(0).max(10).optional(), comment: z.string().max(2000).optional() })
  .strict()
  .refine((b) => b.answer !== undefined || (b.comment ?? '').trim() !== '');

/** How a refused vote is answered over HTTP. */
const voteRefusals: Partial<Record<VoteOutcome, ErrorCode>> = {
  too_fast: 'too_many_requests',
  unknown: 'not_found',
  not_open: 'conflict',
  closed: 'conflict',
  invalid_answer: 'validation_failed',
  comment_not_allowed: 'validation_failed',
  comment_needs_vote: 'validation_failed',
  comment_too_long: 'too_long',
  not_asked: 'forbidden',
};

const text = {
  noCookie: {
    zh: '无法识别您的身份，请刷新页面（需要允许 Cookie）。',
    en: 'Your session could not be recognised. Please reload the page (cookies must be allowed).',
  },
  empty: { zh: '消息不能为空。', en: 'The message is empty.' },
  tooLong: (max: number, given: number) => ({
    zh: `消息过长：最多 ${max} 字，您输入了 ${given} 字。`,
    en: `The message is too long: at most ${max} characters, yours has ${given}.`,
  }),
  invalid: { zh: '消息格式不正确。', en: 'The message is not in the expected form.' },
};

/** Told in a new chat when the browser's earlier cookie could no longer be verified. */
const restartedNotice = {
  type: 'text' as const,
  text:
    '您之前的会话已无法继续（服务器的密钥已更换），之前的聊天记录不能再显示，已为您开始新的对话。' +
    '之前提交的事项仍在办理，可凭编号向工会干部查询。\n' +
    'Your earlier session could not be continued (the server’s key was changed), so earlier messages ' +
    'cannot be shown and a new conversation has started. Items you filed are still being handled; ' +
    'an officer can look them up by their reference.',
};

const pollQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  wait: z.coerce.number().int().min(0).max(25).default(0),
});

export function webChatRoutes(deps: WebChatDeps, intake: Intake) {
  const page = chatPage({ shortcuts: deps.shortcuts, timeZone: deps.timeZone });
  return new Hono()
    .get('/favicon.svg', icon)
    .get('/favicon.ico', icon)
    .get('/chat', (c) => openChat(c, deps, page))
    .get('/chat/app.js', appScript)
    .post('/chat/messages', (c) => postMessage(c, deps, intake))
    .post('/chat/files', (c) => postFile(c, deps, intake))
    .post('/chat/polls/:id/vote', (c) => postVote(c, deps, intake))
    .get('/chat/messages', (c) => readMessages(c, deps))
    .route('/', bindRoutes(deps, intake));
}

/** The visitor whose signed cookie came with the request; refused without one. */
async function visitorOf(c: Context, deps: WebChatDeps) {
  const visitor = await readVisitor(c, deps.signer, secureSite(c, deps.publicUrl));
  if (!visitor) throw new AppError('unauthorized', text.noCookie);
  return visitor;
}

function icon(c: Context) {
  c.header('cache-control', 'public, max-age=86400');
  return c.body(faviconSvg, 200, { 'content-type': 'image/svg+xml' });
}

/** The chat page, for a visitor known or new (one whose cookie no longer verifies is told so). */
async function openChat(c: Context, deps: WebChatDeps, page: string) {
  const { visitor, restarted } = await ensureVisitor(c, deps.signer, secureSite(c, deps.publicUrl));
  // Told once, and not at the bidding of anyone sending made-up cookies from one address.
  const source = deps.sourceOf?.(c) ?? 'unknown';
  if (
    restarted &&
    (source === 'unknown' || !deps.addressLimit || (await deps.addressLimit.allow(`web-restart:${source}`)))
  ) {
    // The browser's cookie no longer verifies (the server's key changed): say so in the new chat.
    await deps.history.delivered(visitor, `restarted:${crypto.randomUUID()}`, renderBubble(restartedNotice));
    deps.hub.notify(visitor);
  }
  c.header('cache-control', 'no-store');
  c.header(
    'content-security-policy',
    "default-src 'self'; style-src 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  c.header('x-content-type-options', 'nosniff');
  c.header('referrer-policy', 'no-referrer');
  return c.html(page);
}

function appScript(c: Context) {
  // The page asks for it by a versioned URL, so it may be kept for a year.
  c.header('cache-control', 'public, max-age=31536000, immutable');
  c.header('x-content-type-options', 'nosniff');
  return c.body(chatScript, 200, { 'content-type': 'text/javascript; charset=utf-8' });
}

/** A message posted from the page: taken in through the intake (a poll's answer by code is answered here). */
async function postMessage(c: Context, deps: WebChatDeps, intake: Intake) {
  const visitor = await visitorOf(c, deps);
  // The person's own limit first: past it, their messages take nothing from their address's.
  const throttled = await intake.admit({ channel: 'web', sender: { externalId: visitor } });
  if (throttled) throw new AppError('too_many_requests', throttled);
  const source = deps.sourceOf?.(c) ?? 'unknown';
  if (deps.addressLimit && source !== 'unknown' && !(await deps.addressLimit.allow(`web-address:${source}`)))
    throw new AppError('too_many_requests', floodText);
  // The text is kept as sent, made storable where it is stored; parseWebMessage checks the rest.
  const body = await readJson(c, z.unknown(), { anyText: true });
  const parsed = parseWebMessage(body, visitor, deps.now());
  if (!parsed.ok) {
    if (parsed.problem === 'empty') throw new AppError('validation_failed', text.empty);
    if (parsed.problem === 'too_long') {
      throw new AppError('too_long', text.tooLong(parsed.max, parsed.given), { max: parsed.max });
    }
    throw new AppError('validation_failed', text.invalid);
  }
  // A poll answered by its code is kept out of the conversation and the inbox, and answered here.
  const taken = await intake.take(parsed.inbound, {
    admitted: true,
    shown: parsed.shown,
    voteReplyInline: true,
  });
  switch (taken.outcome) {
    case 'throttled':
      throw new AppError('too_many_requests', taken.text);
    case 'vote':
      if (taken.queued || taken.reply.type !== 'text') return c.json({ accepted: true }, 202);
      return c.json({ accepted: false, vote: { recorded: taken.recorded, text: taken.reply.text } }, 200);
    case 'accepted':
      deps.log.info('inbox.accepted', { channel: 'web', id: taken.id });
      deps.hub.notify(visitor);
      return c.json({ accepted: true }, 202);
    case 'duplicate':
      return c.json({ accepted: false, duplicate: true }, 200);
  }
}

/** An answer to a poll from its card on the page. */
async function postVote(c: Context<Env, '/chat/polls/:id/vote'>, deps: WebChatDeps, intake: Intake) {
  const visitor = await visitorOf(c, deps);
  const body = await readJson(c, voteBody);
  const answer = await intake.vote({
    pollId: c.req.param('id'),
    voter: { channel: 'web', sender: { externalId: visitor } },
    chatId: visitor,
    ...(body.answer !== undefined ? { answer: body.answer } : {}),
    ...(body.comment !== undefined ? { comment: body.comment } : {}),
    at: deps.now(),
  });
  const refusal = voteRefusals[answer.outcome];
  if (refusal) throw new AppError(refusal, answer.reply);
  c.header('cache-control', 'no-store');
  return c.json({
    outcome: answer.outcome,
    text: t(answer.lang, answer.reply),
    ...(answer.privacy ? { privacy: answer.privacy } : {}),
  });
}

/** New messages after the page's last one, waiting up to `wait` seconds for one (a long poll). */
async function readMessages(c: Context, deps: WebChatDeps) {
  const { history, hub } = deps;
  const visitor = await visitorOf(c, deps);
  const query = pollQuery.safeParse(c.req.query());
  if (!query.success) throw validationError(query.error);
  const { after, wait } = query.data;
  let messages = await history.after(visitor, after, 200);
  const deadline = Date.now() + wait * 1000;
  // Wait for a wake-up from this instance, and look again every second for other instances' writes.
  while (messages.length === 0 && Date.now() < deadline && !c.req.raw.signal.aborted) {
    await hub.wait(visitor, Math.min(1000, deadline - Date.now()));
    messages = await history.after(visitor, after, 200);
  }
  c.header('cache-control', 'no-store');
  return c.json({ messages });
}
