/**
 * What the 投票 pages share: who acts for the signed-in user (an officer, or the admin token),
 * the poll a path's number names, and the page for a number that names none.
 */
import { html } from 'hono/html';
import type { Db } from '../../../db/handle.ts';
import { type Lang, t } from '../../../kernel/l10n.ts';
import { bare } from '../../console/layout.ts';
import type { ConsoleUser } from '../../console/sessions.ts';
import type { PollActor } from './admin.ts';
import { text } from './console-text.ts';
import { findPollByNo } from './store.ts';

export const pollActor = (user: ConsoleUser): PollActor =>
  user.person ? { type: 'officer', id: user.person.id } : { type: 'admin_token', id: null };

export const pollNotFound = (lang: Lang) =>
  bare({
    title: text.notFound,
    lang,
    body: html`<p><a href="/console/polls">${t(lang, text.back)}</a></p>`,
  });

/** The poll numbered `raw`, if it is a number at all and names one. */
export const pollByNo = async (db: Db, raw: string) =>
  /^\d{1,12}$/.test(raw) ? await findPollByNo(db, Number(raw)) : null;
