/**
 * Signing in to the console: a one-time link an officer asks the bot for (10 minutes, one use,
 * bound to them), or ADMIN_TOKEN; then a session in a cookie, with its own CSRF token. Tokens are
 * random; only their SHA-256 is stored. Refused attempts are counted and audited by the routes
 * (per source and minute, store/failed-sign-ins.ts).
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { consoleLinks, consoleSessions, type PersonRow, people } from '../../db/schema/index.ts';
import { type Actor, allows } from '../../flows/access/rules.ts';
import type { Role } from '../../flows/engine/roles.ts';
import type { Lang } from '../../kernel/l10n.ts';
import { actorWithRole, tokenActor } from '../domains/people/actors.ts';
import { audit } from '../pipeline/audit.ts';

export const linkMinutes = 10;
export const sessionHours = 8;

const encoder = new TextEncoder();

export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const mayUseConsole = (role: Role) => allows(role, 'console.enter');

/** A fresh sign-in link's token for an officer or admin; null for anyone else. */
export async function createSignInLink(db: Db, personId: string, now: Date): Promise<string | null> {
  const [person] = await db.select({ role: people.role }).from(people).where(eq(people.id, personId));
  if (!person || !mayUseConsole(person.role)) return null;
  const token = randomToken();
  await db.insert(consoleLinks).values({
    tokenHash: await hashToken(token),
    personId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + linkMinutes * 60_000),
  });
  return token;
}

export type LinkRefusal = 'unknown' | 'expired' | 'used' | 'not_officer';

/** Uses a link once: the officer it was made for, or why not. */
export async function useSignInLink(
  db: Db,
  token: string,
  now: Date,
): Promise<{ ok: true; person: PersonRow } | { ok: false; reason: LinkRefusal }> {
  const tokenHash = await hashToken(token);
  return db.transaction(async (tx) => {
    const [link] = await tx
      .select()
      .from(consoleLinks)
      .where(eq(consoleLinks.tokenHash, tokenHash))
      .for('update');
    if (!link) return { ok: false, reason: 'unknown' } as const;
    if (link.usedAt) return { ok: false, reason: 'used' } as const;
    if (link.expiresAt <= now) return { ok: false, reason: 'expired' } as const;
    await tx.update(consoleLinks).set({ usedAt: now }).where(eq(consoleLinks.tokenHash, tokenHash));
    const [person] = await tx.select().from(people).where(eq(people.id, link.personId));
    if (!person || !mayUseConsole(person.role)) return { ok: false, reason: 'not_officer' } as const;
    return { ok: true, person } as const;
  });
}

/**
 * The session cookie. Over https it is `__Host-tx_console` (Secure, Path=/, no Domain), which a
 * sibling subdomain can neither set nor overwrite; plain http cannot hold such a cookie, so
 * there it keeps the name `tx_console`, on /console.
 */
export function sessionCookie(secure: boolean): { name: string; path: string } {
  return secure ? { name: '__Host-tx_console', path: '/' } : { name: 'tx_console', path: '/console' };
}

export interface ConsoleUser {
  /** null: signed in with ADMIN_TOKEN. */
  person: PersonRow | null;
  role: 'officer' | 'admin';
  /** Who acts, as the access rules see them (an officer with the units they handle). */
  actor: Actor;
  csrf: string;
  language: Lang;
  tokenHash: string;
}

/** Opens a session; resolves to the cookie's token. Audited. */
export async function openSession(db: Db, person: PersonRow | null, now: Date): Promise<string> {
  const token = randomToken();
  await db.insert(consoleSessions).values({
    tokenHash: await hashToken(token),
    personId: person?.id ?? null,
    csrf: randomToken(),
    language: person?.language ?? 'zh',
    createdAt: now,
    expiresAt: new Date(now.getTime() + sessionHours * 3_600_000),
  });
  await audit(db, {
    at: now,
    actorType: person ? 'officer' : 'admin_token',
    actorId: person?.id ?? null,
    action: 'console.signin',
    subjectType: 'console',
    subjectId: person ? 'link' : 'admin_token',
  });
  return token;
}

/** The signed-in user of a session token; null when unknown, ended, expired, or no longer an officer. */
export async function readSession(db: Db, token: string, now: Date): Promise<ConsoleUser | null> {
  const [row] = await db
    .select({ session: consoleSessions, person: people })
    .from(consoleSessions)
    .leftJoin(people, eq(people.id, consoleSessions.personId))
    .where(
      and(
        eq(consoleSessions.tokenHash, await hashToken(token)),
        isNull(consoleSessions.endedAt),
        gt(consoleSessions.expiresAt, now),
      ),
    );
  if (!row) return null;
  const { session, person } = row;
  if (session.personId && (!person || !mayUseConsole(person.role))) return null;
  return {
    person,
    role: person ? (person.role as 'officer' | 'admin') : 'admin',
    actor: person ? await actorWithRole(db, person.id, person.role) : tokenActor,
    csrf: session.csrf,
    language: session.language,
    tokenHash: session.tokenHash,
  };
}

export async function endSession(db: Db, user: ConsoleUser, now: Date): Promise<void> {
  await db.update(consoleSessions).set({ endedAt: now }).where(eq(consoleSessions.tokenHash, user.tokenHash));
}

export async function setSessionLanguage(db: Db, user: ConsoleUser, language: Lang): Promise<void> {
  await db.update(consoleSessions).set({ language }).where(eq(consoleSessions.tokenHash, user.tokenHash));
}
