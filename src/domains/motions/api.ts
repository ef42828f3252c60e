/** Motions in the officer API: congress sessions, and more time for an answer with the reason. */
import { Hono } from 'hono';
import type { z } from 'zod';
import { AppError } from '../../../kernel/errors.ts';
import { isUuid } from '../../../kernel/http/ids.ts';
import { readJson } from '../../../kernel/http/json-body.ts';
import { charCount } from '../../../kernel/text.ts';
import { type ApiEnv, allow, mayTouch } from '../../http/api-access.ts';
import type { Ctx } from '../../kernel/ctx.ts';
import {
  type extendAnswer,
  extendBody,
  sessionBody,
  sessionChangeBody,
  type sessionList,
  type sessionView,
} from './api-schemas.ts';
import { extendMotion } from './deadline.ts';
import { listSessions, saveSession } from './sessions.ts';

const text = {
  noSession: { zh: '找不到该届次。', en: 'No such congress session.' },
  noMotion: (ref: string) => ({
    zh: `找不到编号为 ${ref} 的提案。`,
    en: `No motion has the reference ${ref}.`,
  }),
  notOpen: {
    zh: '只有已立案、尚未答复的提案可以延期。',
    en: 'Only a registered motion that has not been answered can get more time.',
  },
  reasonTooLong: (n: number) => ({
    zh: `原因过长：最多 500 字，您写了 ${n} 字。`,
    en: `The reason is too long: at most 500 characters, yours has ${n}.`,
  }),
};

/** A session as the API answers it. */
const sessionJson = (s: Awaited<ReturnType<typeof listSessions>>[number]): z.output<typeof sessionView> => ({
  ...s,
  createdAt: s.createdAt.toISOString(),
});

export function motionsApi(ctx: Pick<Ctx, 'db' | 'now' | 'timeZone' | 'keys' | 'wake'>) {
  const { db } = ctx;
  const sessions = async () => (await listSessions(db)).map(sessionJson);
  const view = async (id: string) => {
    const found = (await sessions()).find((s) => s.id === id);
    if (!found) throw new AppError('not_found', text.noSession);
    return found;
  };
  return new Hono<ApiEnv>()
    .get('/congress-sessions', allow('congress.manage'), async (c) =>
      c.json({ items: await sessions() } satisfies z.output<typeof sessionList>),
    )
    .post('/congress-sessions', allow('congress.manage'), async (c) => {
      const body = await readJson(c, sessionBody);
      const id = await saveSession(db, body, ctx.now());
      return c.json(await view(id!), 201);
    })
    .patch('/congress-sessions/:id', allow('congress.manage'), async (c) => {
      const body = await readJson(c, sessionChangeBody);
      const id = c.req.param('id');
      const saved = isUuid(id) ? await saveSession(db, { id, ...body }, ctx.now()) : null;
      if (!saved) throw new AppError('not_found', text.noSession);
      return c.json(await view(saved));
    })
    .post('/submissions/:ref/extend', allow('item.extend'), async (c) => {
      const ref = c.req.param('ref').trim().toUpperCase();
      await mayTouch(db, c.get('actor'), 'item.extend', ref);
      const body = await readJson(c, extendBody);
      const given = charCount(body.reason);
      if (given > 500) throw new AppError('too_long', text.reasonTooLong(given), { max: 500 });
      const result = await extendMotion(db, {
        referenceCode: ref,
        ...body,
        now: ctx.now(),
        timeZone: ctx.timeZone,
        keyRing: ctx.keys,
      });
      if (!result.ok) {
        if (result.reason === 'not_found') throw new AppError('not_found', text.noMotion(ref.slice(0, 40)));
        throw new AppError('invalid_transition', text.notOpen);
      }
      ctx.wake.outbox();
      return c.json({
        referenceCode: ref,
        answerDueAt: result.answerDueAt.toISOString(),
      } satisfies z.output<typeof extendAnswer>);
    });
}
