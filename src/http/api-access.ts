/**
 * The officer API's side of the access rules (flows/access/rules.ts): whoever holds the bearer
 * ADMIN_TOKEN acts as an admin, and every route names its action through `allow`, so the API takes
 * the same decisions as the console and the chat.
 */
import { createMiddleware } from 'hono/factory';
import type { Db } from '../../db/handle.ts';
import { type Action, type Actor, allows, type Decision, type ItemAction } from '../../flows/access/rules.ts';
import { AppError } from '../../kernel/errors.ts';
import { itemAccess } from '../domains/items/access.ts';
import { tokenActor } from '../domains/people/actors.ts';

export type ApiEnv = { Variables: { actor: Actor } };

const forbidden = {
  zh: '无权执行此操作。',
  en: 'You may not do this.',
};

/** Marks the request as the bearer's: it passed requireBearer, so it acts as an admin. */
export const bearerActor = createMiddleware<ApiEnv>(async (c, next) => {
  c.set('actor', tokenActor);
  await next();
});

/** Lets the request through if its actor may take the action; 403 otherwise. */
export const allow = (action: Action) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    if (!allows(c.get('actor'), action)) throw new AppError('forbidden', forbidden, { action });
    await next();
  });

/** Turns a refused decision on one thing into the API's 403. */
export function enforce(decision: Decision): void {
  if (!decision.ok) throw new AppError('forbidden', forbidden, { reason: decision.reason });
}

/** Refuses (403) an action on an item the actor may not touch; an unknown item is left to the route's 404. */
export async function mayTouch(db: Db, actor: Actor, action: ItemAction, referenceCode: string) {
  const access = await itemAccess(db, actor, action, referenceCode);
  if (!access.ok && access.reason !== 'not_found') enforce(access);
}
