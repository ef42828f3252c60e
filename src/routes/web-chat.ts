/**
 * The web chat's HTTP side: the page, posting a message (inbox write, then 202), and reading
 * new messages with a long poll. The web adapter (bots/web) does identity, parsing and rendering.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { chatScript } from '../../bots/web/app-script.ts';
import type { WebChatHub } from '../../bots/web/hub.ts';
import { ensureVisitor, readVisitor, secureSite, type VisitorSigner } from '../../bots/web/identity.ts';
import { chatPage, faviconSvg, type Shortcut } from '../../bots/web/page.ts';
import { parseWebMessage } from '../../bots/web/parse.ts';
import { messagesAfter, storeIncoming } from '../../bots/web/store.ts';
import type { Db } from '../../db/handle.ts';
import { encodeAction } from '../../flows/engine/actions.ts';
import { type VoteOutcome, voteReplies, voteReply } from '../../flows/polls/messages.ts';
import { privacyText } from '../../flows/polls/privacy.ts';
import { AppError, type ErrorCode } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/http/ids.ts';
import { readJson, validationError } from '../../kernel/http/json-body.ts';
import type { KeyRing } from '../crypto/sealed.ts';
import type { SourceOf } from '../http/client-address.ts';
import { floodText, type PersonLimit } from '../intake/flood-guard.ts';
import type { Logger } from '../log.ts';
import { privacyPageUrl, takeTextVote } from '../polls/text-votes.ts';
import { allowVote } from '../polls/vote-limit.ts';
import { acceptInbound } from '../store/inbox.ts';
import { enqueue } from '../store/outbox.ts';
import { castVote } from '../store/poll-votes.ts';

/** The chips under the message box: words pressed rather than typed, so they never become answers. */
const shortcuts: Shortcut[] = [
  { label: '菜单 Menu', said: '菜单', value: encodeAction({ k: 'word', v: 'menu' }) },
  { label: '提建议 Suggest', said: '提建议', value: encodeAction({ k: 'word', v: 'flow:suggestion' }) },
  { label: '我的 Mine', said: '我的', value: encodeAction({ k: 'word', v: 'cmd:mine' }) },
  { label: 'English', said: 'English', value: encodeAction({ k: 'word', v: 'lang_en' }) },
  { label: '中文', said: '中文', value: encodeAction({ k: 'word', v: 'lang_zh' }) },
];

export interface WebChatDeps {
  db: Db;
  hub: WebChatHub;
  signer: VisitorSigner;
  log: Logger;
  /** Wakes the inbox processor after a write. */
  wake: () => void;
  /** Wakes the outbox dispatcher (a poll sent again on its code). */
  wakeOutbox?: () => void;
  now: () => Date;
  timeZone: string;
  /** Seals what is stored (every message, both ways) and opens the visitor's history: the app's key ring. */
  sealer: KeyRing;
  /** Where the privacy page of polls is (told to first-time voters). */
  publicUrl: string;
  /** Refuses a person's messages past so many a minute. */
  floodGuard?: PersonLimit;
  /** Refuses a person's poll answers past so many a minute. */
  voteLimit?: PersonLimit;
  /** Refuses messages from one client address past so many a minute (a flood changing cookies). */
  addressLimit?: PersonLimit;
  /** Where a request comes from (`unknown` when the runtime cannot tell: then only the person counts). */
  sourceOf?: SourceOf;
}

const voteBody = z
  .object({ answer: z.number().int().min(0).max(10).optional(), comment: z.string().max(2000).optional() })
  .strict()
  .refine((b) => b.answer !== undefined || (b.comment ?? '').trim() !== '');

/** How a refused vote is answered over HTTP. */
const voteRefusals: Partial<Record<VoteOutcome, ErrorCode>> = {
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

export function webChatRoutes(deps: WebChatDeps) {
  const { db, hub, signer } = deps;
  const visitorOf = async (c: Context) => {
    const visitor = await readVisitor(c, signer, secureSite(c, deps.publicUrl));
    if (!visitor) throw new AppError('unauthorized', text.noCookie);
    return visitor;
  };

  const page = chatPage({ shortcuts, timeZone: deps.timeZone });
  const icon = (c: Context) => {
    c.header('cache-control', 'public, max-age=86400');
    return c.body(faviconSvg, 200, { 'content-type': 'image/svg+xml' });
  };

  return new Hono()
    .get('/favicon.svg', icon)
    .get('/favicon.ico', icon)
    .get('/chat', async (c) => {
      const { visitor, restarted } = await ensureVisitor(c, signer, secureSite(c, deps.publicUrl));
      // Told once, and not at the bidding of anyone sending made-up cookies from one address.
      const source = deps.sourceOf?.(c) ?? 'unknown';
      if (
        restarted &&
        (source === 'unknown' ||
          !deps.addressLimit ||
          (await deps.addressLimit.allow(`web-restart:${source}`)))
      ) {
        // The browser's cookie no longer verifies (the server's key changed): say so in the new chat.
        await enqueue(db, deps.sealer, [{ channel: 'web', chatId: visitor, message: restartedNotice }]);
        deps.wakeOutbox?.();
      }
      c.header('cache-control', 'no-store');
      c.header(
        'content-security-policy',
        "default-src 'self'; style-src 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
      c.header('x-content-type-options', 'nosniff');
      c.header('referrer-policy', 'no-referrer');
      return c.html(page);
    })
    .get('/chat/app.js', (c) => {
      // The page asks for it by a versioned URL, so it may be kept for a year.
      c.header('cache-control', 'public, max-age=31536000, immutable');
      c.header('x-content-type-options', 'nosniff');
      return c.body(chatScript, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    })
    .post('/chat/messages', async (c) => {
      const visitor = await visitorOf(c);
      if (deps.floodGuard && !(await deps.floodGuard.allow(`web:${visitor}`)))
        throw new AppError('too_many_requests', floodText);
      const source = deps.sourceOf?.(c) ?? 'unknown';
      if (
        deps.addressLimit &&
        source !== 'unknown' &&
        !(await deps.addressLimit.allow(`web-address:${source}`))
      )
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
      const { inbound } = parsed;
      if (inbound.content.type === 'text') {
        // A poll answered by its code is taken here and kept out of the conversation and the inbox.
        const vote = await takeTextVote(db, inbound, inbound.content.text, {
          now: deps.now(),
          timeZone: deps.timeZone,
          publicUrl: deps.publicUrl,
          keys: deps.sealer,
          ...(deps.voteLimit ? { voteLimit: deps.voteLimit } : {}),
        });
        if (vote) {
          if (vote.reply.type !== 'text') {
            await enqueue(db, deps.sealer, [{ channel: 'web', chatId: visitor, message: vote.reply }]);
            deps.wakeOutbox?.();
            return c.json({ accepted: true }, 202);
          }
          return c.json({ accepted: false, vote: { recorded: vote.recorded, text: vote.reply.text } }, 200);
        }
      }
      const key = inbound.dedupeKey.slice(`web:${visitor}:`.length);
      const result = await acceptInbound(db, deps.sealer, inbound, (tx) =>
        storeIncoming(tx, deps.sealer, visitor, key, parsed.shown),
      );
      if (result.accepted) {
        deps.log.info('inbox.accepted', { channel: 'web', id: result.id });
        deps.wake();
        hub.notify(visitor);
        return c.json({ accepted: true }, 202);
      }
      return c.json({ accepted: false, duplicate: true }, 200);
    })
    .post('/chat/polls/:id/vote', async (c) => {
      const visitor = await visitorOf(c);
      const id = c.req.param('id');
      const body = await readJson(c, voteBody);
      if (
        isUuid(id) &&
        !(await allowVote(deps.voteLimit, { channel: 'web', sender: { externalId: visitor } }))
      )
        throw new AppError('too_many_requests', voteReplies.too_fast);
      const result = isUuid(id)
        ? await castVote(db, {
            pollId: id,
            voter: { channel: 'web', sender: { externalId: visitor } },
            chatId: visitor,
            ...(body.answer !== undefined ? { answer: body.answer } : {}),
            ...(body.comment !== undefined ? { comment: body.comment } : {}),
            now: deps.now(),
            timeZone: deps.timeZone,
            keys: deps.sealer,
          })
        : { outcome: 'unknown' as const, lang: 'zh' as const, firstAnswer: false };
      const refusal = voteRefusals[result.outcome];
      if (refusal) throw new AppError(refusal, voteReplies[result.outcome]);
      c.header('cache-control', 'no-store');
      return c.json({
        outcome: result.outcome,
        text: voteReply(
          result.outcome,
          result.lang,
          result.firstAnswer ? { url: privacyPageUrl(deps.publicUrl) } : null,
        ),
        ...(result.firstAnswer ? { privacy: privacyText(result.lang) } : {}),
      });
    })
    .get('/chat/messages', async (c) => {
      const visitor = await visitorOf(c);
      const query = pollQuery.safeParse(c.req.query());
      if (!query.success) throw validationError(query.error);
      const { after, wait } = query.data;
      let messages = await messagesAfter(db, visitor, after, 200, deps.sealer);
      const deadline = Date.now() + wait * 1000;
      // Wait for a wake-up from this instance, and look again every second for other instances' writes.
      while (messages.length === 0 && Date.now() < deadline && !c.req.raw.signal.aborted) {
        await hub.wait(visitor, Math.min(1000, deadline - Date.now()));
        messages = await messagesAfter(db, visitor, after, 200, deps.sealer);
      }
      c.header('cache-control', 'no-store');
      return c.json({ messages });
    });
}
